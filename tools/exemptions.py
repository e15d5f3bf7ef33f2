#!/usr/bin/env python3
"""Writes each state's law-enforcement delay provision and exits from notifying into
rules/us/US-XX.toml, from the research in rules/reference/exemptions-research-{1,2,3}.json.

Run once (2026-12-02); the blocks it writes sit between markers at the end of each file, so a re-run
replaces them. Policy (rules/COVERAGE.md, "Exits and delays"):
- only research rows of medium or high confidence are encoded; low rows are listed in COVERAGE.md;
- an encryption exit never holds when the key was compromised (the engine's rule, whatever the
  statute says: over-inclusive by design);
- "own procedures" clauses are not encoded (they depend on the entity's own policy);
- deemed compliance is encoded only for the regimes the facts can name (HIPAA, GLBA, NYDFS,
  primary_federal_regulator);
- a risk-of-harm exit demands what the research found: a written determination kept N years
  (an obligation to the record), a notice of it to the attorney general.
"""
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARK = "# ---- exits and law-enforcement delay (tools/exemptions.py; research rules/reference/exemptions-research-*.json) ----"
REVIEWED = "2026-12-02"

REGIMES = {
    "GLBA": "GLBA", "GLBA_interagency_guidance": "GLBA", "Federal Interagency Guidance": "GLBA", "NCUA_guidance": "GLBA",
    "HIPAA": "HIPAA", "HITECH": "HIPAA", "NYDFS": "NYDFS",
    "primary_federal_regulator": "primary_federal_regulator", "primary_functional_regulator": "primary_federal_regulator",
    "primary_functional_federal_regulator": "primary_federal_regulator",
}


def toml_str(s):
    return json.dumps(s, ensure_ascii=False)


def split_citation(c):
    c = re.sub(r"\s*\((?:letter|section|statute)[^)]*not read[^)]*\)", "", c).strip()
    toks = c.replace("§", "").split()
    if toks and toks[0][0].isdigit():
        # "815 ILCS 530/50", "9 V.S.A. 2435(b)": title number and code name
        i = 1
        while i < len(toks) and not any(ch.isdigit() for ch in toks[i]):
            i += 1
        return " ".join(toks[:i]), " ".join(toks[i:]) or "(whole)"
    i = 0
    while i < len(toks) and not any(ch.isdigit() for ch in toks[i]):
        i += 1
    if i == 0 or i == len(toks):
        return c, "(whole)"
    return " ".join(toks[:i]), " ".join(toks[i:])


def citation_block(table, row):
    inst, sec = split_citation(row["citation"])
    return f"[[{table}.citations]]\ninstrument = {toml_str(inst)}\nsection = {toml_str(sec)}\nurl = {toml_str(row['url'])}\n"


def ok(row):
    return row and row.get("confidence") in ("high", "medium") and row.get("citation") and str(row.get("url", "")).startswith("http")


def ids_for(recipients, own, jurisdiction):
    if "all" in recipients:
        return list(own)
    out = []
    for r in recipients:
        i = f"{jurisdiction}-{r}"
        if i in own and i not in out:
            out.append(i)
    return out


def clip(s, n=700):
    s = " ".join(str(s or "").split())
    return s if len(s) <= n else s[: n - 1] + "…"


def block(j, row, text):
    own = re.findall(r'^id = "([^"]+)"', text, flags=re.M)
    out, skipped = [], []
    le = row.get("law_enforcement_delay")
    if ok(le):
        ids = ids_for(le.get("delays") or ["individuals"], own, j)
        if ids:
            resume = le.get("resume")
            lines = [f"[[delays]]", f"obligations = {json.dumps(ids)}"]
            if le.get("request_form") == "written":
                lines.append("written_only = true")
            if resume and resume.get("days"):
                if resume["kind"] == "business_days":
                    lines.append(f'resume = {{ kind = "business_days", days = {resume["days"]}, calendar = "US-federal" }}')
                else:
                    lines.append(f'resume = {{ kind = "calendar_days", days = {resume["days"]} }}')
            lines += [f'confidence = "{le["confidence"]}"', f"reviewed_on = {REVIEWED}"]
            summary = f"Law-enforcement delay: \"{clip(le.get('quote'), 400)}\" After the delay: {clip(le.get('after'), 300)} Read on: {clip(le.get('source_read'), 250)}"
            lines.append(f"summary = {toml_str(summary)}")
            out.append("\n".join(lines) + "\n" + citation_block("delays", le))
    elif le:
        skipped.append(f"law-enforcement delay ({le.get('confidence')})")
    enc = row.get("encryption")
    if ok(enc):
        ids = ids_for(enc.get("exempts") or ["all"], own, j)
        frm = enc.get("effective_from")
        lines = ["[[exemptions]]", f'id = "{j}-encryption"', 'kind = "encryption"', f"exempts = {json.dumps(ids)}"]
        if frm:
            lines.append(f"from = {frm}")
        lines += [f'confidence = "{enc["confidence"]}"', f"reviewed_on = {REVIEWED}"]
        key = enc.get("key_condition") or "none"
        keytext = "The statute's own words lose the exit when the key was acquired too." if key.startswith("key_not_acquired") or "lost" in key else "The text read has no key clause; Breachdesk still never relies on encryption when the key was compromised."
        summary = f"Encrypted data is outside the law: \"{clip(enc.get('quote'), 400)}\" {keytext} Read on: {clip(enc.get('source_read'), 250)}"
        lines.append(f"summary = {toml_str(summary)}")
        out.append("\n".join(lines) + "\n" + citation_block("exemptions", enc))
    elif enc:
        skipped.append(f"encryption ({enc.get('confidence')})")
    harm = row.get("risk_of_harm")
    if ok(harm):
        ids = ids_for(harm.get("exempts") or ["individuals"], own, j)
        frm = harm.get("effective_from")
        lines = ["[[exemptions]]", f'id = "{j}-harm"', 'kind = "risk_of_harm"', f"exempts = {json.dumps(ids)}"]
        if harm.get("law_enforcement_consultation"):
            lines.append("law_enforcement_consultation = true")
        if harm.get("written_determination"):
            lines.append("written_determination = true")
        if frm:
            lines.append(f"from = {frm}")
        lines += [f'confidence = "{harm["confidence"]}"', f"reviewed_on = {REVIEWED}"]
        standard = clip(harm.get('standard'), 500).rstrip(". ") + "."
        summary = f"No notice when {standard} Statute: \"{clip(harm.get('quote'), 400)}\" Read on: {clip(harm.get('source_read'), 250)}"
        lines.append(f"summary = {toml_str(summary)}")
        text_out = "\n".join(lines) + "\n" + citation_block("exemptions", harm)
        if harm.get("written_determination"):
            keep = harm.get("keep_years")
            text_out += (
                "[[exemptions.requires]]\n"
                f'id = "{j}-harm-record"\nrecipient = "record"\ntrigger = "harm_determined_at"\ndeadline = {{ kind = "asap" }}\n'
                + (f"keep_years = {keep}\n" if keep else "")
                + f"summary = {toml_str('Document the no-harm determination in writing' + (f' and keep it at least {keep} years' if keep else '') + '.')}\n"
            )
        for k, n in enumerate(harm.get("notify") or []):
            if n.get("from") != "determination":
                continue
            dl = n.get("deadline") or {}
            if dl.get("kind") == "calendar_days" and dl.get("days"):
                deadline = f'{{ kind = "calendar_days", days = {dl["days"]} }}'
                when = f"within {dl['days']} days of the determination"
            elif dl.get("kind") == "business_days" and dl.get("days"):
                deadline = f'{{ kind = "business_days", days = {dl["days"]}, calendar = "US-federal" }}'
                when = f"within {dl['days']} business days of the determination"
            else:
                deadline = '{ kind = "asap" }'
                when = "before relying on it" if dl.get("kind") == "before_relying" else "without unreasonable delay"
            who = n.get("recipient", "attorney_general")
            text_out += (
                "[[exemptions.requires]]\n"
                f'id = "{j}-harm-notice{"" if k == 0 else k + 1}"\nrecipient = "{who}"\ntrigger = "harm_determined_at"\ndeadline = {deadline}\n'
                f"summary = {toml_str('Send the written determination to the ' + who.replace('_', ' ') + ' ' + when + '.' + (' Statute: ' + chr(34) + clip(n.get('quote'), 300) + chr(34) if n.get('quote') else ''))}\n"
            )
        out.append(text_out)
    elif harm:
        skipped.append(f"risk of harm ({harm.get('confidence')})")
    for k, dc in enumerate(row.get("deemed_compliance") or []):
        if dc.get("kind") != "federal_regime":
            continue
        if "not an exemption" in (dc.get("conditions") or "").lower():
            skipped.append(f"deemed compliance {dc.get('regimes')} (the research reads it as an added duty, not an exit)")
            continue
        if not ok(dc):
            skipped.append(f"deemed compliance {dc.get('regimes')} ({dc.get('confidence')})")
            continue
        regimes = sorted({REGIMES[r] for r in dc.get("regimes", []) if r in REGIMES})
        if not regimes:
            skipped.append(f"deemed compliance {dc.get('regimes')} (no regime the facts can name)")
            continue
        ids = ids_for(dc.get("exempts") or ["individuals"], own, j)
        if not ids:
            continue
        lines = ["[[exemptions]]", f'id = "{j}-deemed{"" if k == 0 else k + 1}"', 'kind = "deemed_compliance"', f"exempts = {json.dumps(ids)}", f"regimes = {json.dumps(regimes)}"]
        lines += [f'confidence = "{dc["confidence"]}"', f"reviewed_on = {REVIEWED}"]
        still = [s.get("recipient") for s in dc.get("still_requires") or []]
        still_text = f" Still required: notice to the {', '.join(x.replace('_', ' ') for x in still)} (encoded as this state's own obligations, which this exit leaves in place)." if still else ""
        conditions = clip(dc.get('conditions'), 400).rstrip(". ") + "."
        summary = f"Deemed compliance: {conditions}{still_text} Statute: \"{clip(dc.get('quote'), 350)}\" Read on: {clip(dc.get('source_read'), 250)}"
        lines.append(f"summary = {toml_str(summary)}")
        out.append("\n".join(lines) + "\n" + citation_block("exemptions", dc))
    return out, skipped


def main():
    research = {}
    for i in (1, 2, 3):
        research.update(json.loads((ROOT / f"rules/reference/exemptions-research-{i}.json").read_text()))
    report = {}
    for j, row in sorted(research.items()):
        path = ROOT / "rules/us" / f"{j}.toml"
        text = path.read_text()
        if MARK in text:
            text = text[: text.index(MARK)].rstrip() + "\n"
        blocks, skipped = block(j, row, text)
        report[j] = skipped
        if blocks:
            text = text.rstrip() + "\n\n" + MARK + "\n\n" + "\n".join(blocks)
        path.write_text(text)
    json.dump(report, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
