#!/usr/bin/env python3
"""Writes each state's definition of personal information (`[covered_data]`) into rules/us/US-XX.toml
from rules/reference/covered-data-research.json (research of 2026-11-22: statute text or secondary
charts, each entry with the page read). Run once; the rule files are maintained by hand afterwards.

Confidence is kept as researched, except that "high" is capped at "medium" when the page read was not
an official legislature site or an established code publisher (Justia, FindLaw, Cornell LII,
Casetext): a copy of the statute on another site may be stale.
"""
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
TRUSTED = ("legis.la.gov", "leg.wa.gov", "codes.findlaw.com", "law.justia.com", "law.cornell.edu", "casetext.com",
           "mgaleg.maryland.gov", "scstatehouse.gov", "legislature.maine.gov")
# Pages that are official but hold an old text (the research notes say so): capped as well.
STALE = {"US-ME": "the page read is the 2005 enacted law, not the current code"}

LABEL = {
    "ssn": "Social Security number", "tax_id": "taxpayer ID", "drivers_license": "driver's license or state ID number",
    "passport": "passport or other government ID number", "financial_account": "financial account number",
    "payment_card": "credit or debit card number", "username_password": "username or e-mail with password",
    "medical": "medical information", "health_insurance": "health insurance information", "biometric": "biometric data",
    "genetic": "genetic data", "precise_location": "precise geolocation", "dob": "date of birth", "name": "name",
    "address": "address", "email": "e-mail", "phone": "phone",
}


def toml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def split_citation(c: str) -> tuple[str, str]:
    m = re.search(r"§+\s*", c)
    if m:
        return c[: m.start()].strip(), c[m.end():].strip()
    parts = c.rsplit(" ", 1)
    return (parts[0], parts[1]) if len(parts) == 2 else (c, c)


def block(code: str, e: dict) -> str:
    conf = e["confidence"]
    why_capped = ""
    if conf == "high" and (not any(t in e["url"] for t in TRUSTED) or code in STALE):
        conf = "medium"
        why_capped = " Confidence capped at medium: " + STALE.get(code, "the statute text was read on an unofficial copy.")
    with_name = [x for x in e["with_name"]]
    alone = [x for x in e["alone"]]
    parts = []
    if with_name:
        parts.append("Name with any of: " + ", ".join(LABEL[x] for x in with_name) + ".")
    if alone:
        parts.append("Without a name: " + ", ".join(LABEL[x] for x in alone) + ".")
    if e.get("not_mapped"):
        parts.append("Also covered, not tracked by Breachdesk (check by hand): " + "; ".join(e["not_mapped"]) + ".")
    if e.get("effective_from"):
        parts.append(f"Definition as in force from {e['effective_from']}.")
    summary = " ".join(parts) + " " + e["notes"].strip() + why_capped
    instrument, section = split_citation(e["citation"])
    lines = [
        "",
        "# Which exposed data brings a resident under this law (research of 2026-11-22,",
        "# rules/reference/covered-data-research.json; tools/covered_data.py).",
        "[covered_data]",
        "with_name = [" + ", ".join(toml_str(x) for x in with_name) + "]",
        "alone = [" + ", ".join(toml_str(x) for x in alone) + "]",
        f"confidence = {toml_str(conf)}",
        f"from = {e['effective_from']}   # the definition as encoded is in force from this date",
        "reviewed_on = 2026-11-22",
        f"summary = {toml_str(summary)}",
        "",
        "[[covered_data.citations]]",
        f"instrument = {toml_str(instrument)}",
        f"section = {toml_str(section)}",
        f"url = {toml_str(e['url'])}",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    research = json.loads((ROOT / "rules/reference/covered-data-research.json").read_text())
    for code, e in sorted(research.items()):
        path = ROOT / "rules/us" / f"{code}.toml"
        text = path.read_text()
        if "[covered_data]" in text:
            print(f"{path.name}: already has [covered_data], left alone")
            continue
        # After the header keys (regime, jurisdiction, title), before the first [[obligations]].
        i = text.index("[[obligations]]")
        path.write_text(text[:i].rstrip("\n") + "\n" + block(code, e) + "\n" + text[i:])
        print(f"{path.name}: covered_data written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
