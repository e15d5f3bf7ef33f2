#!/usr/bin/env python3
"""Oracle for rules/vectors/insurance.toml: the commissioner notices of rules/insurance/*.toml,
computed in plain Python (zoneinfo, US federal holidays) from each file's limit and threshold."""
import datetime as dt
import glob
import importlib.util
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("g", ROOT / "tools/gen_state_vectors.py")
g = importlib.util.module_from_spec(spec)
spec.loader.exec_module(g)

out = ["# Vectors for rules/insurance/*.toml (state insurance data security laws), computed by",
       "# tools/insurance_vectors.py in plain Python. Determination 2026-03-05 (Thursday) 15:00 local; the",
       "# licensee's home state is Ohio unless a case says otherwise.", ""]
for path in sorted(glob.glob(str(ROOT / "rules/insurance/US-*.toml"))):
    doc = tomllib.load(open(path, "rb"))
    j = doc["jurisdiction"]
    ob = doc["obligations"][0]
    v = ob["versions"][0]
    tz, _ = g.BASE[j]
    det = "2026-03-05T15:00:00"
    kind, due = g.due_for(v["deadline"], det, tz)
    th = v["threshold"]
    home = "US-OH" if j != "US-OH" else "US-PA"
    cases = [(f"{j} home-state licensee, 10 residents", j, 10, True)]
    if th["scope"] == "home_state_or_residents":
        cases += [(f"{j}: {th['min']} residents, home state elsewhere", home, th["min"], True),
                  (f"{j}: {th['min'] - 1} residents, home state elsewhere", home, th["min"] - 1, False)]
    else:
        cases += [(f"{j}: 5000 residents, but only domestic insurers report", home, 5000, False)]
    for name, hs, n, want in cases:
        out += ["[[case]]", f'name = "{name}"', "[case.facts]", f'timezone = "{tz}"', 'discovered_at = "2026-03-03T10:00:00"',
                f'determined_at = "{det}"', f"affected = {{ {j} = {n} }}", 'data_types = ["name", "ssn"]', f'insurance_licensee = {{ home_state = "{hs}" }}']
        if want:
            out += ["[[case.expect]]", f'rule_id = "{ob["id"]}"', f'jurisdiction = "{j}"', 'recipient = "state_regulator"', f'kind = "{kind}"', f'due = "{due}"']
        else:
            out += ["[[case.absent]]", f'rule_id = "{ob["id"]}"']
        out.append("")
    out += ["[[case]]", f'name = "{j}: not an insurance licensee"', "[case.facts]", f'timezone = "{tz}"', 'discovered_at = "2026-03-03T10:00:00"',
            f"affected = {{ {j} = 5000 }}", 'data_types = ["name", "ssn"]', "[[case.absent]]", f'rule_id = "{ob["id"]}"', ""]
text = "\n".join(out)
tomllib.loads(text)
(ROOT / "rules/vectors/insurance.toml").write_text(text)
print(text.count("[[case]]"), "cases")
