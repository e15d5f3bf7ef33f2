//! The shapes that cross to the desktop UI, and the TypeScript generated from them.
//!
//! Errors cross as [`ErrorBody`] — `{code, message, field}` — built by one exhaustive match
//! ([`crate::Error::code`]); the UI branches on `code` and `field`, never on message text.

use serde::{Deserialize, Serialize};

/// An error as the UI receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct ErrorBody {
    pub code: crate::error::ErrorCode,
    pub message: String,
    /// The input field a validation error concerns.
    pub field: Option<String>,
}

impl From<&crate::Error> for ErrorBody {
    fn from(e: &crate::Error) -> Self {
        // A validation message is shown beside its field, so it does not repeat the field's name.
        let message = match e {
            crate::Error::Validation { message, .. } => message.clone(),
            other => other.to_string(),
        };
        ErrorBody { code: e.kind(), message, field: e.field().map(str::to_owned) }
    }
}

/// Where the app stands when it starts: set up? unlocked? who is the user?
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct AppStatus {
    pub dir: crate::DirStatus,
    pub unlocked: bool,
    pub user_name: Option<String>,
    /// Whether a system keyring answered when the app asked.
    pub keyring_available: bool,
    /// Why the keyring could not be used or the store could not be unlocked automatically.
    pub problem: Option<ErrorBody>,
    /// The shortest passphrase the core accepts.
    #[ts(type = "number")]
    pub passphrase_min_chars: usize,
}

/// First-run set-up from the desktop app.
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct SetupInput {
    pub mode: crate::KeyMode,
    pub passphrase: Option<String>,
    pub user_name: String,
}

/// An incident with its timeline, for the detail screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct IncidentDetail {
    pub incident: crate::incident::Incident,
    pub timeline: Vec<crate::timeline::TimelineEntry>,
}

/// Fixed vocabularies the UI shows as choices and help.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Vocabulary {
    pub severities: Vec<String>,
    pub severity_rule: String,
    pub statuses: Vec<String>,
    pub timeline_kinds: Vec<String>,
    pub role_names: Vec<String>,
    /// The facts editor's vocabularies.
    pub data_types: Vec<String>,
    pub us_jurisdictions: Vec<String>,
    pub countries: Vec<String>,
    /// What a user-defined obligation may name.
    #[ts(as = "Vec<breachdesk_rules::schema::Recipient>")]
    pub custom_recipients: Vec<String>,
    pub custom_triggers: Vec<String>,
    pub custom_clocks: Vec<String>,
}

fn strings<'a>(it: impl Iterator<Item = &'a str>) -> Vec<String> {
    it.map(str::to_owned).collect()
}

impl Vocabulary {
    #[must_use]
    pub fn get() -> Self {
        use crate::incident::{Roles, Severity, Status, SEVERITY_RULE};
        use crate::timeline::TimelineKind;
        Vocabulary {
            severities: Severity::ALL.iter().map(|s| s.as_str().to_owned()).collect(),
            severity_rule: SEVERITY_RULE.to_owned(),
            statuses: Status::ALL.iter().map(|s| s.as_str().to_owned()).collect(),
            timeline_kinds: TimelineKind::ALL.iter().map(|k| k.as_str().to_owned()).collect(),
            role_names: Roles::NAMES.iter().map(|s| (*s).to_owned()).collect(),
            data_types: strings(breachdesk_rules::schema::RECOGNISED_DATA_TYPES.iter().copied()),
            us_jurisdictions: strings(
                breachdesk_rules::jurisdiction::US_JURISDICTIONS.iter().copied(),
            ),
            countries: strings(breachdesk_rules::jurisdiction::countries()),
            custom_recipients: strings(crate::custom::RECIPIENTS.iter().copied()),
            custom_triggers: strings(crate::custom::TRIGGERS.iter().copied()),
            custom_clocks: strings(crate::custom::CLOCKS.iter().copied()),
        }
    }
}

/// The TypeScript declarations of every IPC type, as committed in `ui/src/lib/ipc/bindings.ts`.
#[must_use]
pub fn typescript_bindings() -> String {
    use ts_rs::TS;
    let decls = [
        crate::error::ErrorCode::decl(),
        breachdesk_rules::schema::Regime::decl(),
        breachdesk_rules::schema::Recipient::decl(),
        breachdesk_rules::schema::Confidence::decl(),
        breachdesk_rules::schema::ExemptionKind::decl(),
        breachdesk_rules::engine::Kind::decl(),
        crate::KeyMode::decl(),
        crate::DirStatus::decl(),
        ErrorBody::decl(),
        AppStatus::decl(),
        SetupInput::decl(),
        crate::incident::Severity::decl(),
        crate::incident::Status::decl(),
        crate::incident::Roles::decl(),
        crate::incident::Incident::decl(),
        crate::incident::NewIncident::decl(),
        crate::incident::IncidentPatch::decl(),
        crate::timeline::TimelineKind::decl(),
        crate::timeline::TimelineEntry::decl(),
        crate::timeline::NewTimelineEntry::decl(),
        IncidentDetail::decl(),
        crate::audit::AuditBreak::decl(),
        crate::audit::DataMismatch::decl(),
        crate::audit::AuditReport::decl(),
        crate::audit::Checkpoint::decl(),
        crate::incident::Unreadable::decl(),
        crate::incident::IncidentList::decl(),
        crate::CheckReport::decl(),
        Vocabulary::decl(),
        crate::obligations::IncidentFacts::decl(),
        crate::obligations::Hold::decl(),
        crate::obligations::HarmDetermination::decl(),
        crate::obligations::Licensee::decl(),
        crate::obligations::RequiredView::decl(),
        crate::obligations::ExemptionView::decl(),
        crate::obligations::ExemptedView::decl(),
        crate::obligations::ObligationStatus::decl(),
        crate::obligations::Decision::decl(),
        crate::obligations::Filing::decl(),
        crate::obligations::Obligation::decl(),
        crate::obligations::ObligationChange::decl(),
        crate::obligations::DecisionInput::decl(),
        crate::obligations::FilingInput::decl(),
        crate::obligations::FactsDraft::decl(),
        crate::obligations::ComputedView::decl(),
        crate::obligations::FactsPreview::decl(),
        crate::custom::NewCustomObligation::decl(),
        crate::custom::CustomObligation::decl(),
        crate::internal::InternalClockSettings::decl(),
        crate::internal::InternalClock::decl(),
        crate::reminders::Reminder::decl(),
        crate::individuals::mapping::Mapping::decl(),
        crate::individuals::mapping::SavedMapping::decl(),
        crate::individuals::RowError::decl(),
        crate::individuals::ImportOptions::decl(),
        crate::individuals::ImportReport::decl(),
        crate::individuals::Progress::decl(),
        crate::individuals::Counts::decl(),
        crate::individuals::Individual::decl(),
        crate::individuals::Batch::decl(),
        crate::individuals::FilePreview::decl(),
        crate::individuals::PageQuery::decl(),
        crate::individuals::Page::decl(),
        crate::individuals::review::DuplicatePair::decl(),
        crate::individuals::review::ScanResult::decl(),
        crate::individuals::StateCoverage::decl(),
        crate::app::JobProgress::decl(),
        crate::board::Column::decl(),
        crate::board::CellState::decl(),
        crate::board::BoardItem::decl(),
        crate::board::BoardCell::decl(),
        crate::board::BoardRow::decl(),
        crate::board::WaitingKind::decl(),
        crate::board::WaitingItem::decl(),
        crate::board::Board::decl(),
        crate::board::Stat::decl(),
        crate::board::OnTime::decl(),
        crate::board::ToNotice::decl(),
        crate::board::ResponseGroup::decl(),
        crate::board::Metrics::decl(),
        crate::board::CommsKind::decl(),
        crate::board::InternalUpdate::decl(),
        crate::notices::Paper::decl(),
        crate::notices::Severity::decl(),
        crate::notices::Confidence::decl(),
        crate::notices::Finding::decl(),
        crate::notices::Report::decl(),
        crate::notices::org::PostalAddress::decl(),
        crate::notices::org::Person::decl(),
        crate::notices::OrgProfile::decl(),
        crate::notices::Org::decl(),
        crate::notices::Monitoring::decl(),
        crate::notices::Narrative::decl(),
        crate::notices::TemplateKind::decl(),
        crate::notices::Addressee::decl(),
        crate::notices::TemplateMeta::decl(),
        crate::notices::Template::decl(),
        crate::notices::NoticeStatus::decl(),
        crate::notices::Channel::decl(),
        crate::notices::Proof::decl(),
        crate::notices::NoticeEvent::decl(),
        crate::notices::Notice::decl(),
        crate::notices::DraftInput::decl(),
        crate::notices::SentInput::decl(),
        crate::notices::ConfirmInput::decl(),
        crate::notices::Preview::decl(),
        crate::notices::PreviewInput::decl(),
        crate::notices::MergeInput::decl(),
        crate::notices::MergeFile::decl(),
        crate::notices::VariantCheck::decl(),
        crate::notices::MergeReport::decl(),
        crate::notices::MergeRun::decl(),
        crate::notices::LetterStatus::decl(),
        crate::notices::LetterView::decl(),
        crate::notices::PeoplePage::decl(),
        crate::notices::CodesReport::decl(),
        crate::notices::ReturnsReport::decl(),
        crate::notices::Security::decl(),
        crate::notices::SmtpShown::decl(),
        crate::notices::SendReport::decl(),
    ];
    let mut out = String::from(
        "// GENERATED by breachdesk-core (`ipc::typescript_bindings`); do not edit.\n\
         // Regenerate: make bindings\n\nimport { call } from './call';\n\n",
    );
    for d in decls.into_iter().chain(crate::commands::request_decls()) {
        out.push_str("export ");
        out.push_str(&d);
        out.push_str("\n\n");
    }
    out.push_str(&crate::commands::typescript_client());
    out
}

#[cfg(test)]
mod tests {
    use super::ErrorBody;
    use crate::Error;

    /// The UI depends on these exact shapes.
    #[test]
    fn errors_cross_ipc_as_code_message_field() {
        let v = serde_json::to_value(ErrorBody::from(&Error::Validation {
            field: "title".into(),
            message: "is required".into(),
        }))
        .expect("json");
        assert_eq!(
            v,
            serde_json::json!({ "code": "validation", "message": "is required", "field": "title" })
        );
        let v = serde_json::to_value(ErrorBody::from(&Error::WrongPassphrase)).expect("json");
        assert_eq!(
            v,
            serde_json::json!({ "code": "wrong_passphrase", "message": "wrong passphrase", "field": null })
        );
        let e = Error::SchemaTooNew { db_version: 9, app_version: 1 };
        assert_eq!(ErrorBody::from(&e).code.as_str(), "schema_too_new");
        assert!(ErrorBody::from(&e).message.contains("schema version 9"));
    }

    /// The committed bindings must be what the Rust types generate today.
    #[test]
    fn bindings_are_up_to_date() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../ui/src/lib/ipc/bindings.ts");
        let fresh = super::typescript_bindings();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &fresh).expect("write bindings");
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == fresh,
            "ui/src/lib/ipc/bindings.ts is stale: run `UPDATE_BINDINGS=1 cargo test -p breachdesk-core bindings` and commit it"
        );
    }
}
