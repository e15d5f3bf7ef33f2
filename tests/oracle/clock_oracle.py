#!/usr/bin/env python3
"""Independent oracle for Breachdesk's deadline arithmetic (Python's zoneinfo + its own holiday
calendar). Reads JSON lines {kind, trigger_utc, zone, n, rust}; prints each disagreement; exits 1
if any. Written separately from the Rust code on purpose: same spec, different implementation."""
import json
import sys
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo


def observed(d):
    if d.weekday() == 5:
        return d - timedelta(days=1)
    if d.weekday() == 6:
        return d + timedelta(days=1)
    return d


def nth_weekday(y, m, wd, n):
    d = date(y, m, 1)
    d += timedelta(days=(wd - d.weekday()) % 7)
    return d + timedelta(weeks=n - 1)


def last_weekday(y, m, wd):
    d = date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1)
    return d - timedelta(days=(d.weekday() - wd) % 7)


def federal_holidays(y):
    h = {observed(date(y, 1, 1)), nth_weekday(y, 1, 0, 3), nth_weekday(y, 2, 0, 3), last_weekday(y, 5, 0),
         observed(date(y, 7, 4)), nth_weekday(y, 9, 0, 1), nth_weekday(y, 10, 0, 2), observed(date(y, 11, 11)),
         nth_weekday(y, 11, 3, 4), observed(date(y, 12, 25))}
    if y >= 2021:
        h.add(observed(date(y, 6, 19)))
    return h


def is_business(d):
    return d.weekday() < 5 and d not in federal_holidays(d.year) and d not in federal_holidays(d.year + 1)


def local_end(d, z, t=time(23, 59, 59)):
    # fold=0 is the earlier of two ambiguous instants, as the spec says
    return datetime.combine(d, t, z)


def expected(case):
    z = ZoneInfo(case["zone"])
    trig = datetime.fromisoformat(case["trigger_utc"].replace("Z", "+00:00"))
    n = case["n"]
    local_day = trig.astimezone(z).date()
    if case["kind"] == "calendar_days":
        return local_end(local_day + timedelta(days=n), z)
    if case["kind"] == "hours":
        return trig + timedelta(seconds=n * 3600)
    if case["kind"] == "business_days":
        d, left = local_day, n
        while left:
            d += timedelta(days=1)
            if is_business(d):
                left -= 1
        return local_end(d, z, time(17, 30))
    if case["kind"] == "annual":
        return local_end(date(local_day.year, 12, 31) + timedelta(days=n), z)
    if case["kind"] == "hold":
        # A 60-calendar-day clock (HIPAA individual notice) tolled by a law-enforcement hold: only the
        # part of the hold from the clock's start (the trigger) on counts; a hold starting at or
        # after the original due moves nothing; one starting inside pauses the clock until it ends,
        # in whole local days; an oral hold counts at most 30 days from the statement.
        due = local_end(local_day + timedelta(days=n), z)
        start = datetime.fromisoformat(case["hold_start_utc"].replace("Z", "+00:00"))
        end = datetime.fromisoformat(case["hold_end_utc"].replace("Z", "+00:00"))
        if case["oral"]:
            s_local = start.astimezone(z)
            cap = datetime.combine(s_local.date() + timedelta(days=30), s_local.time().replace(tzinfo=None), z)
            end = min(end, cap)
        frm = max(start, trig)
        if frm < due and end > frm:
            days = (end.astimezone(z).date() - frm.astimezone(z).date()).days
            return local_end(due.astimezone(z).date() + timedelta(days=days), z)
        return due
    if case["kind"] == "relative":
        # California AG: 15 calendar days after the consumer notice is sent; before it is sent, 15
        # days after that notice's own 30-day deadline.
        if case.get("sent_utc"):
            sent = datetime.fromisoformat(case["sent_utc"].replace("Z", "+00:00")).astimezone(z).date()
            return local_end(sent + timedelta(days=n), z)
        return local_end(local_day + timedelta(days=30 + n), z)
    raise ValueError(case["kind"])


def main():
    bad = 0
    count = 0
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            case = json.loads(line)
            count += 1
            want = expected(case).astimezone(timezone.utc)
            got = datetime.fromisoformat(case["rust"].replace("Z", "+00:00"))
            if want != got:
                bad += 1
                print(f"MISMATCH {case}: python {want.isoformat()}")
    print(f"oracle: {count} cases, {bad} mismatches")
    sys.exit(1 if bad or count == 0 else 0)


if __name__ == "__main__":
    main()
