//! Which template a notice uses: one rule, shown to the user. The templates that answer the
//! obligation (their `obligations` globs); for a letter to a person, the addressee (a deceased
//! person's next of kin, a minor's parent or guardian), then the residence's own variant, then
//! the general one; the most specific obligation pattern wins, then the id.

use super::templates::{Addressee, Template, TemplateKind};
use crate::individuals::Individual;
use breachdesk_docs::check::glob;

/// The template picked, and why, in words.
pub(crate) struct Pick<'a> {
    pub template: &'a Template,
    pub reason: String,
}

fn specificity(t: &Template, key: &str) -> usize {
    t.meta
        .obligations
        .iter()
        .filter(|g| glob(g, key))
        .map(|g| g.len() - g.matches('*').count() * 2)
        .max()
        .unwrap_or(0)
}

/// Whether `t` answers obligation `key` to `recipient`.
pub(crate) fn answers(t: &Template, key: &str, recipient: &str) -> bool {
    t.meta.kind != TemplateKind::Part
        && t.meta.obligations.iter().any(|g| glob(g, key))
        && (t.meta.recipients.is_empty() || t.meta.recipients.iter().any(|r| r == recipient))
}

/// Picks the template for obligation `key` (and `person`, for a letter to one person).
pub(crate) fn pick<'a>(
    templates: &'a [Template],
    key: &str,
    recipient: &str,
    person: Option<&Individual>,
) -> Option<Pick<'a>> {
    let mut answering: Vec<&Template> =
        templates.iter().filter(|t| answers(t, key, recipient)).collect();
    answering.sort_by(|a, b| specificity(b, key).cmp(&specificity(a, key)).then(a.id.cmp(&b.id)));
    let Some(p) = person else {
        let t = answering
            .iter()
            .find(|t| t.meta.residence.is_empty() && t.meta.addressee == Addressee::Person)?;
        return Some(Pick {
            template: t, reason: format!("{key} → {} ({})", t.meta.title, t.id)
        });
    };
    let (want, who) = if p.deceased {
        (Addressee::NextOfKin, "deceased → letter to the next of kin")
    } else if p.minor {
        (Addressee::Guardian, "minor → letter to a parent or guardian")
    } else {
        (Addressee::Person, "")
    };
    let residence = p.residence.as_deref().unwrap_or("");
    let for_addressee: Vec<&&Template> =
        answering.iter().filter(|t| t.meta.addressee == want).collect();
    if want != Addressee::Person {
        if let Some(t) = for_addressee.first() {
            return Some(Pick { template: t, reason: format!("{who} ({})", t.id) });
        }
    }
    let people: Vec<&&Template> =
        answering.iter().filter(|t| t.meta.addressee == Addressee::Person).collect();
    if let Some(t) = people
        .iter()
        .find(|t| !residence.is_empty() && t.meta.residence.iter().any(|r| glob(r, residence)))
    {
        return Some(Pick {
            template: t,
            reason: format!("{residence} resident → {} ({})", t.meta.title, t.id),
        });
    }
    let t = people.iter().find(|t| t.meta.residence.is_empty())?;
    let why = if residence.is_empty() {
        "residence unknown".to_owned()
    } else {
        format!("{residence} resident, no variant of its own")
    };
    Some(Pick { template: t, reason: format!("{why} → {} ({})", t.meta.title, t.id) })
}
