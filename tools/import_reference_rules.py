#!/usr/bin/env python3
"""One-off importer: US state / DC / territory rows of the Nov 2026 research file -> rules/us/*.toml.

Reads `legal-rules.json` (key `rules`) and writes, for every US state, DC, PR, VI and GU:

    rules/us/US-XX.toml      one rule file per jurisdiction (schema: rules/README.md)
    rules/COVERAGE.md        every US research row -> obligation id, or skipped + reason; known gaps

Standard library only. Output is deterministic (sorted, no timestamps). The generated files are maintained
BY HAND from then on: the script refuses to overwrite existing files unless --force is given.

NEVER INVENT LAW. Everything written comes from a research row: its citation, source_url, confidence,
effective dates and deadline. The only hand-written text is in the tables below: a plain-English summary of
each row's notes (SUMMARY), the channel where the notes name one (CHANNEL), and the mapping judgments
(TRIGGER_JUDGMENT, THRESHOLD_JUDGMENT, ...) that are each listed in COVERAGE.md.

Usage:  python3 tools/import_reference_rules.py [--source PATH] [--out RULES_DIR] [--force] [--check]
        --check parses what would be written with tomllib and validates it, without writing anything.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = REPO.parent / "shared" / "reference" / "legal-rules.json"
REVIEWED_ON = "2026-11-01"  # the research date

HEADER = (
    "# Imported from the Nov 2026 research file (shared/reference/legal-rules.json) by\n"
    "# tools/import_reference_rules.py, then reviewed by hand against each row's notes.\n"
    "# Maintained BY HAND from now on: edit this file, do not re-run the importer over it.\n"
    "# Research data, not legal advice: have counsel confirm every medium/low row before relying on it.\n"
)

# --------------------------------------------------------------------------------------------------
# Jurisdictions handled here (50 states + DC + PR + VI + GU = 54 files).
# --------------------------------------------------------------------------------------------------
NAMES = {
    "US-AL": "Alabama", "US-AK": "Alaska", "US-AZ": "Arizona", "US-AR": "Arkansas", "US-CA": "California",
    "US-CO": "Colorado", "US-CT": "Connecticut", "US-DE": "Delaware", "US-DC": "District of Columbia",
    "US-FL": "Florida", "US-GA": "Georgia", "US-HI": "Hawaii", "US-ID": "Idaho", "US-IL": "Illinois",
    "US-IN": "Indiana", "US-IA": "Iowa", "US-KS": "Kansas", "US-KY": "Kentucky", "US-LA": "Louisiana",
    "US-ME": "Maine", "US-MD": "Maryland", "US-MA": "Massachusetts", "US-MI": "Michigan", "US-MN": "Minnesota",
    "US-MS": "Mississippi", "US-MO": "Missouri", "US-MT": "Montana", "US-NE": "Nebraska", "US-NV": "Nevada",
    "US-NH": "New Hampshire", "US-NJ": "New Jersey", "US-NM": "New Mexico", "US-NY": "New York",
    "US-NC": "North Carolina", "US-ND": "North Dakota", "US-OH": "Ohio", "US-OK": "Oklahoma", "US-OR": "Oregon",
    "US-PA": "Pennsylvania", "US-RI": "Rhode Island", "US-SC": "South Carolina", "US-SD": "South Dakota",
    "US-TN": "Tennessee", "US-TX": "Texas", "US-UT": "Utah", "US-VT": "Vermont", "US-VA": "Virginia",
    "US-WA": "Washington", "US-WV": "West Virginia", "US-WI": "Wisconsin", "US-WY": "Wyoming",
    "US-PR": "Puerto Rico", "US-VI": "U.S. Virgin Islands", "US-GU": "Guam",
}

# US rows that are not state / DC / territory rows: listed in COVERAGE.md, not encoded here.
NOT_HERE = {
    "US-NY-DFS": "NYDFS regime (23 NYCRR 500.17), not a state breach statute: handled in "
                 "rules/federal/nydfs.toml (regime NYDFS), not rules/us/",
    "US-INS-NAIC668": "multistate insurance model law: needs an entity-type fact (insurance licensee), and the "
                      "research did not compile the per-state enactments, clocks or dates",
}

NOT_HERE_ROW = {
    "US-NY-DFS-026": " (encoded there as NYDFS-500.17)",
    "US-NY-DFS-027": " (not encoded there: needs an extortion-payment fact)",
    "US-NY-DFS-028": " (not encoded there: needs an extortion-payment fact)",
}

# --------------------------------------------------------------------------------------------------
# Mapping tables
# --------------------------------------------------------------------------------------------------
TRIGGER = {
    "discovery": "discovered_at",
    "discovery_or_notification": "discovered_at",
    "knows_of_acquisition": "discovered_at",
    "determination_of_breach": "determined_at",
    "determination_or_reason_to_believe": "determined_at",
    "confirmation_of_breach": "determined_at",
    "awareness": "aware_at",
    "detection": "detected_at",
}

# Research triggers with no exact fact: the anchor chosen and why (each listed in COVERAGE.md).
TRIGGER_JUDGMENT = {
    "determination_of_breach_or_third_party_notice": (
        "determined_at",
        "AL: 'determination of breach, or notice from a third-party agent'. There is no separate "
        "vendor-notice fact; counted from determined_at (which defaults to discovered_at)."),
    "knows_or_reason_to_know": (
        "discovered_at",
        "MA: 'knows or has reason to know' is the discovery standard (knows, or with diligence would "
        "know); counted from discovered_at. All MA clocks are ASAP, so only the displayed anchor is affected."),
    "awareness_and_scope_identified": (
        "aware_at",
        "ME: 'aware of the breach AND scope identified'. The row's notes say a conservative engine should "
        "start at awareness and flag scope identification as a possible later anchor; aware_at used."),
    "investigation_concluded": (
        "determined_at",
        "MD before 2022-10-01: '45 days after concluding the investigation'. No fact records the end of the "
        "investigation; counted from determined_at, which can be no later (conservative: earlier due date)."),
    "determination_of_harm": (
        "determined_at",
        "AR AG: '45 days after determining a reasonable likelihood of harm'; counted from determined_at."),
    "discovery_or_individual_notice_sent_whichever_first": (
        "discovered_at",
        "VT AG: '14 business days of discovery, or when consumers are notified if sooner'. Encoded as "
        "14 business days from discovered_at; the 'or at consumer notice, if sooner' arm is in the summary."),
}

RECIPIENT = {
    "individuals": "individuals",
    "AG": "attorney_general",
    "AG_DOS_StatePolice": "attorney_general",
    "state_regulator_or_AG": "attorney_general",
    "CRA": "consumer_reporting_agencies",
    "state_regulator": "state_regulator",
    "state_police": "state_regulator",
}
RECIPIENT_ORDER = ["individuals", "attorney_general", "state_regulator", "consumer_reporting_agencies", "other"]

# applies_to values we can express; every other applies_to needs an entity-type fact -> row skipped.
APPLIES = {
    "HIPAA covered entity": {"hipaa_role": ["covered_entity"]},
    "HIPAA covered entity or business associate": {"hipaa_role": ["covered_entity", "business_associate"]},
}
# Threshold conditions that limit WHO the rule applies to and map onto an `applies` key.
CONDITION_APPLIES = {
    "entity regulated by NYDFS": {"nydfs_covered": True},
}
# Threshold conditions that do not limit who the rule applies to: no threshold, condition in the summary.
CONDITION_SUMMARY_ONLY = {
    "CRAs and state agencies identified by OCABR",
}

# Second obligation for the same recipient in one jurisdiction: id suffix.
SUFFIX = {
    "US-IL-114": "hipaa",
    "US-NY-167": "hipaa",
    # Only one NY state_regulator obligation today, but DFS is named in the id (as in the brief) so the id
    # stays stable if another NY regulator notice is added later.
    "US-NY-165": "dfs",
}

# Per-row deadline overrides, each with the reason (listed in COVERAGE.md).
DEADLINE_OVERRIDE = {
    "US-AR-079": (
        {"kind": "relative", "to": "US-AR-individuals", "relation": "with", "outer_days": 45},
        "AR AG: notes say 'at the same time as individual notice OR within 45 days after determining a "
        "reasonable likelihood of harm, whichever is FIRST' -> relative 'with' individual notice, "
        "outer limit 45 calendar days from the trigger."),
}

# Threshold scope judgments (listed in COVERAGE.md).
SCOPE = {"state_residents": "state_residents", "individuals_total": "individuals_total",
         "residents_of_any_one_state": "individuals_total"}
THRESHOLD_JUDGMENT = {
    "US-MN-141": ("state_residents",
                  "MN CRA: scope 'persons' (\"more than 500 persons at one time\"). Research section 7 says "
                  "thresholds count the residents notified under the state's statute unless the notes say "
                  "otherwise (only ND is flagged as counting everyone); same wording as KY, NJ, NV, SC rows "
                  "stored as state_residents. Encoded as state_residents."),
    "US-ND-172": ("individuals_total",
                  "ND AG: 'exceeds two hundred fifty individuals', statute does not say ND residents -> "
                  "individuals_total (all affected individuals, every state)."),
    "US-OK-176": ("state_residents",
                  "OK AG: min 500 encoded; the row's condition '1,000+ if the breach is of a credit bureau' "
                  "has no fact, so credit bureaus get the 500 threshold (over-inclusive, stated in summary)."),
}

# Rows that name the exact addressee / route (taken from the notes).
CHANNEL = {
    "US-AL-068": "AG web form",
    "US-AZ-075": "AG online form",
    "US-AZ-076": "Arizona Department of Homeland Security",
    "US-CA-083": "AG (electronic submission of one sample notice)",
    "US-CA-084": "AG (sample copy of the notice)",
    "US-CT-093": "AG online form",
    "US-FL-101": "Department of Legal Affairs (Attorney General)",
    "US-HI-108": "Office of Consumer Protection (DCCA)",
    "US-IN-116": "AG form with sample notice",
    "US-IA-119": "Director of the Consumer Protection Division, Office of the Attorney General (written notice)",
    "US-LA-126": "AG Consumer Protection Section (written notice)",
    "US-ME-128": "Maine AG online reporting service; or the entity's regulator in the Dept. of Professional "
                 "and Financial Regulation if it is regulated by it",
    "US-MA-136": "AG and Director of OCABR (OCABR online form)",
    "US-MT-147": "AG Office of Consumer Protection (electronic copy)",
    "US-NE-149": "AG online form",
    "US-NH-154": "Entity's primary regulator, or the NH AG if none",
    "US-NJ-157": "NJ Division of State Police (NJ Cybersecurity & Communications Integration Cell portal)",
    "US-NY-164": "Single AG web form (AG, Department of State, Division of State Police)",
    "US-NY-165": "New York State Department of Financial Services",
    "US-NC-169": "Consumer Protection Division of the AG's office (online form)",
    "US-ND-172": "AG by mail or email",
    "US-OR-178": "AG in writing or electronically (AG form)",
    "US-PA-182": "Office of Attorney General (online portal)",
    "US-PR-221": "Department of Consumer Affairs (DACO)",
    "US-SC-188": "Consumer Protection Division, Department of Consumer Affairs",
    "US-SD-191": "AG by mail or email",
    "US-TX-196": "AG electronic form",
    "US-UT-200": "AG and the Utah Cyber Center",
    "US-VT-203": "AG, or the Department of Financial Regulation if licensed or registered with it",
    "US-VA-206": "Office of the AG (letter with sample notice)",
    "US-WA-212": "AG web form",
}
ADDRESS = {
    "US-NE-149": "https://protectthegoodlife.nebraska.gov/data-breach-notification",
}

# law_enforcement_hold: set where the row's notes mention a law-enforcement delay. Detected with LE_RE and
# then checked by hand; LE_EXCLUDE lists matches that are not a hold on this row's own deadline.
LE_RE = re.compile(r"\bLE\b|[Ll]aw[- ]enforcement")
LE_EXCLUDE: set[str] = set()

BUSINESS_DAYS_NOTE = ("counted here on US federal holidays; the statute's own holiday calendar was not "
                      "researched")
RELATIVE_BUSINESS_NOTE = ("counted here as calendar days after that notice (earlier than business days, so "
                          "conservative), because relative deadlines count calendar days")

# Plain-English paraphrase of each encoded row's notes (no facts beyond the row).
SUMMARY = {
    "US-AL-067": "Notify as expeditiously as possible and without unreasonable delay, no later than 45 days "
                 "after receiving notice from a third-party agent or determining that a breach occurred and is "
                 "reasonably likely to cause substantial harm (counted here from determination). A "
                 "law-enforcement delay applies only on written request.",
    "US-AL-068": "More than 1,000 Alabama individuals: notify the AG (web form) as expeditiously as possible, "
                 "no later than 45 days after determination of the breach or notice from a third-party agent.",
    "US-AL-069": "More than 1,000 affected: notify all nationwide consumer reporting agencies without "
                 "unreasonable delay.",
    "US-AK-071": "Notify in the most expeditious time possible and without unreasonable delay, subject to a "
                 "law-enforcement delay and measures to determine scope and restore the system.",
    "US-AK-073": "More than 1,000 Alaska residents: notify the nationwide consumer reporting agencies (no "
                 "fixed period).",
    "US-AZ-074": "Notify within 45 days after determining, after a prompt investigation of a security "
                 "incident, that a breach occurred.",
    "US-AZ-075": "More than 1,000 Arizona individuals: notify the AG (online form) within 45 days after "
                 "determining that a breach occurred.",
    "US-AZ-076": "More than 1,000 Arizona individuals: notify the Arizona Department of Homeland Security, "
                 "same threshold and timing as the AG (45 days after determination). Added by HB 2146 (2022); "
                 "its effective date was not verified, so no start date is encoded.",
    "US-AZ-077": "More than 1,000 Arizona individuals: notify the three largest nationwide consumer reporting "
                 "agencies within 45 days after determining that a breach occurred.",
    "US-AR-078": "Notify in the most expedient time and manner possible and without unreasonable delay.",
    "US-AR-079": "More than 1,000 individuals: notify the AG at the same time as individual notice or within "
                 "45 days after determining a reasonable likelihood of harm, whichever is first. A no-harm "
                 "determination must be kept 5 years and given to the AG within 30 days of a request.",
    "US-CA-082": "Before 2026: notify in the most expedient time possible and without unreasonable delay.",
    "US-CA-081": "Notify within 30 calendar days of discovering or being notified of the breach; delay only "
                 "for legitimate law-enforcement needs or to determine scope and restore reasonable system "
                 "integrity. A data maintainer must notify the owner immediately; the owner then has 30 days "
                 "from that notice.",
    "US-CA-084": "More than 500 California residents notified: send the AG a sample copy of the notice; no "
                 "deadline before 2026 (shown as ASAP).",
    "US-CA-083": "More than 500 California residents notified as a result of a single breach: electronically "
                 "submit one sample copy of the notice (no personal information) to the AG within 15 calendar "
                 "days of notifying consumers.",
    "US-CO-088": "Notify in the most expedient time possible and without unreasonable delay, no later than 30 "
                 "days after determining that a breach occurred (when there is sufficient evidence to conclude "
                 "that one took place).",
    "US-CO-089": "500 or more Colorado residents: notify the AG no later than 30 days after determination of "
                 "the breach.",
    "US-CO-090": "More than 1,000 Colorado residents: notify all nationwide consumer reporting agencies in the "
                 "most expedient time possible and without unreasonable delay. The threshold was recalled, not "
                 "read in the statute text.",
    "US-CT-092": "2018-10-01 to 2021-09-30: notify no later than 90 days after discovery (historical outer "
                 "limit).",
    "US-CT-091": "Notify without unreasonable delay and no later than 60 days after discovery; residents not "
                 "identified within 60 days are notified as expediently as possible afterwards.",
    "US-CT-093": "Any number of Connecticut residents: notify the AG (online form) no later than residents "
                 "are notified. 24 months of identity-theft prevention services are owed if SSNs or ITINs are "
                 "involved.",
    "US-DE-094": "Notify without unreasonable delay and no later than 60 days after determining the breach "
                 "(sooner if federal law requires; law-enforcement delay allowed; residents identified later "
                 "are notified as soon as practicable). One year of free credit monitoring if SSNs are "
                 "involved.",
    "US-DE-095": "More than 500 Delaware residents: notify the AG no later than residents are notified.",
    "US-DC-097": "Notify in the most expedient time possible and without unreasonable delay. 18 months of free "
                 "identity-theft protection if SSNs or TINs are involved.",
    "US-DC-098": "50 or more DC residents (or an unknown number, which cannot be computed here): notify the AG "
                 "in the most expedient manner possible, without unreasonable delay, and no later than notice "
                 "to residents.",
    "US-DC-099": "More than 1,000 DC residents: notify the nationwide consumer reporting agencies.",
    "US-FL-100": "Notify as expeditiously as practicable and without unreasonable delay, no later than 30 days "
                 "after determining a breach occurred or having reason to believe one did. Up to 15 more days "
                 "if good cause is given in writing to the Department of Legal Affairs within 30 days (the "
                 "extension is not computed).",
    "US-FL-101": "500 or more Florida individuals: notify the Department of Legal Affairs (AG) as "
                 "expeditiously as practicable, no later than 30 days (15 more with written good cause, not "
                 "computed). A no-harm determination must be documented, kept 5 years and sent to the "
                 "Department within 30 days.",
    "US-FL-102": "More than 1,000 individuals at a single time: notify the nationwide consumer reporting "
                 "agencies.",
    "US-GA-104": "Information brokers and data collectors notify in the most expedient time possible and "
                 "without unreasonable delay.",
    "US-GA-106": "More than 10,000 Georgia residents at one time: notify the nationwide consumer reporting "
                 "agencies. Georgia has no AG notice requirement.",
    "US-HI-107": "Notify without unreasonable delay, consistent with law-enforcement needs and measures to "
                 "determine contact information and scope and restore integrity.",
    "US-HI-108": "More than 1,000 persons at one time: notify the Office of Consumer Protection (DCCA) without "
                 "unreasonable delay.",
    "US-HI-109": "More than 1,000 persons: notify the nationwide consumer reporting agencies without "
                 "unreasonable delay.",
    "US-ID-110": "Notify in the most expedient time possible and without unreasonable delay. No AG or CRA "
                 "notice for private entities.",
    "US-IL-112": "Notify in the most expedient time possible and without unreasonable delay.",
    "US-IL-113": "More than 500 Illinois residents from a single breach: notify the AG in the most expedient "
                 "time possible and no later than consumers are notified.",
    "US-IL-114": "HIPAA covered entities and business associates that comply with HIPAA are deemed compliant "
                 "with PIPA but must give the AG a copy of the notice within 5 business days of notifying the "
                 "HHS Secretary; " + RELATIVE_BUSINESS_NOTE + ".",
    "US-IN-115": "Notify without unreasonable delay and no later than 45 days after discovery; reasonable "
                 "delay allowed to restore integrity, find the scope, or at the AG's or law enforcement's "
                 "request.",
    "US-IN-116": "Any disclosure to Indiana residents must also be made to the AG (AG form and sample notice), "
                 "within 45 days of notice to individuals as the research row encodes it.",
    "US-IN-117": "More than 1,000 consumers: notify each consumer reporting agency within 45 days after "
                 "discovery.",
    "US-IA-118": "Notify in the most expeditious manner possible and without unreasonable delay, consistent "
                 "with law-enforcement needs and measures to determine contact information and scope and "
                 "restore integrity. A no-harm determination must be documented and kept 5 years.",
    "US-IA-119": "More than 500 Iowa residents: written notice to the Director of the AG's Consumer Protection "
                 "Division within 5 business days after notifying consumers; " + RELATIVE_BUSINESS_NOTE + ". "
                 "The Iowa AG web page says 'at least 500', statute summaries say 'more than 500' (used here).",
    "US-KS-120": "On becoming aware, investigate promptly in good faith; if misuse occurred or is reasonably "
                 "likely, notify in the most expedient time possible and without unreasonable delay. No AG "
                 "notice.",
    "US-KS-121": "More than 1,000 consumers at one time: notify all nationwide consumer reporting agencies "
                 "without unreasonable delay.",
    "US-KY-122": "Notify in the most expedient time possible and without unreasonable delay. The statute does "
                 "not apply to entities subject to GLBA Title V or HIPAA (not encoded). No AG notice.",
    "US-KY-123": "More than 1,000 persons at one time: notify all nationwide consumer reporting agencies "
                 "without unreasonable delay.",
    "US-LA-125": "Notify in the most expedient time possible and without unreasonable delay, no later than 60 "
                 "days from discovery. If delayed for law enforcement or scope/restoration, give the AG written "
                 "reasons within the 60 days; the AG shall allow a reasonable extension.",
    "US-LA-126": "Any notice to Louisiana residents: written notice to the AG Consumer Protection Section, "
                 "timely if received within 10 days of distributing the notice to residents, with the names of "
                 "all affected Louisiana residents. Late notice: up to $5,000 a day.",
    "US-ME-127": "Notify as expediently as possible and without unreasonable delay, no more than 30 days after "
                 "becoming aware of the breach and identifying its scope (counted here from awareness; scope "
                 "identification may be a later anchor). After a law-enforcement delay: within 7 business days "
                 "of clearance.",
    "US-ME-128": "Any Maine resident notified: notify the entity's regulator in the Department of Professional "
                 "and Financial Regulation if it has one there, otherwise the AG. No separate deadline; treated "
                 "as due with individual notice.",
    "US-ME-129": "More than 1,000 persons at one time: notify the consumer reporting agencies without "
                 "unreasonable delay.",
    "US-MD-131": "2018-01-01 to 2022-09-30: notify no later than 45 days after concluding the investigation "
                 "(counted here from determination of the breach, which is no later).",
    "US-MD-130": "Notify as soon as reasonably practicable and no later than 45 days after discovering or "
                 "being notified of the breach (HB 962, from 2022-10-01).",
    "US-MD-132": "Any number: notify the Office of the Attorney General before notifying individuals.",
    "US-MD-133": "1,000 or more individuals: notify the nationwide consumer reporting agencies.",
    "US-MA-135": "Notify as soon as practicable and without unreasonable delay; not knowing the total number "
                 "affected is no reason to delay. 18 months of free credit monitoring if SSNs are involved (42 "
                 "months if the breached entity is a consumer reporting agency).",
    "US-MA-136": "Any number: notify the AG and the Director of OCABR (online form) as soon as practicable and "
                 "without unreasonable delay, with a sample notice and credit-monitoring certification.",
    "US-MA-137": "Notify the consumer reporting agencies and state agencies that OCABR identifies, as soon as "
                 "practicable and without unreasonable delay.",
    "US-MI-138": "Notify without unreasonable delay, consistent with measures to determine scope and restore "
                 "integrity and with law-enforcement delay. No AG notice under current law (SB 360 would add "
                 "one at 100+ residents; not enacted as far as found).",
    "US-MI-139": "More than 1,000 residents: notify the nationwide consumer reporting agencies without "
                 "unreasonable delay.",
    "US-MN-140": "Notify in the most expedient time possible and without unreasonable delay.",
    "US-MN-141": "More than 500 persons at one time: notify the consumer reporting agencies within 48 hours.",
    "US-MS-142": "Notify without unreasonable delay, subject to law-enforcement delay and time to investigate "
                 "the scope, identify those affected or restore integrity; no notice if, after investigation, "
                 "harm is not likely. No AG or CRA notice.",
    "US-MO-143": "Notify without unreasonable delay, consistent with law-enforcement needs and measures to "
                 "determine contact information and scope and restore integrity. A no-risk determination must "
                 "be documented and kept 5 years.",
    "US-MO-144": "Notice to more than 1,000 consumers at one time: notify the AG's office of the timing, "
                 "distribution and content of the notice without unreasonable delay (no fixed period; the "
                 "research anchors it to notice to residents).",
    "US-MO-145": "More than 1,000 consumers at one time: notify all nationwide consumer reporting agencies of "
                 "the timing, distribution and content of the notice without unreasonable delay.",
    "US-MT-146": "Notify without unreasonable delay.",
    "US-MT-147": "At the same time as notice to residents, send the AG's Office of Consumer Protection an "
                 "electronic copy of the notice (no personal information) and a statement of the date, method "
                 "of distribution and number of Montana residents notified.",
    "US-NE-148": "On becoming aware, investigate promptly in good faith; if misuse occurred or is reasonably "
                 "likely, notify as soon as possible and without unreasonable delay.",
    "US-NE-149": "Any number: notify the AG no later than Nebraska residents are notified (AG online form).",
    "US-NV-150": "Notify in the most expedient time possible and without unreasonable delay. No AG notice for "
                 "private entities.",
    "US-NV-151": "More than 1,000 persons at any one time: notify all nationwide consumer reporting agencies "
                 "without unreasonable delay.",
    "US-NH-153": "Promptly determine the likelihood of misuse; if misuse occurred, is likely, or cannot be "
                 "determined, notify as soon as possible.",
    "US-NH-154": "Any number: notify the entity's primary regulator, or the NH AG if none, with the anticipated "
                 "date of notice to individuals and the approximate number of NH residents; treated as due with "
                 "individual notice.",
    "US-NH-155": "More than 1,000 consumers: notify the consumer reporting agencies.",
    "US-NJ-156": "Notify in the most expedient time possible and without unreasonable delay, consistent with "
                 "law-enforcement needs and measures to determine scope and restore integrity. A no-notice "
                 "determination must be documented and kept 5 years.",
    "US-NJ-157": "Any number: report to the Division of State Police (NJCCIC portal) before disclosing the "
                 "breach to customers.",
    "US-NJ-158": "More than 1,000 persons at one time: notify all nationwide consumer reporting agencies "
                 "without unreasonable delay.",
    "US-NM-159": "Notify in the most expedient time possible, no later than 45 calendar days after discovery "
                 "(law-enforcement and scope delays under 57-12C-9). The Act does not apply to persons subject "
                 "to GLBA or HIPAA (not encoded).",
    "US-NM-160": "More than 1,000 New Mexico residents: notify the AG (number notified and a copy of the "
                 "notice) within 45 calendar days after discovery.",
    "US-NM-161": "More than 1,000: notify the major consumer reporting agencies within 45 calendar days after "
                 "discovery.",
    "US-NY-163": "Before 2024-12-21: notify in the most expedient time possible and without unreasonable delay.",
    "US-NY-162": "Notify in the most expedient time possible and without unreasonable delay, and within 30 "
                 "days after discovery; only the law-enforcement delay remains. Medical and health-insurance "
                 "information count as private information from 2025-03-21.",
    "US-NY-164": "Any New York resident notified: notify the AG, the Department of State and the Division of "
                 "State Police (one AG web form) of the timing, content, distribution and approximate number. "
                 "No separate deadline; treated as due with individual notice.",
    "US-NY-165": "Persons and businesses subject to NYDFS jurisdiction must also notify DFS, no later than "
                 "individual notice (Feb 2025 chapter amendment). DFS licensees also have the separate "
                 "72-hour 23 NYCRR 500.17 clock.",
    "US-NY-166": "More than 5,000 New York residents at one time: notify the consumer reporting agencies of "
                 "the timing, content, distribution and approximate number.",
    "US-NY-167": "HIPAA covered entities that must notify HHS of a breach (even of information that is not "
                 "'private information') must give the AG a copy within 5 business days of notifying HHS; "
                 + RELATIVE_BUSINESS_NOTE + ".",
    "US-NC-168": "Notify without unreasonable delay.",
    "US-NC-169": "Any number: notify the Consumer Protection Division of the AG's office (online form) without "
                 "unreasonable delay (the research anchors it to notice to individuals).",
    "US-NC-170": "More than 1,000 persons at one time: notify the consumer reporting agencies without "
                 "unreasonable delay.",
    "US-ND-171": "Notify in the most expedient time possible and without unreasonable delay. HIPAA entities "
                 "subject to 45 CFR 164 Subpart D are deemed compliant (not encoded).",
    "US-ND-172": "More than 250 individuals in total (the statute does not say North Dakota residents): notify "
                 "the AG by mail or email in the most expedient time possible and without unreasonable delay.",
    "US-OH-173": "Notify in the most expedient time possible, no later than 45 days after discovering or being "
                 "notified of the breach; law-enforcement delay and time to determine scope and restore "
                 "integrity are allowed.",
    "US-OH-174": "More than 1,000 Ohio residents: notify the nationwide consumer reporting agencies without "
                 "unreasonable delay. No AG notice requirement.",
    "US-OK-175": "Notify without unreasonable delay (unchanged by SB 626).",
    "US-OK-176": "500 or more Oklahoma residents (1,000 or more for a credit-bureau breach; that exception is "
                 "not computed here): notify the AG without unreasonable delay and no more than 60 days after "
                 "notifying residents. Applies to breaches discovered or notified on or after 2026-01-01.",
    "US-OR-177": "Notify in the most expeditious manner possible, without unreasonable delay, and no later than "
                 "45 days after discovering or being notified of the breach.",
    "US-OR-178": "More than 250 consumers: notify the AG in writing or electronically (AG form); the same "
                 "45-day limit is the usual reading.",
    "US-OR-179": "More than 1,000 consumers: notify the consumer reporting agencies.",
    "US-PA-181": "Notify without unreasonable delay. Since Act 33 of 2024: 12 months of credit monitoring and a "
                 "free credit report if SSNs, bank account numbers or driver's licence/state ID numbers are "
                 "involved.",
    "US-PA-182": "More than 500 Pennsylvania residents: notify the Office of Attorney General (online portal) "
                 "at the same time as individual notice. Insurance licensees under 40 Pa.C.S. ch. 45 are "
                 "exempt (not encoded).",
    "US-PA-183": "More than 500 Pennsylvania residents (lowered from more than 1,000 by Act 33 of 2024): notify "
                 "the nationwide consumer reporting agencies without unreasonable delay. Whether the boundary "
                 "is 500 or 501 was not read in the enrolled text; more than 500 is used.",
    "US-RI-184": "Notify in the most expedient time possible, no later than 45 calendar days after confirming "
                 "the breach and being able to ascertain the information the notice requires.",
    "US-RI-185": "More than 500 Rhode Island residents: notify the AG of the timing, content, distribution and "
                 "approximate number, without delaying notice to residents.",
    "US-RI-186": "More than 500 Rhode Island residents: notify the major consumer reporting agencies of the "
                 "timing, content, distribution and approximate number, without delaying notice to residents.",
    "US-SC-187": "Notify in the most expedient time possible and without unreasonable delay.",
    "US-SC-188": "More than 1,000 persons at one time: notify the Consumer Protection Division of the "
                 "Department of Consumer Affairs without unreasonable delay.",
    "US-SC-189": "More than 1,000 persons at one time: notify the nationwide consumer reporting agencies "
                 "without unreasonable delay.",
    "US-SD-190": "Notify no later than 60 days after discovery or notification; longer only for "
                 "law-enforcement needs, and then within 30 days after law enforcement clears notice.",
    "US-SD-191": "More than 250 South Dakota residents: disclose the breach to the AG by mail or email; no "
                 "separate deadline. AG notice is also a precondition of the no-harm exception (document, keep "
                 "3 years).",
    "US-SD-192": "Notify all nationwide consumer reporting agencies without unreasonable delay; no numeric "
                 "threshold in the sources read (some secondary sites say more than 1,000).",
    "US-TN-193": "Notify immediately, but no later than 45 days after discovery or notification; "
                 "law-enforcement delay allowed. Entities subject to GLBA or HIPAA are exempt (not encoded).",
    "US-TN-194": "More than 1,000 persons at one time: notify the consumer reporting agencies without "
                 "unreasonable delay.",
    "US-TX-195": "Notify without unreasonable delay and no later than the 60th day after determining the "
                 "breach occurred. Covers every affected individual, not only Texans; non-residents may be "
                 "notified under their own state's law instead (this file is applied when Texans are "
                 "affected).",
    "US-TX-197": "2020-01-01 to 2023-08-31: 250 or more Texas residents: notify the AG no later than 60 days "
                 "after determination.",
    "US-TX-196": "250 or more Texas residents: notify the AG as soon as practicable and no later than 30 days "
                 "after determination, via the AG's electronic form.",
    "US-TX-198": "More than 10,000 persons at one time: notify the nationwide consumer reporting agencies.",
    "US-UT-199": "Notify in the most expedient time possible without unreasonable delay.",
    "US-UT-200": "500 or more Utah residents: notify the AG and the Utah Cyber Center (breach and discovery "
                 "dates, total and Utah counts, information types, short description). No statutory deadline.",
    "US-UT-201": "1,000 or more residents: notify the consumer reporting agencies.",
    "US-VT-202": "Notify in the most expedient time possible and without unreasonable delay, no later than 45 "
                 "days after discovery or notification, consistent with law-enforcement needs and measures to "
                 "determine scope and restore integrity.",
    "US-VT-203": "Any number of Vermonters: preliminary notice to the AG (or DFR if licensed with it) within 14 "
                 "business days of discovery, or when consumers are notified if sooner; " + BUSINESS_DAYS_NOTE
                 + ". Then a copy of the consumer notice and the number of Vermonters. Entities that certified "
                 "their security policies to the AG before the breach may instead notify the AG before "
                 "consumers (not computed).",
    "US-VT-204": "More than 1,000 consumers at one time: notify the nationwide consumer reporting agencies "
                 "without unreasonable delay.",
    "US-VA-205": "Notify without unreasonable delay.",
    "US-VA-206": "Any number: notify the Office of the AG without unreasonable delay (letter with date, cause, "
                 "number of Virginians, remediation and a sample notice).",
    "US-VA-207": "More than 1,000 residents: notify the consumer reporting agencies.",
    "US-WA-211": "2015-07-24 to 2020-02-29: notify no later than 45 days after discovery (historical limit).",
    "US-WA-210": "Notify in the most expedient time possible, without unreasonable delay, and no more than 30 "
                 "calendar days after discovery; delay only for law enforcement (written request) or "
                 "scope/restoration. HIPAA entities complying with HITECH are deemed compliant (not encoded).",
    "US-WA-212": "More than 500 Washington residents: notify the AG (web form, sample notice, number affected) "
                 "no more than 30 days after discovery; update it if the information changes.",
    "US-WV-214": "Notify without unreasonable delay, except for law-enforcement delay or measures to determine "
                 "scope and restore integrity. No AG notice.",
    "US-WV-215": "More than 1,000 persons at one time: notify the nationwide consumer reporting agencies.",
    "US-WI-216": "Notify within a reasonable time, no more than 45 days after learning of the acquisition. "
                 "Entities subject to and compliant with GLBA or HIPAA are exempt (not encoded).",
    "US-WI-217": "A single incident requiring notice to 1,000 or more individuals: notify all nationwide "
                 "consumer reporting agencies without unreasonable delay (sources differ between '1,000 or "
                 "more' and 'more than 1,000'; the conservative 1,000 is used).",
    "US-WY-219": "On becoming aware, investigate promptly in good faith; if misuse occurred or is reasonably "
                 "likely, notify in the most expedient time possible and without unreasonable delay (a "
                 "law-enforcement delay must be determined in writing). No AG or CRA notice.",
    "US-PR-220": "Notify clients as expeditiously as possible, considering law-enforcement needs and "
                 "restoration of system security.",
    "US-PR-221": "Notify the Department of Consumer Affairs (DACO) within a non-extendable 10 days after the "
                 "breach is detected; DACO publishes it within 24 hours.",
    "US-VI-222": "Notify in the most expedient time possible and without unreasonable delay, consistent with "
                 "law-enforcement needs or measures to determine scope and restore integrity. No regulator or "
                 "CRA notice.",
    "US-GU-223": "Notify without unreasonable delay. No regulator notice.",
}

# Citation instruments: the longest matching prefix of the row's citation; the rest is the section.
INSTRUMENTS = sorted([
    "Ala. Code", "Alaska Stat.", "A.R.S.", "Ark. Code", "Cal. Civ. Code", "C.R.S.", "Conn. Gen. Stat.",
    "6 Del. C.", "D.C. Code", "Fla. Stat.", "O.C.G.A.", "HRS", "Idaho Code", "815 ILCS", "Ind. Code",
    "Iowa Code", "K.S.A.", "KRS", "La. R.S.", "LAC", "10 M.R.S.", "Md. Code, Com. Law", "M.G.L. c. 93H", "MCL",
    "Minn. Stat.", "Miss. Code", "RSMo", "MCA", "Neb. Rev. Stat.", "NRS", "RSA", "N.J.S.A.", "NMSA", "N.Y. GBL",
    "N.C.G.S.", "N.D.C.C.", "ORC", "24 O.S.", "ORS", "73 P.S.", "R.I. Gen. Laws", "S.C. Code", "SDCL",
    "Tenn. Code", "Tex. Bus. & Com. Code", "Utah Code", "9 V.S.A.", "Va. Code", "RCW", "W. Va. Code",
    "Wis. Stat.", "Wyo. Stat.", "10 L.P.R.A.", "14 V.I.C.", "9 GCA", "Cal. Health & Safety Code",
    "Ark. Admin. Code",
], key=len, reverse=True)


# --------------------------------------------------------------------------------------------------
# Conversion
# --------------------------------------------------------------------------------------------------
class Skip(Exception):
    pass


def day_after(iso: str) -> str:
    return (dt.date.fromisoformat(iso) + dt.timedelta(days=1)).isoformat()


def split_citation(citation: str) -> tuple[str, str]:
    for inst in INSTRUMENTS:
        if citation.startswith(inst + " "):
            section = citation[len(inst) + 1:]
            assert inst + " " + section == citation
            return inst, section
    raise SystemExit(f"no instrument prefix known for citation {citation!r}: add it to INSTRUMENTS")


def cap_medium(conf: str) -> str:
    return "medium" if conf == "high" else conf


def capped(before: str, after: str) -> str:
    if before == after:
        return f"; confidence stays {after}."
    return f"; confidence lowered from {before} to {after}."


def skip_reason(row: dict) -> str | None:
    kind, applies_to = row["deadline_kind"], row.get("applies_to")
    if kind in ("not_in_force", "before_relying_on_exception"):
        return f"deadline_kind {kind}: no deadline to compute"
    if kind == "months":
        return "deadline_kind months: not supported by the schema"
    if applies_to and applies_to not in APPLIES:
        return f"not encoded: needs an entity-type fact ({applies_to})"
    th = row.get("threshold") or {}
    cond = th.get("condition")
    if cond and "min_affected" not in th and cond not in CONDITION_APPLIES and cond not in CONDITION_SUMMARY_ONLY:
        return f"not encoded: condition cannot be computed ({cond})"
    if RECIPIENT.get(row["recipient"]) is None:
        return f"recipient {row['recipient']} not mapped"
    return None


def convert(rows: list[dict]):
    """Returns (files, coverage) where files maps jurisdiction -> list of obligations."""
    coverage = []  # (row, result, note)
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        j = row["jurisdiction_code"]
        if j not in NAMES:
            coverage.append((row, "not here", NOT_HERE[j] + NOT_HERE_ROW.get(row["id"], "")))
            continue
        reason = skip_reason(row)
        if reason:
            coverage.append((row, "skipped", reason))
            continue
        recipient = RECIPIENT[row["recipient"]]
        key = (j, recipient, SUFFIX.get(row["id"]))
        groups.setdefault(key, []).append(row)

    # individuals triggers per jurisdiction (for relative rows, which inherit the individuals' anchor)
    obligations: dict[str, list[dict]] = {j: [] for j in NAMES}
    ind_id = {j: f"{j}-individuals" for j in NAMES}

    def base_trigger(row):
        t = row["trigger"]
        if t in TRIGGER:
            return TRIGGER[t], None
        if t in TRIGGER_JUDGMENT:
            return TRIGGER_JUDGMENT[t]
        return None, None

    ind_trigger = {}
    for (j, recipient, suffix), grp in groups.items():
        if recipient == "individuals" and suffix is None:
            latest = max(grp, key=lambda r: r["effective_from"] or "")
            ind_trigger[j] = base_trigger(latest)[0]

    notes_by_row = {}
    def group_key(kv):
        return kv[0][0], kv[0][1], kv[0][2] or ""

    for (j, recipient, suffix), grp in sorted(groups.items(), key=group_key):
        oid = f"{j}-{recipient}" + (f"-{suffix}" if suffix else "")
        versions, applies = [], None
        for row in sorted(grp, key=lambda r: r["effective_from"] or ""):
            rid, kind, val = row["id"], row["deadline_kind"], row["deadline_value"]
            conf = row["confidence"]
            notes = []
            trig, why = base_trigger(row)
            if why:
                notes.append(why)
            if rid in DEADLINE_OVERRIDE:
                deadline, why = DEADLINE_OVERRIDE[rid]
                notes.append(why)
            elif row["trigger"] == "hhs_notice_sent":
                assert kind == "business_days", rid
                deadline = {"kind": "relative", "to": "HIPAA-hhs", "relation": "after", "days": val}
                trig = "discovered_at"
                conf = cap_medium(conf)
                notes.append(f"{val} business days after HHS notice -> relative after {val} calendar days to "
                             f"HIPAA-hhs (conservative)" + capped(row["confidence"], conf))
            elif row["trigger"] in ("individual_notice_sent", "before_individual_notice"):
                trig = ind_trigger[j]
                if kind == "concurrent_with_individual_notice":
                    deadline = {"kind": "relative", "to": ind_id[j], "relation": "with"}
                elif kind == "before_individual_notice":
                    deadline = {"kind": "relative", "to": ind_id[j], "relation": "before"}
                elif kind == "calendar_days":
                    deadline = {"kind": "relative", "to": ind_id[j], "relation": "after", "days": val}
                elif kind == "business_days":
                    deadline = {"kind": "relative", "to": ind_id[j], "relation": "after", "days": val}
                    conf = cap_medium(conf)
                    notes.append(f"{val} business days after individual notice -> relative after {val} "
                                 f"calendar days (conservative)" + capped(row["confidence"], conf))
                elif kind in ("without_unreasonable_delay", "no_fixed_deadline", "immediately"):
                    deadline = {"kind": "asap"}
                    notes.append("runs from individual notice with no period -> asap, anchored on the "
                                 "individuals' trigger.")
                else:
                    raise SystemExit(f"{rid}: unhandled {kind} after individual notice")
            else:
                if trig is None:
                    raise SystemExit(f"{rid}: trigger {row['trigger']} not mapped")
                if kind == "calendar_days":
                    deadline = {"kind": "calendar_days", "days": val}
                elif kind == "business_days":
                    deadline = {"kind": "business_days", "days": val, "calendar": "US-federal"}
                    conf = cap_medium(conf)
                    notes.append("business days on the US-federal calendar (state calendar not researched)"
                                 + capped(row["confidence"], conf))
                elif kind == "hours":
                    deadline = {"kind": "hours", "hours": val}
                elif kind in ("without_unreasonable_delay", "immediately", "no_fixed_deadline"):
                    deadline = {"kind": "asap"}
                else:
                    raise SystemExit(f"{rid}: unhandled deadline kind {kind}")

            threshold = None
            th = row.get("threshold") or {}
            if "min_affected" in th or "max_affected" in th:
                scope = th.get("scope")
                if rid in THRESHOLD_JUDGMENT:
                    scope, why = THRESHOLD_JUDGMENT[rid]
                    notes.append(why)
                elif scope in SCOPE:
                    scope = SCOPE[scope]
                else:
                    raise SystemExit(f"{rid}: threshold scope {scope} needs a THRESHOLD_JUDGMENT")
                threshold = {}
                if "min_affected" in th:
                    threshold["min"] = th["min_affected"]
                if "max_affected" in th:
                    threshold["max"] = th["max_affected"]
                threshold["scope"] = scope
            elif th.get("condition") in CONDITION_APPLIES:
                applies = CONDITION_APPLIES[th["condition"]]
                notes.append(f"condition '{th['condition']}' -> applies {json.dumps(applies)}.")
            elif th.get("condition") in CONDITION_SUMMARY_ONLY:
                notes.append(f"condition '{th['condition']}' names the recipients, not who must notify: no "
                             "threshold, condition in the summary.")
            if row.get("applies_to"):
                applies = APPLIES[row["applies_to"]]
                notes.append(f"applies_to '{row['applies_to']}' -> applies {json.dumps(applies)}.")

            summary = SUMMARY.get(rid)
            if not summary:
                raise SystemExit(f"{rid}: no SUMMARY")
            if deadline["kind"] == "business_days":
                assert BUSINESS_DAYS_NOTE in summary, rid

            le = bool(LE_RE.search(row["notes"])) and rid not in LE_EXCLUDE

            inst, section = split_citation(row["citation"])
            citations = [{"instrument": inst, "section": section, "url": row["source_url"]}]
            if row.get("official_url_unread"):
                citations.append({"instrument": inst, "section": section, "url": row["official_url_unread"]})

            v = {"from": row["effective_from"],
                 "until": day_after(row["effective_until"]) if row["effective_until"] else None,
                 "trigger": trig, "deadline": deadline, "threshold": threshold,
                 "law_enforcement_hold": le, "confidence": conf, "reviewed_on": REVIEWED_ON,
                 "summary": summary, "citations": citations, "_row": rid}
            versions.append(v)
            notes_by_row[rid] = (oid, v, notes)

        check_chain(oid, versions)
        ob = {"id": oid, "recipient": recipient, "channel": None, "address": None,
              "applies": applies, "versions": versions}
        chans = {CHANNEL.get(v["_row"]) for v in versions} - {None}
        if len(chans) == 1:
            ob["channel"] = chans.pop()
        addrs = {ADDRESS.get(v["_row"]) for v in versions} - {None}
        if len(addrs) == 1:
            ob["address"] = addrs.pop()
        obligations[j].append(ob)

    for row in rows:
        if row["id"] in notes_by_row:
            oid, v, notes = notes_by_row[row["id"]]
            if v["from"] or v["until"]:
                rng = f"[{v['from'] or '…'}, {v['until'] or '…'})"
            else:
                rng = "(all dates)"
            coverage.append((row, f"{oid} {rng}", " ".join(notes)))

    for j, obs in obligations.items():
        obs.sort(key=lambda o: (RECIPIENT_ORDER.index(o["recipient"]), o["id"]))
        if not any(o["id"] == f"{j}-individuals" for o in obs):
            raise SystemExit(f"{j}: no individuals obligation")
        # relative targets must exist in the same file (HIPAA-hhs lives in the federal files)
        ids = {o["id"] for o in obs}
        for o in obs:
            for v in o["versions"]:
                to = v["deadline"].get("to")
                if to and to != "HIPAA-hhs" and to not in ids:
                    raise SystemExit(f"{o['id']}: relative target {to} missing")
    coverage.sort(key=lambda c: row_sort_key(c[0]["id"]))
    return obligations, coverage


def row_sort_key(rid: str):
    m = re.search(r"-(\d+)$", rid)
    return (int(m.group(1)) if m else 0, rid)


def check_chain(oid: str, versions: list[dict]) -> None:
    for a, b in zip(versions, versions[1:]):
        if a["until"] is None or b["from"] is None or a["until"] != b["from"]:
            raise SystemExit(f"{oid}: versions {a['_row']} and {b['_row']} do not chain "
                             f"({a['until']} vs {b['from']}): decide by hand and record it in COVERAGE.md")
    for v in versions:
        if v["from"] and v["until"] and v["until"] <= v["from"]:
            raise SystemExit(f"{oid}: empty range in {v['_row']}")


# --------------------------------------------------------------------------------------------------
# TOML output (hand-rolled, deterministic)
# --------------------------------------------------------------------------------------------------
def q(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def inline(d: dict) -> str:
    parts = []
    for k, v in d.items():
        if isinstance(v, bool):
            parts.append(f"{k} = {'true' if v else 'false'}")
        elif isinstance(v, int):
            parts.append(f"{k} = {v}")
        else:
            parts.append(f"{k} = {q(v)}")
    return "{ " + ", ".join(parts) + " }"


def title_for(j: str, rows: list[dict]) -> str:
    first = next(r for r in rows if r["jurisdiction_code"] == j)
    return f"{NAMES[j]}: {first['regime']}"


def render(j: str, obs: list[dict], rows: list[dict]) -> str:
    out = [HEADER, f'regime = "STATE"', f"jurisdiction = {q(j)}", f"title = {q(title_for(j, rows))}", ""]
    for o in obs:
        out.append("[[obligations]]")
        out.append(f"id = {q(o['id'])}")
        out.append(f"recipient = {q(o['recipient'])}")
        if o["channel"]:
            out.append(f"channel = {q(o['channel'])}")
        if o["address"]:
            out.append(f"address = {q(o['address'])}")
        if o["applies"]:
            out.append("")
            out.append("[obligations.applies]")
            for k, v in o["applies"].items():
                if isinstance(v, bool):
                    out.append(f"{k} = {'true' if v else 'false'}")
                else:
                    out.append(f"{k} = [" + ", ".join(q(x) for x in v) + "]")
        for v in o["versions"]:
            out.append("")
            out.append(f"[[obligations.versions]]  # research row {v['_row']}")
            if v["from"]:
                out.append(f"from = {v['from']}")
            if v["until"]:
                out.append(f"until = {v['until']}")
            out.append(f"trigger = {q(v['trigger'])}")
            out.append(f"deadline = {inline(v['deadline'])}")
            if v["threshold"]:
                out.append(f"threshold = {inline(v['threshold'])}")
            if v["law_enforcement_hold"]:
                out.append("law_enforcement_hold = true")
            out.append(f"confidence = {q(v['confidence'])}")
            out.append(f"reviewed_on = {v['reviewed_on']}")
            out.append(f"summary = {q(v['summary'])}")
            for c in v["citations"]:
                out.append("")
                out.append("[[obligations.versions.citations]]")
                out.append(f"instrument = {q(c['instrument'])}")
                out.append(f"section = {q(c['section'])}")
                out.append(f"url = {q(c['url'])}")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


# --------------------------------------------------------------------------------------------------
# COVERAGE.md
# --------------------------------------------------------------------------------------------------
def describe(row: dict) -> str:
    th = row.get("threshold") or {}
    t = ""
    if "min_affected" in th:
        t = f" min {th['min_affected']} ({th.get('scope')})"
    if th.get("condition"):
        t += f" [{th['condition']}]"
    d = row["deadline_kind"] + (f" {row['deadline_value']}" if row["deadline_value"] is not None else "")
    eff = ""
    if row["effective_from"] or row["effective_until"]:
        eff = f" {row['effective_from'] or '…'}..{row['effective_until'] or '…'}"
    who = f" [{row['applies_to']}]" if row.get("applies_to") else ""
    return f"{row['recipient']}{who}: {d} from {row['trigger']}{t}{eff}"


def md_escape(s: str) -> str:
    return s.replace("|", "\\|")


COVERAGE_INTRO = """\
# Coverage of the Nov 2026 research file: US states, DC and territories

Generated once by `tools/import_reference_rules.py` together with `rules/us/*.toml`; maintained by hand
from then on. Source: `../shared/reference/legal-rules.json` (rows whose `jurisdiction_code` is a US state,
DC, PR, VI or GU). Federal, EU, UK, other-country and card-brand rows are out of scope here.

## How the rows were encoded

- **One file per jurisdiction**, 54 in all (50 states + DC + PR + VI + GU), each with the individuals notice
  (ASAP where the research gives no fixed clock).
- **Versions.** Rows for the same jurisdiction and recipient that differ only in dates are versions of one
  obligation. `until` is exclusive: `until` = research `effective_until` + 1 day. Every multi-version
  obligation chains exactly (checked by the importer): CA individuals and AG (2026-01-01), CT individuals
  (2021-10-01), MD individuals (2022-10-01), NY individuals (2024-12-21), TX AG (2023-09-01), WA individuals
  (2020-03-01). No research gap or overlap had to be papered over.
- **Version selection.** The engine uses the version in force on the local date of that version's own
  trigger (discovery, determination, awareness...). Research section 10 suggests the discovery date. The
  two differ only when discovery and the rule's own anchor fall on opposite sides of a switch date (e.g. a
  Texas breach discovered 2023-08-30 but determined 2023-09-02); the vectors keep all anchors on one side.
- **No `data_types_any` on state rules.** The research does not list each state's personal-information
  elements, so a state's obligations apply whenever residents of that state are affected. This is
  over-inclusive by design: the user records "not required" with a rationale when the exposed data is not
  covered personal information in that state.
- **No exemptions or deemed-compliance clauses are encoded** (GLBA / HIPAA exemptions in KY, NM, TN, WI, AZ;
  HIPAA deemed compliance in IL, ND, NY, WA, OK, CT, FL; "own procedures" clauses). The schema's `applies`
  keys can only require a role, not exclude one, and the research marks most of these as secondary or
  memory. State obligations therefore also appear for HIPAA / GLBA entities (over-inclusive); the summary
  says "not encoded" where the row's notes mention an exemption.
- **Relative deadlines.** "No later than individual notice" -> `relation = "with"`; "before individual
  notice" -> `"before"`; "N days after individual notice" -> `"after"`, `days = N`, always to the same
  state's `US-XX-individuals`. A relative version's `trigger` is the individuals obligation's trigger (it
  only matters for `outer_days`). Rows that run from individual notice with no period (MO AG and CRAs, NC AG,
  SD AG, CA AG before 2026) are `asap`, anchored on the individuals' trigger.
- **Business days.** VT AG (14 business days from discovery) uses `calendar = "US-federal"`; the research says
  state holidays should apply, so its confidence is capped at medium and the summary says so. IA AG (5
  business days after consumer notice) and the IL / NY HIPAA AG copies (5 business days after HHS notice)
  are `relative` deadlines, which count calendar days: encoded as 5 calendar days (earlier than 5 business
  days, so conservative), confidence capped at medium, summary says so.
- **law_enforcement_hold = true** only on versions whose row notes mention a law-enforcement delay.
- **Citations** keep the row's `citation` exactly (instrument + " " + section) and its `source_url`. No US
  row has `official_url_unread`.

## Vectors

`rules/vectors/US-XX.toml`, one per rule file, with expected values computed in Python (zoneinfo),
independently of the Rust engine. Every case lists every obligation of its file under `expect` or `absent`,
and the cases cover each threshold edge (min - 1 absent, min present), both sides of every effective date,
a law-enforcement hold wherever a fixed clock carries one, and the HIPAA / NYDFS `applies` keys.

## Row by row

| Row | Research row (recipient: deadline from trigger, threshold, dates) | Encoded as | Mapping notes |
|---|---|---|---|
"""

COVERAGE_GAPS = """
## Known gaps and open questions (for counsel / the lead)

1. **Entity-type facts missing.** Rows skipped above as "needs an entity-type fact": third-party agents,
   vendors and data maintainers notifying the data owner (AL, FL, OR, DE, GA, MD, WI), state / public
   agencies and their contractors (CA 1798.29, ID, KY, WA RCW 42.56.590), CA-licensed health facilities
   (H&S 1280.15: CDPH and patients, 15 business days after detection), NV installment-loan licensees (30
   days), AR mortgage licensees (2 business days), VA employers / payroll providers (AG, payroll TIN breach),
   VA non-HIPAA medical-information breaches (AG), and the NAIC insurance model law. Adding entity-type facts
   (vendor/maintainer, public agency, licensed health facility, insurance / mortgage / loan licensee,
   employer-payroll) would let these be encoded.
2. **AK AG notice** is a precondition of the no-harm exception (before relying on it), not a deadline: not
   encoded. SD's AG notice (>250) is encoded as ASAP; its no-harm precondition is only in the summary.
3. **Iowa AG threshold.** The row stores more than 500 (min 501); the Iowa AG's page says "at least 500" and
   the row's notes say a conservative engine should trigger at 500. Encoded as the row says (501); counsel to
   confirm. Likewise PA CRA (501, boundary not read in the enrolled text) and WI CRA (1,000, recalled).
4. **Dates the rows leave open.** Rows with `effective_from = null` are encoded with no start date, so they
   also apply to incidents before the law took its current form. Where research section 7.2 gives a date
   the row does not carry: TX individuals 60 days (HB 4390, eff. 2020-01-01), VT AG 14 business days
   (current wording since Act 89, eff. 2020-07-01), AZ Dept. of Homeland Security (HB 2146, 2022, date not
   verified), NM CRAs (the act took effect 2017-06-16, as the NM individuals/AG rows say), RI AG and CRAs
   (the act took effect 2016-07-02, as the RI individuals row says), OR 45-day rules (2019-2020
   amendments). The same holds for OH, WI and VT individuals, IN and AZ CRAs, PR DACO, MN CRAs, and the
   relative AG rows of CT, LA, MD, ME, MT, NH, NJ, NY. For old incidents (before about 2020) these are
   over-inclusive; the research has no rows for the earlier texts. Conversely, where the first version
   has a start date (e.g. IN 2022-07-01, PA AG/CRA 2024-09-26, UT AG 2023-05-03, CT 2018-10-01, MD
   2018-01-01, WA 2015-07-24, AL 2018-06-01, CO 2018-09-01), earlier incidents get no obligation from it;
   the vectors pin both sides of each of those dates.
5. **PA CRA before 2024-09-26.** The threshold was more than 1,000 before Act 33 of 2024, but there is no
   research row for it, so PA has no CRA obligation for incidents discovered before 2024-09-26.
6. **NY DFS notice (GBL 899-aa(8)(a))** is `US-NY-state_regulator-dfs` with `applies.nydfs_covered = true`.
   The row starts 2024-12-21, although the notes say the DFS-only wording came with the 2025-02-14 chapter
   amendment; what applied between those dates is not in the research. The 23 NYCRR 500.17 rows belong to
   the NYDFS regime file (`rules/federal/nydfs.toml`), not here.
7. **IN AG.** The row says 45 calendar days after notice to individuals; its notes say "same 45-day limit",
   which could also be read as 45 days after discovery. Encoded as the row says (relative after 45 days).
8. **OR AG.** The 45-day limit is "the usual reading" (medium); encoded as 45 days after discovery.
9. **IL / NY HIPAA AG copy** (5 business days after notifying HHS) points at `HIPAA-hhs`, which exists only
   for 500 or more individuals. Under 500, HHS is told through the annual log (`HIPAA-hhs-annual`) and the
   AG copy would follow that submission; one `to` cannot say both. The IL row also names business
   associates, which have no HHS obligation of their own (they notify the covered entity), so for them the
   relative target is never computed. Counsel / the lead to decide.
10. **Extensions not computed.** FL +15 days on written good cause; LA "reasonable extension" after written
    reasons; ME "7 business days after law enforcement clears"; SD "30 days after law enforcement clears".
    They are in the summaries only.
11. **Multi-anchor triggers** mapped to one fact (see "Mapping notes" above): AL (determination or
    third-party notice), ME (awareness + scope), MD pre-2022 (end of investigation), AR AG (harm
    determination), MA (knows or has reason to know), VT AG (discovery or consumer notice if sooner).
12. **Not in the research at all:** state insurance data-security acts (per-state NAIC enactments), state
    health-information laws, 2026 legislative-session amendments (research found none; MI SB 360 pending).
"""


def render_coverage(coverage) -> str:
    out = [COVERAGE_INTRO.rstrip("\n")]
    for row, result, note in coverage:
        if result in ("skipped", "not here"):
            enc = f"**{result}**: {note}"
            note = ""
        else:
            enc = f"`{result.split(' ')[0]}` {result.split(' ', 1)[1]}"
        out.append(f"| {row['id']} | {md_escape(describe(row))} | {md_escape(enc)} | {md_escape(note)} |")
    counts: dict[str, int] = {}
    for _, result, note in coverage:
        if result in ("skipped", "not here"):
            key = re.sub(r" \(.*", "", note) if result == "skipped" else "not here: " + note.split(":")[0]
            counts[key] = counts.get(key, 0) + 1
    out.append("")
    out.append("### Rows not encoded, by reason")
    out.append("")
    for k in sorted(counts):
        out.append(f"- {k}: {counts[k]}")
    return "\n".join(out) + "\n" + COVERAGE_GAPS


# --------------------------------------------------------------------------------------------------
# Validation of the rendered files (what the Rust loader will check, as far as we can here)
# --------------------------------------------------------------------------------------------------
ENUMS = {
    "recipient": {"individuals", "hhs", "media", "attorney_general", "state_regulator",
                  "consumer_reporting_agencies", "supervisory_authority", "sec", "ftc", "covered_entity",
                  "controller", "csirt", "other"},
    "trigger": {"discovered_at", "aware_at", "determined_at", "materiality_determined_at", "detected_at"},
    "confidence": {"high", "medium", "low"},
    "scope": {"state_residents", "individuals_total", "each_state_residents"},
}


def validate(texts: dict[str, str]) -> None:
    try:
        import tomllib
    except ImportError:  # Python < 3.11: skip the parse check
        print("tomllib not available: skipping parse check", file=sys.stderr)
        return
    seen = set()
    for name, text in texts.items():
        doc = tomllib.loads(text)
        assert set(doc) == {"regime", "jurisdiction", "title", "obligations"}, name
        for o in doc["obligations"]:
            assert o["id"] not in seen, o["id"]
            seen.add(o["id"])
            assert o["recipient"] in ENUMS["recipient"], o
            assert set(o) <= {"id", "recipient", "per_state", "channel", "address", "applies", "versions"}, o
            prev = None
            for v in o["versions"]:
                assert set(v) <= {"from", "until", "trigger", "deadline", "threshold", "law_enforcement_hold",
                                  "confidence", "reviewed_on", "summary", "citations"}, v
                assert v["trigger"] in ENUMS["trigger"] and v["confidence"] in ENUMS["confidence"], v
                assert v["citations"] and all(c["url"].startswith("http") for c in v["citations"]), v
                if "threshold" in v:
                    assert v["threshold"]["scope"] in ENUMS["scope"], v
                if "from" in v and "until" in v:
                    assert v["until"] > v["from"], v
                if prev is not None:
                    assert prev.get("until") == v.get("from") is not None, (o["id"], prev, v)
                prev = v


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    ap.add_argument("--out", type=Path, default=REPO / "rules")
    ap.add_argument("--force", action="store_true", help="overwrite existing files (they are hand-maintained)")
    ap.add_argument("--check", action="store_true", help="validate only, write nothing")
    args = ap.parse_args()

    data = json.loads(args.source.read_text(encoding="utf-8"))
    rows = [r for r in data["rules"]
            if r["jurisdiction_code"].startswith("US-") and not r["jurisdiction_code"].startswith("US-FED")]
    unknown = {r["jurisdiction_code"] for r in rows} - set(NAMES) - set(NOT_HERE)
    if unknown:
        raise SystemExit(f"unexpected jurisdictions: {sorted(unknown)}")
    unused = set(SUMMARY) - {r["id"] for r in rows}
    if unused:
        raise SystemExit(f"SUMMARY entries for rows not in the source: {sorted(unused)}")

    obligations, coverage = convert(rows)
    texts = {f"us/{j}.toml": render(j, obligations[j], rows) for j in sorted(obligations)}
    validate(texts)
    texts["COVERAGE.md"] = render_coverage(coverage)

    if args.check:
        n_ob = sum(len(o) for o in obligations.values())
        n_v = sum(len(ob["versions"]) for o in obligations.values() for ob in o)
        print(f"ok: {len(obligations)} files, {n_ob} obligations, {n_v} versions")
        return 0
    existing = [p for p in texts if (args.out / p).exists()]
    if existing and not args.force:
        raise SystemExit(f"{len(existing)} files exist (hand-maintained); use --force to overwrite")
    for rel, text in texts.items():
        path = args.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    print(f"wrote {len(texts)} files under {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
