//! The rule files' shape and the strict loader.
//!
//! Rules are dated data (OpenFisca style): an obligation has versions with half-open effective
//! ranges `[from, until)`, each carrying its own deadline, threshold, citations and confidence.
//! The loader refuses anything it cannot vouch for: unknown or duplicate keys (serde + toml), bad
//! dates, empty or inverted ranges, gaps or overlaps between versions, missing citations, duplicate
//! obligation ids and references to obligations that do not exist.

use crate::calendar::HolidayCalendar;
use chrono::{NaiveDate, NaiveTime};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// An enum of the rule data: ordered, serialised by name, and exported to TypeScript as a union.
macro_rules! value_enum {
    ($(#[$m:meta])* pub enum $name:ident $body:tt) => {
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize, ts_rs::TS,
        )]
        $(#[$m])*
        pub enum $name $body
    };
}

value_enum! {
    /// A regime as it appears in obligations (`regime` in the CLI output).
    #[derive(Hash)]
    pub enum Regime {
        #[serde(rename = "HIPAA")]
        Hipaa,
        #[serde(rename = "FTC-HBNR")]
        FtcHbnr,
        #[serde(rename = "GDPR")]
        Gdpr,
        #[serde(rename = "UK-GDPR")]
        UkGdpr,
        #[serde(rename = "NIS2")]
        Nis2,
        #[serde(rename = "SEC")]
        Sec,
        #[serde(rename = "NYDFS")]
        Nydfs,
        #[serde(rename = "STATE")]
        State,
        #[serde(rename = "CONTRACT")]
        Contract,
        /// FTC Standards for Safeguarding Customer Information, 16 CFR 314.4(j).
        #[serde(rename = "FTC-SAFEGUARDS")]
        FtcSafeguards,
        /// US federal banking agencies' computer-security incident notification rule (36 hours).
        #[serde(rename = "BANKING")]
        Banking,
        /// EU Digital Operational Resilience Act, Regulation (EU) 2022/2554.
        #[serde(rename = "DORA")]
        Dora,
        /// A state's insurance data security law (NAIC model #668 and its variants).
        #[serde(rename = "INSURANCE")]
        Insurance,
    }
}

value_enum! {
    /// Who is to be told.
    #[derive(Hash)]
    #[serde(rename_all = "snake_case")]
    pub enum Recipient {
        Individuals,
        Hhs,
        Media,
        AttorneyGeneral,
        StateRegulator,
        ConsumerReportingAgencies,
        SupervisoryAuthority,
        Sec,
        Ftc,
        CoveredEntity,
        Controller,
        Csirt,
        /// Contractual and governance counterparties (user-defined obligations only).
        Insurer,
        Investors,
        Board,
        Other,
        /// Law enforcement (a consultation or notice an exemption asks for).
        LawEnforcement,
        /// A written record the entity must make and keep (a risk-of-harm determination).
        Record,
        /// A bank's primary federal regulator (OCC, Federal Reserve, FDIC).
        FederalRegulator,
        /// A financial entity's competent authority (DORA).
        CompetentAuthority,
    }
}

/// A recipient as a person reads it ("attorney general").
#[must_use]
pub fn recipient_label(r: Recipient) -> &'static str {
    match r {
        Recipient::Individuals => "individuals",
        Recipient::Hhs => "HHS",
        Recipient::Media => "media",
        Recipient::AttorneyGeneral => "attorney general",
        Recipient::StateRegulator => "state regulator",
        Recipient::ConsumerReportingAgencies => "consumer reporting agencies",
        Recipient::SupervisoryAuthority => "supervisory authority",
        Recipient::Sec => "SEC",
        Recipient::Ftc => "FTC",
        Recipient::CoveredEntity => "covered entity",
        Recipient::Controller => "controller",
        Recipient::Csirt => "CSIRT",
        Recipient::Insurer => "insurer",
        Recipient::Investors => "investors",
        Recipient::Board => "board",
        Recipient::Other => "other",
        Recipient::LawEnforcement => "law enforcement",
        Recipient::Record => "written record",
        Recipient::FederalRegulator => "primary federal regulator",
        Recipient::CompetentAuthority => "competent authority",
    }
}

value_enum! {
    #[serde(rename_all = "lowercase")]
    pub enum Confidence {
        High,
        Medium,
        Low,
    }
}

/// Which of the incident's timestamps starts the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    DetectedAt,
    DiscoveredAt,
    AwareAt,
    DeterminedAt,
    MaterialityDeterminedAt,
    /// When the entity concluded there is no reasonable likelihood of harm (`harm_determination`).
    HarmDeterminedAt,
    /// When an extortion payment was made (NYDFS 500.17(c)).
    ExtortionPaymentAt,
    /// When an ICT-related incident was classified as major (DORA).
    ClassifiedMajorAt,
    /// When the CSIRT or competent authority asked for an intermediate report (NIS2 Art. 23(4)(c)).
    IntermediateRequestedAt,
}

impl Trigger {
    #[must_use]
    pub fn field(self) -> &'static str {
        match self {
            Trigger::DetectedAt => "detected_at",
            Trigger::DiscoveredAt => "discovered_at",
            Trigger::AwareAt => "aware_at",
            Trigger::DeterminedAt => "determined_at",
            Trigger::MaterialityDeterminedAt => "materiality_determined_at",
            Trigger::HarmDeterminedAt => "harm_determination.decided_at",
            Trigger::ExtortionPaymentAt => "extortion_payment_at",
            Trigger::ClassifiedMajorAt => "classified_major_at",
            Trigger::IntermediateRequestedAt => "nis2_intermediate_requested_at",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    Before,
    With,
    After,
}

/// How the due time is computed. See [`crate::clock`] for the arithmetic of each kind.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Deadline {
    CalendarDays {
        days: u32,
    },
    Hours {
        hours: u32,
    },
    BusinessDays {
        days: u32,
        calendar: String,
        /// Local cut-off time `HH:MM` on the last day (default 23:59:59).
        cutoff: Option<String>,
        /// Zone the days are counted in (default: the incident's).
        zone: Option<String>,
    },
    Asap,
    Annual {
        days_after_year_end: u32,
    },
    Relative {
        to: String,
        relation: Relation,
        /// `after`: calendar days after the other notice (due 23:59:59 local on its date + N).
        days: Option<u32>,
        /// `after`: hours after the other notice, as elapsed time.
        hours: Option<u32>,
        /// `after`: calendar months after the other notice (the same day of the month, or the
        /// last day of a shorter month — the earlier date), due 23:59:59 local.
        months: Option<u32>,
        /// Calendar-day outer limit counted from the trigger, when the rule has one.
        outer_days: Option<u32>,
    },
    /// `hours` after the trigger, but no later than `within_hours` after `of` — unless the trigger
    /// itself comes after that limit, when `hours` after the trigger stands (DORA initial
    /// notification: 4 hours from classification, at the latest 24 hours from awareness).
    HoursWithin {
        hours: u32,
        within_hours: u32,
        of: Trigger,
    },
}

/// Scope of a threshold count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Residents of the file's own jurisdiction.
    StateResidents,
    /// Every affected individual, wherever they live.
    IndividualsTotal,
    /// Individuals with no usable postal address and no e-mail (substitute notice).
    Undeliverable,
    /// Residents of each US state separately (with `per_state = true`).
    EachStateResidents,
    /// Residents of the file's jurisdiction, or any number when it is the insurance licensee's
    /// home state (NAIC model #668 section 6).
    HomeStateOrResidents,
    /// Only when the file's jurisdiction is the insurance licensee's home state (`min`/`max` unused
    /// but required by the loader: give `min = 1`).
    HomeState,
}

/// Inclusive bounds on a count ("more than 500" is `min = 501`; "500 or more" is `min = 500`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    pub min: Option<u64>,
    pub max: Option<u64>,
    pub scope: Scope,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Citation {
    pub instrument: String,
    pub section: String,
    pub url: String,
}

/// Conditions on the facts; every key given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Applies {
    /// A financial institution under the FTC Safeguards Rule (GLBA, FTC jurisdiction).
    pub glba_financial_institution: Option<bool>,
    /// The bank's primary federal regulator is one of these: occ | frb | fdic.
    pub bank_regulator: Option<Vec<String>>,
    /// A financial entity under DORA Art. 2(1).
    pub dora_financial_entity: Option<bool>,
    /// A licensee under the state insurance codes (`insurance_licensee`).
    pub insurance_licensee: Option<bool>,
    /// The obligation exists only once this timestamp is recorded (an extortion payment, a
    /// classification as major): before, there is nothing to notify.
    pub recorded: Option<Trigger>,
    pub hipaa_role: Option<Vec<String>>,
    pub gdpr_role: Option<Vec<String>>,
    pub sec_registrant: Option<bool>,
    pub nydfs_covered: Option<bool>,
    pub nis2_entity: Option<bool>,
    pub phr_vendor: Option<bool>,
    pub high_risk: Option<bool>,
    pub data_types_any: Option<Vec<String>>,
    /// Individuals in this region must be affected: "EU" (EU/EEA member states) or "GB".
    pub residents_of: Option<String>,
}

/// One dated version of an obligation.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Version {
    #[serde(default, deserialize_with = "de_opt_date")]
    pub from: Option<NaiveDate>,
    #[serde(default, deserialize_with = "de_opt_date")]
    pub until: Option<NaiveDate>,
    pub trigger: Trigger,
    pub deadline: Deadline,
    pub threshold: Option<Threshold>,
    /// Due no later than the named notice is sent, when that comes sooner (Vermont AG: 14
    /// business days after discovery, or at the consumer notice if sooner).
    pub or_with: Option<String>,
    /// A due on a weekend moves to 12:00 of the next working day for entities the facts say may
    /// use that allowance (DORA: `dora_next_working_day`).
    #[serde(default)]
    pub weekend_allowance: bool,
    pub confidence: Confidence,
    #[serde(deserialize_with = "de_date")]
    pub reviewed_on: NaiveDate,
    pub summary: String,
    pub citations: Vec<Citation>,
}

impl Version {
    /// Whether this version is in force on `d` (`[from, until)`).
    #[must_use]
    pub fn in_force_on(&self, d: NaiveDate) -> bool {
        in_force(self.from, self.until, d)
    }

    /// `[from, until)` as text, `…` for an open end.
    #[must_use]
    pub fn range_text(&self) -> String {
        range_text(self.from, self.until)
    }

    /// The citations as one line: "45 CFR 164.404(b); …".
    #[must_use]
    pub fn citation_text(&self) -> String {
        citations_text(&self.citations)
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Obligation {
    pub id: String,
    pub recipient: Recipient,
    #[serde(default)]
    pub per_state: bool,
    pub channel: Option<String>,
    pub address: Option<String>,
    #[serde(default)]
    pub applies: Applies,
    pub versions: Vec<Version>,
}

/// Which exposed data elements bring a person under a state's breach law (its definition of
/// personal information), in the vocabulary of [`RECOGNISED_DATA_TYPES`].
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoveredData {
    /// Covered together with the person's name. The name is taken as exposed with them: a list of
    /// affected people names them, and assuming otherwise would drop notices.
    pub with_name: Vec<String>,
    /// Covered even without a name (e.g. a username or e-mail address with its password).
    #[serde(default)]
    pub alone: Vec<String>,
    pub confidence: Confidence,
    /// The date from which the definition as encoded is in force. Older, narrower versions are
    /// not encoded: a breach before it is judged by this one (over-inclusive) and told so.
    #[serde(deserialize_with = "de_date")]
    pub from: NaiveDate,
    #[serde(deserialize_with = "de_date")]
    pub reviewed_on: NaiveDate,
    pub summary: String,
    pub citations: Vec<Citation>,
}

impl CoveredData {
    /// Whether a person with these exposed elements is covered.
    #[must_use]
    pub fn covers<S: AsRef<str>>(&self, elements: &[S]) -> bool {
        elements.iter().any(|e| self.with_name.iter().chain(&self.alone).any(|c| c == e.as_ref()))
    }

    /// The covered elements as one line: "Social Security number, driver's license or state ID, …".
    #[must_use]
    pub fn elements_text(&self) -> String {
        self.with_name
            .iter()
            .chain(&self.alone)
            .map(|t| data_type_label(t))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The citations as one line.
    #[must_use]
    pub fn citation_text(&self) -> String {
        citations_text(&self.citations)
    }
}

/// A statute's provision letting law enforcement delay some of its notices (HIPAA 164.412, most
/// state laws). A hold recorded in the facts moves only the obligations a provision names.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Delay {
    /// Ids of this file's obligations the provision delays.
    pub obligations: Vec<String>,
    /// Only a written request delays notice; an oral one does not.
    #[serde(default)]
    pub written_only: bool,
    /// An oral request delays notice at most this many days from the statement, unless a written
    /// one follows (HIPAA 164.412(b): 30).
    pub oral_max_days: Option<u32>,
    /// Once the hold ends, notice is due within this period of its end (Maine: 7 business days),
    /// instead of the tolled original deadline. `calendar_days` or `business_days` only.
    pub resume: Option<Deadline>,
    #[serde(default, deserialize_with = "de_opt_date")]
    pub from: Option<NaiveDate>,
    #[serde(default, deserialize_with = "de_opt_date")]
    pub until: Option<NaiveDate>,
    pub confidence: Confidence,
    #[serde(deserialize_with = "de_date")]
    pub reviewed_on: NaiveDate,
    pub summary: String,
    pub citations: Vec<Citation>,
}

value_enum! {
    /// The kinds of exit from notifying that statutes provide.
    #[serde(rename_all = "snake_case")]
    pub enum ExemptionKind {
        /// The data was encrypted (and, where the statute says so, the key was not acquired).
        Encryption,
        /// An investigation concluded there is no reasonable likelihood of harm: a person's judgement,
        /// so the engine proposes and a person confirms.
        RiskOfHarm,
        /// Notice under another regime (HIPAA, GLBA, the primary federal regulator) is deemed to comply.
        DeemedCompliance,
    }
}

/// What an exit demands in return; each becomes an obligation of its own (id, recipient, clock).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// Obligation id, unique across all rule files.
    pub id: String,
    pub recipient: Recipient,
    pub trigger: Trigger,
    pub deadline: Deadline,
    /// A written record kept this many years.
    pub keep_years: Option<u32>,
    pub channel: Option<String>,
    pub summary: String,
    /// Defaults to the exemption's citations.
    #[serde(default)]
    pub citations: Vec<Citation>,
}

/// An exit from notifying, as dated, cited data. An encryption exit never holds when the key or
/// credential was compromised too, whether or not the statute says so (over-inclusive by design).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exemption {
    pub id: String,
    pub kind: ExemptionKind,
    /// Ids of this file's obligations the exit removes.
    pub exempts: Vec<String>,
    /// Risk of harm: the determination must follow consultation with law enforcement.
    #[serde(default)]
    pub law_enforcement_consultation: bool,
    /// Risk of harm: the determination must be in writing.
    #[serde(default)]
    pub written_determination: bool,
    /// Deemed compliance: notice under one of these (see [`NOTIFIED_UNDER`]).
    #[serde(default)]
    pub regimes: Vec<String>,
    #[serde(default, deserialize_with = "de_opt_date")]
    pub from: Option<NaiveDate>,
    #[serde(default, deserialize_with = "de_opt_date")]
    pub until: Option<NaiveDate>,
    pub confidence: Confidence,
    #[serde(deserialize_with = "de_date")]
    pub reviewed_on: NaiveDate,
    pub summary: String,
    pub citations: Vec<Citation>,
    #[serde(default)]
    pub requires: Vec<Requirement>,
}

/// Regimes an entity can say it notified under (facts `notified_under`, exemption `regimes`).
pub const NOTIFIED_UNDER: [&str; 5] =
    ["HIPAA", "GLBA", "NYDFS", "FTC-HBNR", "primary_federal_regulator"];

/// `[from, until)` as text, `…` for an open end.
fn range_text(from: Option<NaiveDate>, until: Option<NaiveDate>) -> String {
    let f = from.map_or_else(|| "…".to_owned(), |d| d.to_string());
    let u = until.map_or_else(|| "…".to_owned(), |d| d.to_string());
    format!("[{f}, {u})")
}

fn in_force(from: Option<NaiveDate>, until: Option<NaiveDate>, d: NaiveDate) -> bool {
    from.is_none_or(|f| f <= d) && until.is_none_or(|u| d < u)
}

/// The citations as one line: "45 CFR 164.404(b); …".
#[must_use]
pub fn citations_text(citations: &[Citation]) -> String {
    citations
        .iter()
        .map(|c| format!("{} {}", c.instrument, c.section))
        .collect::<Vec<_>>()
        .join("; ")
}

impl Delay {
    #[must_use]
    pub fn in_force_on(&self, d: NaiveDate) -> bool {
        in_force(self.from, self.until, d)
    }
    #[must_use]
    pub fn citation_text(&self) -> String {
        citations_text(&self.citations)
    }
}

impl Exemption {
    #[must_use]
    pub fn in_force_on(&self, d: NaiveDate) -> bool {
        in_force(self.from, self.until, d)
    }
    #[must_use]
    pub fn citation_text(&self) -> String {
        citations_text(&self.citations)
    }
    #[must_use]
    pub fn range_text(&self) -> String {
        range_text(self.from, self.until)
    }
}

/// One rule file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    pub regime: Regime,
    pub jurisdiction: String,
    pub title: String,
    /// A state's definition of personal information (state files only). Without it, every resident
    /// counts, whatever was exposed.
    pub covered_data: Option<CoveredData>,
    pub obligations: Vec<Obligation>,
    /// Law-enforcement delay provisions.
    #[serde(default)]
    pub delays: Vec<Delay>,
    /// Exits from notifying.
    #[serde(default)]
    pub exemptions: Vec<Exemption>,
    /// The file it came from (set by the loader).
    #[serde(skip)]
    pub source: String,
}

fn de_date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    let v = toml::value::Datetime::deserialize(d)?;
    match (v.date, v.time, v.offset) {
        (Some(date), None, None) => NaiveDate::from_ymd_opt(
            i32::from(date.year),
            u32::from(date.month),
            u32::from(date.day),
        )
        .ok_or_else(|| serde::de::Error::custom(format!("{v} is not a calendar date"))),
        _ => Err(serde::de::Error::custom(format!(
            "{v}: expected a date like 2026-01-01, without a time"
        ))),
    }
}

fn de_opt_date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    de_date(d).map(Some)
}

/// Why a rule file was refused: the file, and what is wrong in it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {message}")]
pub struct LoadError {
    pub file: String,
    pub message: String,
}

pub const RECOGNISED_DATA_TYPES: [&str; 17] = [
    "name",
    "address",
    "email",
    "phone",
    "dob",
    "ssn",
    "tax_id",
    "drivers_license",
    "passport",
    "financial_account",
    "payment_card",
    "username_password",
    "medical",
    "health_insurance",
    "biometric",
    "genetic",
    "precise_location",
];

fn check_citations(citations: &[Citation]) -> Result<(), String> {
    if citations.is_empty() {
        return Err("no citation".into());
    }
    for c in citations {
        if c.instrument.trim().is_empty() || c.section.trim().is_empty() {
            return Err("a citation needs an instrument and a section".into());
        }
        if !(c.url.starts_with("https://") || c.url.starts_with("http://")) {
            return Err(format!("citation url {:?} is not a web address", c.url));
        }
    }
    Ok(())
}

/// A data element of [`RECOGNISED_DATA_TYPES`] as a person reads it.
#[must_use]
pub fn data_type_label(t: &str) -> &str {
    match t {
        "name" => "name",
        "address" => "postal address",
        "email" => "e-mail address",
        "phone" => "phone number",
        "dob" => "date of birth",
        "ssn" => "Social Security number",
        "tax_id" => "taxpayer ID",
        "drivers_license" => "driver's license or state ID",
        "passport" => "passport or other government ID",
        "financial_account" => "financial account number",
        "payment_card" => "payment card number",
        "username_password" => "username or e-mail with password",
        "medical" => "medical information",
        "health_insurance" => "health insurance information",
        "biometric" => "biometric data",
        "genetic" => "genetic data",
        "precise_location" => "precise geolocation",
        other => other,
    }
}

/// Parses and checks one file on its own.
///
/// # Errors
/// A [`LoadError`] naming `file` and what is wrong (with the TOML line for syntax errors).
pub fn parse_file(file: &str, text: &str) -> Result<RuleFile, LoadError> {
    let err = |message: String| LoadError { file: file.to_owned(), message };
    let mut rf: RuleFile = toml::from_str(text).map_err(|e| err(e.to_string()))?;
    rf.source = file.to_owned();
    if !crate::jurisdiction::is_rule_jurisdiction(&rf.jurisdiction) {
        return Err(err(format!(
            "jurisdiction {:?} is not US, EU, GB or a US-XX code",
            rf.jurisdiction
        )));
    }
    if rf.obligations.is_empty() {
        return Err(err("no obligations".into()));
    }
    if let Some(cd) = &rf.covered_data {
        let e = |m: String| err(format!("covered_data: {m}"));
        if rf.regime != Regime::State {
            return Err(e("only state files define covered data".into()));
        }
        if cd.with_name.is_empty() && cd.alone.is_empty() {
            return Err(e("names no data element".into()));
        }
        for t in cd.with_name.iter().chain(&cd.alone) {
            if !RECOGNISED_DATA_TYPES.contains(&t.as_str()) {
                return Err(e(format!("unknown data type {t:?}")));
            }
        }
        check_citations(&cd.citations).map_err(e)?;
        if cd.summary.trim().is_empty() {
            return Err(e("empty summary".into()));
        }
    }
    for o in &rf.obligations {
        let e = |m: String| err(format!("obligation {}: {m}", o.id));
        if o.id.trim().is_empty() {
            return Err(err("an obligation has an empty id".into()));
        }
        if o.versions.is_empty() {
            return Err(e("no versions".into()));
        }
        for t in o.applies.data_types_any.iter().flatten() {
            if !RECOGNISED_DATA_TYPES.contains(&t.as_str()) {
                return Err(e(format!("unknown data type {t:?} in applies.data_types_any")));
            }
        }
        for r in o.applies.hipaa_role.iter().flatten() {
            if !["covered_entity", "business_associate"].contains(&r.as_str()) {
                return Err(e(format!("unknown hipaa_role {r:?}")));
            }
        }
        for r in o.applies.gdpr_role.iter().flatten() {
            if !["controller", "processor"].contains(&r.as_str()) {
                return Err(e(format!("unknown gdpr_role {r:?}")));
            }
        }
        if let Some(r) = &o.applies.residents_of {
            if r != "EU" && r != "GB" {
                return Err(e(format!("applies.residents_of must be \"EU\" or \"GB\", not {r:?}")));
            }
        }
        let mut versions: Vec<&Version> = o.versions.iter().collect();
        versions.sort_by_key(|v| v.from);
        for (i, v) in versions.iter().enumerate() {
            let ve = |m: String| e(format!("version {}: {m}", v.range_text()));
            if let (Some(f), Some(u)) = (v.from, v.until) {
                if u <= f {
                    return Err(ve(
                        "`until` must come after `from` (ranges are [from, until))".into()
                    ));
                }
            }
            check_citations(&v.citations).map_err(ve)?;
            if v.summary.trim().is_empty() {
                return Err(ve("empty summary".into()));
            }
            check_deadline(&v.deadline).map_err(ve)?;
            if let Some(t) = &v.threshold {
                if t.min.is_none() && t.max.is_none() {
                    return Err(ve("a threshold needs min or max".into()));
                }
                if let (Some(a), Some(b)) = (t.min, t.max) {
                    if a > b {
                        return Err(ve("threshold min exceeds max".into()));
                    }
                }
                if (t.scope == Scope::EachStateResidents) != o.per_state {
                    return Err(ve(
                        "scope each_state_residents goes with per_state = true, and only with it"
                            .into(),
                    ));
                }
            } else if o.per_state {
                return Err(ve(
                    "per_state obligations need an each_state_residents threshold".into()
                ));
            }
            if i > 0 {
                let prev = versions[i - 1];
                match (prev.until, v.from) {
                    (Some(u), Some(f)) if u == f => {}
                    (Some(u), Some(f)) if u < f => {
                        return Err(ve(format!(
                            "gap: the previous version ends {u}, this one starts {f}"
                        )))
                    }
                    _ => return Err(ve(format!("overlaps the version {}", prev.range_text()))),
                }
            }
        }
        for r in o.applies.bank_regulator.iter().flatten() {
            if !["occ", "frb", "fdic"].contains(&r.as_str()) {
                return Err(e(format!("unknown bank_regulator {r:?} (occ, frb or fdic)")));
            }
        }
        let home_scope = o.versions.iter().any(|v| {
            v.threshold
                .as_ref()
                .is_some_and(|t| matches!(t.scope, Scope::HomeStateOrResidents | Scope::HomeState))
        });
        if home_scope && o.applies.insurance_licensee != Some(true) {
            return Err(e("scopes home_state and home_state_or_residents need applies.insurance_licensee = true".into()));
        }
    }
    let own: BTreeSet<&str> = rf.obligations.iter().map(|o| o.id.as_str()).collect();
    let named = |list: &[String], what: &str| -> Result<(), LoadError> {
        if list.is_empty() {
            return Err(err(format!("{what}: names no obligation")));
        }
        match list.iter().find(|id| !own.contains(id.as_str())) {
            Some(id) => Err(err(format!("{what}: {id:?} is not an obligation of this file"))),
            None => Ok(()),
        }
    };
    for (i, d) in rf.delays.iter().enumerate() {
        let what = format!("delay {}", i + 1);
        named(&d.obligations, &what)?;
        let e = |m: String| err(format!("{what}: {m}"));
        check_dated(d.from, d.until, &d.citations, &d.summary).map_err(e)?;
        if d.written_only && d.oral_max_days.is_some() {
            return Err(e("written_only and oral_max_days exclude each other".into()));
        }
        if let Some(r) = &d.resume {
            check_deadline(r).map_err(e)?;
            if !matches!(r, Deadline::CalendarDays { .. } | Deadline::BusinessDays { .. }) {
                return Err(e("resume is calendar_days or business_days".into()));
            }
        }
        for other in &rf.delays[..i] {
            let start = d.from.unwrap_or(NaiveDate::MIN).max(other.from.unwrap_or(NaiveDate::MIN));
            let end = d.until.unwrap_or(NaiveDate::MAX).min(other.until.unwrap_or(NaiveDate::MAX));
            if start < end && d.obligations.iter().any(|o| other.obligations.contains(o)) {
                return Err(e("overlaps another delay provision for the same obligation".into()));
            }
        }
    }
    for x in &rf.exemptions {
        let what = format!("exemption {}", x.id);
        named(&x.exempts, &what)?;
        let e = |m: String| err(format!("{what}: {m}"));
        check_dated(x.from, x.until, &x.citations, &x.summary).map_err(e)?;
        match x.kind {
            ExemptionKind::DeemedCompliance => {
                if x.regimes.is_empty() {
                    return Err(e("deemed_compliance names the regimes it accepts".into()));
                }
                if let Some(r) = x.regimes.iter().find(|r| !NOTIFIED_UNDER.contains(&r.as_str())) {
                    return Err(e(format!(
                        "unknown regime {r:?} (known: {})",
                        NOTIFIED_UNDER.join(", ")
                    )));
                }
            }
            _ if !x.regimes.is_empty() => {
                return Err(e("regimes go with deemed_compliance only".into()))
            }
            _ => {}
        }
        if x.kind != ExemptionKind::RiskOfHarm
            && (x.law_enforcement_consultation || x.written_determination)
        {
            return Err(e(
                "law_enforcement_consultation and written_determination go with risk_of_harm only"
                    .into(),
            ));
        }
        for r in &x.requires {
            let e = |m: String| err(format!("{what}: requirement {}: {m}", r.id));
            check_deadline(&r.deadline).map_err(e)?;
            if r.summary.trim().is_empty() {
                return Err(e("empty summary".into()));
            }
            if !r.citations.is_empty() {
                check_citations(&r.citations).map_err(e)?;
            }
            if r.trigger == Trigger::HarmDeterminedAt && x.kind != ExemptionKind::RiskOfHarm {
                return Err(e("only a risk-of-harm exit has a determination to count from".into()));
            }
        }
    }
    Ok(rf)
}

/// The checks every dated, cited entry gets: a range that runs forward, citations, a summary.
fn check_dated(
    from: Option<NaiveDate>,
    until: Option<NaiveDate>,
    citations: &[Citation],
    summary: &str,
) -> Result<(), String> {
    if let (Some(f), Some(u)) = (from, until) {
        if u <= f {
            return Err("`until` must come after `from` (ranges are [from, until))".into());
        }
    }
    check_citations(citations)?;
    if summary.trim().is_empty() {
        return Err("empty summary".into());
    }
    Ok(())
}

fn check_deadline(d: &Deadline) -> Result<(), String> {
    match d {
        Deadline::CalendarDays { days } | Deadline::BusinessDays { days, .. } if *days == 0 => {
            Err("a day count of 0".into())
        }
        Deadline::Hours { hours: 0 } => Err("an hour count of 0".into()),
        Deadline::BusinessDays { calendar, cutoff, zone, .. } => {
            HolidayCalendar::parse(calendar)?;
            if let Some(c) = cutoff {
                parse_cutoff(c)?;
            }
            if let Some(z) = zone {
                z.parse::<chrono_tz::Tz>().map_err(|_| format!("unknown zone {z:?}"))?;
            }
            Ok(())
        }
        Deadline::Relative { relation, days, hours, months, .. } => {
            let given =
                [days.is_some(), hours.is_some(), months.is_some()].iter().filter(|b| **b).count();
            match relation {
                Relation::After if given != 1 => {
                    Err("relation \"after\" needs exactly one of days, hours or months".into())
                }
                Relation::Before | Relation::With if given != 0 => {
                    Err("days, hours and months only go with relation \"after\"".into())
                }
                _ if [*days, *hours, *months].contains(&Some(0)) => Err("a count of 0".into()),
                _ => Ok(()),
            }
        }
        Deadline::HoursWithin { hours, within_hours, .. } if *hours == 0 || *within_hours == 0 => {
            Err("an hour count of 0".into())
        }
        _ => Ok(()),
    }
}

pub(crate) fn parse_cutoff(c: &str) -> Result<NaiveTime, String> {
    NaiveTime::parse_from_str(c, "%H:%M").map_err(|_| format!("cutoff {c:?} is not HH:MM"))
}

/// Every rule file, checked together.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub files: Vec<RuleFile>,
    /// A fingerprint of the rule texts (FNV-1a 64), snapshotted onto stored obligations.
    pub fingerprint: String,
}

impl RuleSet {
    /// Parses `(file name, text)` pairs and checks them as one set.
    ///
    /// # Errors
    /// The first [`LoadError`]: per-file problems, duplicate ids across files, dangling references.
    pub fn from_texts<'a>(
        texts: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<RuleSet, LoadError> {
        let mut files = Vec::new();
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for (name, text) in texts {
            for b in name.bytes().chain([0]).chain(text.bytes()).chain([0]) {
                hash ^= u64::from(b);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
            files.push(parse_file(name, text)?);
        }
        let mut ids: BTreeMap<&str, &str> = BTreeMap::new();
        for f in &files {
            let requirement_ids =
                f.exemptions.iter().flat_map(|x| x.requires.iter().map(|r| r.id.as_str()));
            let exemption_ids = f.exemptions.iter().map(|x| x.id.as_str());
            for id in f
                .obligations
                .iter()
                .map(|o| o.id.as_str())
                .chain(requirement_ids)
                .chain(exemption_ids)
            {
                if let Some(other) = ids.insert(id, &f.source) {
                    return Err(LoadError {
                        file: f.source.clone(),
                        message: format!("id {id} is also used in {other}"),
                    });
                }
            }
        }
        let anchors: BTreeSet<&str> =
            files.iter().flat_map(|f| f.obligations.iter().map(|o| o.id.as_str())).collect();
        for f in &files {
            for o in &f.obligations {
                for v in &o.versions {
                    let refs = match &v.deadline {
                        Deadline::Relative { to, .. } => vec![to],
                        _ => vec![],
                    };
                    for to in refs.into_iter().chain(v.or_with.as_ref()) {
                        if !anchors.contains(to.as_str()) || *to == o.id {
                            return Err(LoadError {
                                file: f.source.clone(),
                                message: format!(
                                    "obligation {}: timed against unknown obligation {to:?}",
                                    o.id
                                ),
                            });
                        }
                    }
                }
            }
        }
        Ok(RuleSet { files, fingerprint: format!("{hash:016x}") })
    }

    /// The rules compiled into this build (`rules/**/*.toml`).
    ///
    /// # Errors
    /// When a shipped file is invalid (the test suite prevents that from shipping).
    pub fn embedded() -> Result<RuleSet, LoadError> {
        RuleSet::from_texts(crate::EMBEDDED_RULES.iter().copied())
    }

    /// Whether `id` names an obligation, or what an exit demands, in any file.
    #[must_use]
    pub fn knows(&self, id: &str) -> bool {
        self.obligation(id).is_some()
            || self
                .files
                .iter()
                .flat_map(|f| &f.exemptions)
                .flat_map(|x| &x.requires)
                .any(|r| r.id == id)
    }

    /// The obligation with `id`, and the file it is in.
    #[must_use]
    pub fn obligation(&self, id: &str) -> Option<(&RuleFile, &Obligation)> {
        self.files.iter().find_map(|f| f.obligations.iter().find(|o| o.id == id).map(|o| (f, o)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
regime = "STATE"
jurisdiction = "US-TX"
title = "Texas"
[[obligations]]
id = "X-individuals"
recipient = "individuals"
[[obligations.versions]]
until = 2026-01-01
trigger = "discovered_at"
deadline = { kind = "asap" }
confidence = "high"
reviewed_on = 2026-11-01
summary = "Old rule."
[[obligations.versions.citations]]
instrument = "Code"
section = "1"
url = "https://example.org/code"
[[obligations.versions]]
from = 2026-01-01
trigger = "discovered_at"
deadline = { kind = "calendar_days", days = 30 }
confidence = "high"
reviewed_on = 2026-11-01
summary = "New rule."
[[obligations.versions.citations]]
instrument = "Code"
section = "1"
url = "https://example.org/code"
"#;

    fn refused(text: &str) -> String {
        parse_file("t.toml", text).expect_err("must be refused").to_string()
    }

    #[test]
    fn a_well_formed_file_loads() {
        let f = parse_file("t.toml", GOOD).expect("valid");
        assert_eq!(f.obligations[0].versions.len(), 2);
    }

    #[test]
    fn the_loader_refuses_what_it_cannot_vouch_for() {
        assert!(refused(&GOOD.replace("title = \"Texas\"", "title = \"Texas\"\ncolour = \"red\""))
            .contains("unknown field"));
        assert!(refused(
            &GOOD.replace("title = \"Texas\"", "title = \"Texas\"\ntitle = \"Again\"")
        )
        .contains("duplicate key"));
        assert!(refused(&GOOD.replace("from = 2026-01-01", "from = 2026-02-30")).contains("t.toml"));
        assert!(refused(&GOOD.replace("from = 2026-01-01", "from = 2026-02-01")).contains("gap"));
        assert!(
            refused(&GOOD.replace("from = 2026-01-01", "from = 2025-12-01")).contains("overlaps")
        );
        assert!(refused(&GOOD.replace("until = 2026-01-01", "until = 2026-01-01T10:00:00"))
            .contains("without a time"));
        let no_cite = GOOD.replacen("[[obligations.versions.citations]]\ninstrument = \"Code\"\nsection = \"1\"\nurl = \"https://example.org/code\"\n", "", 1);
        assert!(refused(&no_cite).contains("citations"), "{}", refused(&no_cite));
        assert!(refused(&GOOD.replace("\"asap\"", "\"fortnight\"")).contains("unknown variant"));
        assert!(refused(&GOOD.replace("US-TX", "US-XX")).contains("jurisdiction"));
    }

    #[test]
    fn duplicate_ids_across_files_are_refused() {
        let e = RuleSet::from_texts([("a.toml", GOOD), ("b.toml", GOOD)]).expect_err("dup");
        assert!(e.to_string().contains("also used in a.toml"), "{e}");
    }
}
