"""Reads iCalendar files with Python's icalendar package and prints, as JSON, what
a calendar application would see: the calendar's name and time zone, and each
event's summary, class, location, status, start and end (UTC, ISO 8601).

    python ics_read.py FILE...
"""
import json
import sys

import icalendar

out = []
for path in sys.argv[1:]:
    with open(path, "rb") as f:
        cal = icalendar.Calendar.from_ical(f.read())
    events = []
    for e in cal.walk("VEVENT"):
        events.append({
            "uid": str(e.get("UID")),
            "summary": str(e.get("SUMMARY")),
            "class": str(e.get("CLASS", "")),
            "location": str(e.get("LOCATION", "")),
            "status": str(e.get("STATUS", "")),
            "start": e.decoded("DTSTART").isoformat(),
            "end": e.decoded("DTEND").isoformat(),
        })
    out.append({
        "name": str(cal.get("X-WR-CALNAME", "")),
        "tz": str(cal.get("X-WR-TIMEZONE", "")),
        "events": events,
    })
print(json.dumps(out))
