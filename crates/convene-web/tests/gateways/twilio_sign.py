"""Signs requests the way Twilio does, with Twilio's own library (twilio==9.13.0).

Reads JSON from standard input: {"token": ..., "requests": [{"url": ..., "params": {...}}]}
and prints a JSON list with the X-Twilio-Signature of each request.
"""
import json
import sys

from twilio.request_validator import RequestValidator

job = json.load(sys.stdin)
validator = RequestValidator(job["token"])
print(json.dumps([validator.compute_signature(r["url"], r["params"]) for r in job["requests"]]))
