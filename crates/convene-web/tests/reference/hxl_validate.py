"""Validates an HXL CSV against an HXL schema with libhxl (the Humanitarian
Exchange Language's reference library) and prints the report as JSON.

    python hxl_validate.py DATA.csv SCHEMA.csv
"""
import json
import sys

import hxl

opts = hxl.InputOptions(allow_local=True)
report = hxl.validate(hxl.data(sys.argv[1], opts), hxl.data(sys.argv[2], opts))
print(json.dumps({
    "is_valid": report["is_valid"],
    "stats": report["stats"],
    "issues": [
        {"tag": i.get("tag_pattern"), "description": i.get("description"), "count": i.get("location_count")}
        for i in report.get("issues", [])
    ],
    "rows": len(list(hxl.data(sys.argv[1], opts))),
}, default=str))
