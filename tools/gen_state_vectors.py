#!/usr/bin/env python3
"""Oracle for rules/vectors/US-XX.toml: plain-Python date arithmetic, independent of the Rust engine.

Reads rules/us/*.toml only to know which obligations exist (ids, thresholds, versions, applies); every
expected due date is computed here from first principles (zoneinfo, local calendar dates, instants,
US federal holidays).
"""
import datetime as dt
import glob
import sys
import tomllib
from zoneinfo import ZoneInfo

RULES = sys.argv[1] if len(sys.argv) > 1 else "/work/main/rules"

# Zone + baseline discovery instant per jurisdiction (chosen to cross DST starts/ends and holidays).
BASE = {
    "US-AL": ("America/Chicago", "2026-02-16T09:30:00"),
    "US-AK": ("America/Anchorage", "2026-04-06T08:00:00"),
    "US-AZ": ("America/Phoenix", "2026-02-10T14:00:00"),
    "US-AR": ("America/Chicago", "2026-05-11T11:00:00"),
    "US-CA": ("America/Los_Angeles", "2026-02-20T16:45:00"),
    "US-CO": ("America/Denver", "2026-02-24T10:00:00"),
    "US-CT": ("America/New_York", "2026-09-08T09:00:00"),
    "US-DE": ("America/New_York", "2026-09-15T13:20:00"),
    "US-DC": ("America/New_York", "2026-06-01T10:00:00"),
    "US-FL": ("America/New_York", "2026-10-05T08:15:00"),
    "US-GA": ("America/New_York", "2026-07-13T12:00:00"),
    "US-HI": ("Pacific/Honolulu", "2026-03-02T09:00:00"),
    "US-ID": ("America/Boise", "2026-08-03T15:00:00"),
    "US-IL": ("America/Chicago", "2026-04-14T10:30:00"),
    "US-IN": ("America/Indiana/Indianapolis", "2026-09-21T09:45:00"),
    "US-IA": ("America/Chicago", "2026-06-22T11:00:00"),
    "US-KS": ("America/Chicago", "2026-08-17T10:00:00"),
    "US-KY": ("America/Kentucky/Louisville", "2026-05-04T09:00:00"),
    "US-LA": ("America/Chicago", "2026-09-14T14:30:00"),
    "US-ME": ("America/New_York", "2026-10-12T10:00:00"),
    "US-MD": ("America/New_York", "2026-09-28T09:15:00"),
    "US-MA": ("America/New_York", "2026-03-23T11:00:00"),
    "US-MI": ("America/Detroit", "2026-01-12T09:00:00"),
    "US-MN": ("America/Chicago", "2026-03-07T10:00:00"),
    "US-MS": ("America/Chicago", "2026-06-08T08:30:00"),
    "US-MO": ("America/Chicago", "2026-07-20T13:00:00"),
    "US-MT": ("America/Denver", "2026-05-18T10:00:00"),
    "US-NE": ("America/Chicago", "2026-04-27T09:00:00"),
    "US-NV": ("America/Los_Angeles", "2026-08-24T10:00:00"),
    "US-NH": ("America/New_York", "2026-02-02T09:00:00"),
    "US-NJ": ("America/New_York", "2026-03-16T15:00:00"),
    "US-NM": ("America/Denver", "2026-09-25T10:00:00"),
    "US-NY": ("America/New_York", "2026-10-09T17:30:00"),
    "US-NC": ("America/New_York", "2026-06-15T10:00:00"),
    "US-ND": ("America/Chicago", "2026-05-26T09:00:00"),
    "US-OH": ("America/New_York", "2026-09-30T11:00:00"),
    "US-OK": ("America/Chicago", "2026-03-04T10:00:00"),
    "US-OR": ("America/Los_Angeles", "2026-09-22T09:30:00"),
    "US-PA": ("America/New_York", "2026-04-20T10:00:00"),
    "US-RI": ("America/New_York", "2026-10-01T12:00:00"),
    "US-SC": ("America/New_York", "2026-07-06T09:00:00"),
    "US-SD": ("America/Chicago", "2026-09-03T10:00:00"),
    "US-TN": ("America/Chicago", "2026-09-18T16:00:00"),
    "US-TX": ("America/Chicago", "2026-03-02T10:15:00"),
    "US-UT": ("America/Denver", "2026-05-05T10:00:00"),
    "US-VT": ("America/New_York", "2026-05-20T10:00:00"),
    "US-VA": ("America/New_York", "2026-08-10T09:00:00"),
    "US-WA": ("America/Los_Angeles", "2026-02-13T11:00:00"),
    "US-WV": ("America/New_York", "2026-06-29T09:00:00"),
    "US-WI": ("America/Chicago", "2026-09-28T10:00:00"),
    "US-WY": ("America/Denver", "2026-04-13T09:00:00"),
    "US-PR": ("America/Puerto_Rico", "2026-12-18T10:00:00"),
    "US-VI": ("America/St_Thomas", "2026-06-10T10:00:00"),
    "US-GU": ("Pacific/Guam", "2026-07-01T09:00:00"),
}
NAMES = {"US-TX": "Texas"}  # only used for nicer names where it reads better


# ---------------------------------------------------------------- US federal holidays (5 U.S.C. 6103)
def nth_weekday(year, month, weekday, n):
    d = dt.date(year, month, 1)
    d += dt.timedelta(days=(weekday - d.weekday()) % 7)
    return d + dt.timedelta(weeks=n - 1)


def last_weekday(year, month, weekday):
    d = dt.date(year, month + 1, 1) - dt.timedelta(days=1)
    return d - dt.timedelta(days=(d.weekday() - weekday) % 7)


def observed(d):
    if d.weekday() == 5:
        return d - dt.timedelta(days=1)
    if d.weekday() == 6:
        return d + dt.timedelta(days=1)
    return d


def federal_holidays(year):
    hs = {
        observed(dt.date(year, 1, 1)),
        nth_weekday(year, 1, 0, 3),
        nth_weekday(year, 2, 0, 3),
        last_weekday(year, 5, 0),
        observed(dt.date(year, 7, 4)),
        nth_weekday(year, 9, 0, 1),
        nth_weekday(year, 10, 0, 2),
        observed(dt.date(year, 11, 11)),
        nth_weekday(year, 11, 3, 4),
        observed(dt.date(year, 12, 25)),
    }
    if year >= 2021:
        hs.add(observed(dt.date(year, 6, 19)))
    # New Year's Day of next year observed on Dec 31 of this year when Jan 1 is a Saturday
    nxt = dt.date(year + 1, 1, 1)
    if nxt.weekday() == 5:
        hs.add(nxt - dt.timedelta(days=1))
    return hs


def is_business_day(d):
    return d.weekday() < 5 and d not in federal_holidays(d.year)


def nth_business_day_after(d, n):
    count = 0
    while count < n:
        d += dt.timedelta(days=1)
        if is_business_day(d):
            count += 1
    return d


# ---------------------------------------------------------------- arithmetic
def end_of_day(date, tz):
    return dt.datetime.combine(date, dt.time(23, 59, 59), tzinfo=ZoneInfo(tz)).isoformat()


def local(ts, tz):
    return dt.datetime.fromisoformat(ts).replace(tzinfo=ZoneInfo(tz))


def due_for(deadline, trigger_ts, tz):
    t = local(trigger_ts, tz)
    k = deadline["kind"]
    if k == "calendar_days":
        return "deadline", end_of_day(t.date() + dt.timedelta(days=deadline["days"]), tz)
    if k == "hours":
        inst = t.astimezone(dt.timezone.utc) + dt.timedelta(seconds=deadline["hours"] * 3600)
        return "deadline", inst.astimezone(ZoneInfo(tz)).isoformat()
    if k == "business_days":
        assert deadline["calendar"] == "US-federal" and "cutoff" not in deadline
        return "deadline", end_of_day(nth_business_day_after(t.date(), deadline["days"]), tz)
    if k == "asap":
        return "asap", None
    if k == "relative":
        if "outer_days" in deadline:
            return "relative", end_of_day(t.date() + dt.timedelta(days=deadline["outer_days"]), tz)
        return "relative", None
    if k == "annual":
        return "annual", None
    raise ValueError(k)


def version_for(ob, anchors, tz):
    # the version in force on the local date of the version's own trigger
    for v in ob["versions"]:
        date = local(anchors[v["trigger"]], tz).date()
        if ("from" not in v or v["from"] <= date) and ("until" not in v or date < v["until"]):
            return v
    return None


def evaluate(j, obligations, facts, delays=()):
    tz = facts["timezone"]
    anchors = {"discovered_at": facts["discovered_at"]}
    for k in ("aware_at", "determined_at", "detected_at"):
        anchors[k] = facts.get(k, facts["discovered_at"])
    expect, absent = [], []
    for ob in obligations:
        ok = True
        ap = ob.get("applies", {})
        if "hipaa_role" in ap and facts.get("hipaa_role") not in ap["hipaa_role"]:
            ok = False
        if ap.get("nydfs_covered") and not facts.get("nydfs_covered"):
            ok = False
        if facts["affected"].get(j, 0) == 0:
            ok = False  # a state's law reaches a breach only when its residents are affected
        v = version_for(ob, anchors, tz) if ok else None
        if v is None:
            ok = False
        if ok and "threshold" in v:
            th = v["threshold"]
            n = facts["affected"].get(j, 0) if th["scope"] == "state_residents" else sum(facts["affected"].values())
            if n < th.get("min", 0) or n > th.get("max", 10**12):
                ok = False
        if not ok:
            absent.append(ob["id"])
            continue
        kind, due = due_for(v["deadline"], anchors[v["trigger"]], tz)
        hold = facts.get("law_enforcement_hold")
        delay = next((d for d in delays if ob["id"] in d["obligations"]), None)
        if due and hold and delay and kind == "deadline" and not (delay.get("written_only") and hold.get("form") == "oral"):
            # Tolling (rules/README.md): the part of the hold from the clock's start (the trigger)
            # on; a hold that starts inside the period pauses the clock until it ends.
            start, end = local(hold["start"], tz), local(hold["end"], tz)
            window = local(anchors[v["trigger"]], tz)
            d = dt.datetime.fromisoformat(due)
            frm = max(start, window)
            if frm < d and end > frm:
                r = delay.get("resume")
                if r and r["kind"] == "business_days":
                    due = end_of_day(nth_business_day_after(end.date(), r["days"]), tz)
                elif r:
                    due = end_of_day(end.date() + dt.timedelta(days=r["days"]), tz)
                elif v["deadline"]["kind"] == "hours":
                    due = (d + (end - frm)).astimezone(ZoneInfo(tz)).isoformat()
                else:  # day clocks move by whole local days
                    due = end_of_day(d.date() + dt.timedelta(days=(end.date() - frm.date()).days), tz)
        e = {"rule_id": ob["id"], "jurisdiction": j, "recipient": ob["recipient"], "kind": kind}
        if due:
            e["due"] = due
        expect.append(e)
    return expect, absent


# ---------------------------------------------------------------- case design
def shift(ts, days=0, hour=None):
    d = dt.datetime.fromisoformat(ts) + dt.timedelta(days=days)
    if hour is not None:
        d = d.replace(hour=hour, minute=0)
    return d.isoformat()


def triggers_used(obligations):
    return {v["trigger"] for o in obligations for v in o["versions"]}


def base_facts(j, obligations, count, when=None, same_day=False):
    tz, disc = BASE[j]
    if when:
        disc = when
    f = {"timezone": tz, "discovered_at": disc}
    used = triggers_used(obligations)
    if not same_day:
        if "aware_at" in used:
            f["aware_at"] = shift(disc, 1, 9)
        if "determined_at" in used:
            f["determined_at"] = shift(disc, 3, 16)
        if "detected_at" in used:
            f["detected_at"] = shift(disc, -1, 22)
    f["affected"] = {j: count}
    f["data_types"] = ["name", "ssn"]
    return f


def cases_for(j, doc):
    obs = doc["obligations"]
    mins = sorted({v["threshold"]["min"] for o in obs for v in o["versions"]
                   if "threshold" in v and "min" in v["threshold"]})
    total_scope = {v["threshold"]["min"] for o in obs for v in o["versions"]
                   if "threshold" in v and v["threshold"]["scope"] == "individuals_total"}
    top = max(mins) if mins else 1200
    cases = []
    name = doc["title"].split(":")[0]

    # 1. baseline: everything that applies, all thresholds met
    f = base_facts(j, obs, max(top, 1200))
    cases.append((f"{f['affected'][j]} {name} residents, discovered {f['discovered_at'][:10]}: every threshold met", f))

    # 2. threshold edges
    for m in mins:
        for n in (m - 1, m):
            if n <= 0:
                continue
            if m in total_scope:
                # individuals_total: a few residents here, the rest in a neighbouring state
                here = min(10, n)
                f = base_facts(j, obs, here)
                other = "US-MN" if j != "US-MN" else "US-WI"
                if n - here:
                    f["affected"][other] = n - here
                label = f"{here} {name} + {n - here} {other} residents ({n} in total)"
            else:
                f = base_facts(j, obs, n)
                label = f"{n} {name} residents"
            side = "below" if n < m else "at"
            cases.append((f"{label}: {side} the {m} threshold", f))

    # 3. effective-date edges (discovery the day before / on each switch date)
    dates = sorted({str(v[k]) for o in obs for v in o["versions"] for k in ("from", "until") if k in v})
    for d in dates:
        day = dt.date.fromisoformat(d)
        for dd, side in ((day - dt.timedelta(days=1), "day before"), (day, "on")):
            when = f"{dd.isoformat()}T10:00:00"
            f = base_facts(j, obs, max(top, 1200), when=when, same_day=True)
            cases.append((f"{f['affected'][j]} {name} residents discovered {dd.isoformat()} ({side} the "
                          f"{d} switch)", f))

    # 4. law-enforcement hold (where the state's law provides a delay for a day or hour clock)
    delayed = {i for d in doc.get("delays", []) for i in d["obligations"]}
    if any(o["id"] in delayed and v["deadline"]["kind"] in ("calendar_days", "hours", "business_days")
           for o in obs for v in o["versions"]):
        f = base_facts(j, obs, max(top, 1200))
        start = shift(f["discovered_at"], 5, 9)
        f["law_enforcement_hold"] = {"start": start, "end": shift(start, 20, 9)}
        cases.append((f"{f['affected'][j]} {name} residents; law enforcement asks for a 20-day delay from day 5: "
                      "only the clocks with a law-enforcement provision move", f))
    if any(o.get("applies", {}).get("nydfs_covered") for o in obs):
        f = base_facts(j, obs, 300)
        f["nydfs_covered"] = True
        cases.append((f"DFS-regulated entity, 300 {name} residents", f))

    # 5. applies: HIPAA roles
    roles = sorted({r for o in obs for r in o.get("applies", {}).get("hipaa_role", [])})
    for r in roles:
        f = base_facts(j, obs, 600)
        f["data_types"] = ["name", "medical", "health_insurance"]
        f["hipaa_role"] = r
        cases.append((f"HIPAA {r.replace('_', ' ')} with 600 {name} patients", f))
    seen, unique = set(), []
    for label, f in cases:
        key = repr(sorted(f.items()))
        if key not in seen:
            seen.add(key)
            unique.append((label, f))
    return unique


# ---------------------------------------------------------------- TOML out
def tq(s):
    import json
    return json.dumps(s, ensure_ascii=False)


def render(j, doc):
    out = [
        f"# Test vectors for rules/us/{j}.toml.",
        "# Expected values computed in Python (zoneinfo), independently of the Rust engine: calendar days on",
        "# the local trigger date + N, due 23:59:59 local (no roll-forward); hours on instants; business days",
        "# skip weekends and US federal holidays (observed). Anchors not given default to discovered_at.",
        "# Each case lists every obligation of the file, either under expect or under absent.",
        "",
    ]
    for name, facts in cases_for(j, doc):
        expect, absent = evaluate(j, doc["obligations"], facts, doc.get("delays", []))
        out.append("[[case]]")
        out.append(f"name = {tq(name)}")
        out.append("[case.facts]")
        out.append(f"timezone = {tq(facts['timezone'])}")
        for k in ("discovered_at", "detected_at", "aware_at", "determined_at"):
            if k in facts:
                out.append(f"{k} = {tq(facts[k])}")
        out.append("affected = { " + ", ".join(f"{k} = {v}" for k, v in facts["affected"].items()) + " }")
        out.append("data_types = [" + ", ".join(tq(x) for x in facts["data_types"]) + "]")
        if "hipaa_role" in facts:
            out.append(f"hipaa_role = {tq(facts['hipaa_role'])}")
        if facts.get("nydfs_covered"):
            out.append("nydfs_covered = true")
        if "law_enforcement_hold" in facts:
            h = facts["law_enforcement_hold"]
            out.append(f"law_enforcement_hold = {{ start = {tq(h['start'])}, end = {tq(h['end'])} }}")
        for e in expect:
            out.append("[[case.expect]]")
            for k in ("rule_id", "jurisdiction", "recipient", "kind", "due"):
                if k in e:
                    out.append(f"{k} = {tq(e[k])}")
        for a in absent:
            out.append("[[case.absent]]")
            out.append(f"rule_id = {tq(a)}")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


HOLD = "law enforcement asks for a 20-day delay from day 5"


def patch_holds():
    """Rewrites only the law-enforcement cases of the existing vector files (the files also hold
    cases written by hand since they were generated); adds one where a state's law has a delay
    provision and the file has none yet."""
    for path in sorted(glob.glob(f"{RULES}/us/US-*.toml")):
        doc = tomllib.load(open(path, "rb"))
        j = doc["jurisdiction"]
        vpath = f"{RULES}/vectors/{j}.toml"
        text = open(vpath, encoding="utf-8").read()
        fresh = render(j, doc)
        new_case = next((c for c in fresh.split("[[case]]") if HOLD in c), None)
        parts = text.split("[[case]]")
        old = [i for i, c in enumerate(parts) if HOLD in c]
        if old and new_case:
            parts[old[0]] = new_case.rstrip("\n") + "\n\n"
        elif old:
            del parts[old[0]]
        elif new_case:
            parts[-1] = parts[-1].rstrip("\n") + "\n\n"
            parts.append(new_case.rstrip("\n") + "\n")
        out = "[[case]]".join(parts).rstrip("\n") + "\n"
        tomllib.loads(out)
        with open(vpath, "w", encoding="utf-8") as fh:
            fh.write(out)


def main():
    if sys.argv[1:2] == ["--holds"]:
        global RULES
        RULES = sys.argv[2] if len(sys.argv) > 2 else RULES
        patch_holds()
        return
    n_cases = 0
    for path in sorted(glob.glob(f"{RULES}/us/US-*.toml")):
        doc = tomllib.load(open(path, "rb"))
        j = doc["jurisdiction"]
        text = render(j, doc)
        tomllib.loads(text)
        n_cases += text.count("[[case]]")
        with open(f"{RULES}/vectors/{j}.toml", "w", encoding="utf-8") as fh:
            fh.write(text)
    print("cases:", n_cases)


if __name__ == "__main__":
    main()
