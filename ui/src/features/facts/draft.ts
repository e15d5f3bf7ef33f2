// The facts editor's state and how it becomes a FactsDraft. Pure, shared by the facts editor and
// the what-if sandbox.
//
// Times are edited as "YYYY-MM-DDTHH:MM" in the incident's zone. A time the user did not touch is
// sent back exactly as stored (seconds included), so an untouched draft changes nothing.
import type { FactsDraft, Incident, IncidentFacts, IncidentPatch } from '../../lib/ipc/bindings';
import { emptyPatch } from '../../lib/ipc/client';
import { resolveJurisdiction, type JurisdictionOption } from '../../lib/jurisdictions';
import { toLocalInput } from '../../lib/time';

export const FLAGS = [
  'high_risk',
  'sec_registrant',
  'nydfs_covered',
  'nis2_entity',
  'phr_vendor',
  'glba_financial_institution',
  'dora_financial_entity',
  'dora_next_working_day',
  'encrypted',
  'key_compromised',
] as const;
export type Flag = (typeof FLAGS)[number];

/** Timestamps kept in the facts (not the incident's own), edited as local wall times. */
export const FACT_TIMES = ['materiality_determined_at', 'extortion_payment_at', 'classified_major_at', 'nis2_intermediate_requested_at'] as const;
export type FactTime = (typeof FACT_TIMES)[number];

/** Regimes an entity can say it notifies under (deemed-compliance clauses), with their words. */
export const NOTIFIED_UNDER = [
  ['HIPAA', 'HIPAA (notice to individuals and HHS)'],
  ['GLBA', 'GLBA / interagency guidance (financial institutions)'],
  ['NYDFS', 'NYDFS 23 NYCRR 500'],
  ['FTC-HBNR', 'FTC Health Breach Notification Rule'],
  ['primary_federal_regulator', 'Its primary federal regulator’s procedures'],
] as const;

/** The incident's own timestamps the editor may change (they go in the draft's patch). */
export const PATCH_TIMES = ['discovered_at', 'aware_at', 'determined_at'] as const;
export type PatchTime = (typeof PATCH_TIMES)[number];

export type AffectedRow = { key: number; code: string; count: string };

export type FactsValues = Record<PatchTime, string> &
  Record<FactTime, string> &
  Record<Flag, boolean> & {
    discovery_gap_reason: string;
    /** "" = none */
    hipaa_role: string;
    /** "" = none */
    gdpr_role: string;
    data_types: string[];
    affected: AffectedRow[];
    hold: boolean;
    hold_start: string;
    hold_end: string;
    /** "written" | "oral" */
    hold_form: string;
    /** "" = none; occ | frb | fdic */
    bank_regulator: string;
    /** "" = not an insurance licensee; else its home state (US-OH) */
    insurance_home_state: string;
    notified_under: string[];
    harm: boolean;
    harm_decided_at: string;
    harm_by: string;
    harm_rationale: string;
    harm_consulted: boolean;
  };

/** What the editor started from: the values shown, and the stored originals behind them. */
export type Baseline = { values: FactsValues; facts: IncidentFacts; incident: Incident };

export function baseline(incident: Incident, facts: IncidentFacts): Baseline {
  const zone = incident.timezone;
  let key = 0;
  const affected = Object.entries(facts.affected).map(([code, n]) => ({ key: ++key, code, count: String(n) }));
  const values: FactsValues = {
    discovered_at: toLocalInput(incident.discovered_at, zone),
    aware_at: toLocalInput(incident.aware_at, zone),
    determined_at: toLocalInput(incident.determined_at, zone),
    discovery_gap_reason: incident.discovery_gap_reason ?? '',
    materiality_determined_at: toLocalInput(facts.materiality_determined_at, zone),
    extortion_payment_at: toLocalInput(facts.extortion_payment_at, zone),
    classified_major_at: toLocalInput(facts.classified_major_at, zone),
    nis2_intermediate_requested_at: toLocalInput(facts.nis2_intermediate_requested_at, zone),
    hipaa_role: facts.hipaa_role ?? '',
    gdpr_role: facts.gdpr_role ?? '',
    high_risk: facts.high_risk,
    sec_registrant: facts.sec_registrant,
    nydfs_covered: facts.nydfs_covered,
    nis2_entity: facts.nis2_entity,
    phr_vendor: facts.phr_vendor,
    glba_financial_institution: facts.glba_financial_institution,
    dora_financial_entity: facts.dora_financial_entity,
    dora_next_working_day: facts.dora_next_working_day,
    encrypted: facts.encrypted,
    key_compromised: facts.key_compromised,
    data_types: [...facts.data_types],
    affected: affected.length > 0 ? affected : [{ key: 1, code: '', count: '' }],
    hold: facts.law_enforcement_hold !== null,
    hold_start: toLocalInput(facts.law_enforcement_hold?.start, zone),
    hold_end: toLocalInput(facts.law_enforcement_hold?.end, zone),
    hold_form: facts.law_enforcement_hold?.form ?? 'written',
    bank_regulator: facts.bank_regulator ?? '',
    insurance_home_state: facts.insurance_licensee?.home_state ?? '',
    notified_under: [...facts.notified_under],
    harm: facts.harm_determination !== null,
    harm_decided_at: toLocalInput(facts.harm_determination?.decided_at, zone),
    harm_by: facts.harm_determination?.by ?? '',
    harm_rationale: facts.harm_determination?.rationale ?? '',
    harm_consulted: facts.harm_determination?.law_enforcement_consulted ?? false,
  };
  return { values, facts, incident };
}

/** A fresh key for a new affected row. */
export function nextRowKey(rows: AffectedRow[]): number {
  return rows.reduce((m, r) => Math.max(m, r.key), 0) + 1;
}

/** The key under which a row's own (client-side) problem is shown. */
export const rowErrorKey = (key: number) => `row:${key}`;

const COUNT = /^\d+$/;

/**
 * Problems the editor can see without asking the backend: rows with no jurisdiction or no count,
 * counts that are not whole numbers, a jurisdiction listed twice, a hold without both ends.
 */
export function checkValues(v: FactsValues, options: JurisdictionOption[]): Record<string, string> {
  const errors: Record<string, string> = {};
  const seen = new Map<string, number>();
  for (const row of v.affected) {
    const code = resolveJurisdiction(row.code, options);
    const count = row.count.trim();
    if (code === '' && count === '') continue;
    if (code === '') errors[rowErrorKey(row.key)] = 'Choose the jurisdiction (US-TX, DE …).';
    else if (count === '') errors[rowErrorKey(row.key)] = 'Enter how many people live there.';
    else if (!COUNT.test(count)) errors[rowErrorKey(row.key)] = 'A whole number, 0 or more.';
    else if (seen.has(code)) errors[rowErrorKey(row.key)] = `${code} is listed twice; add the counts together.`;
    if (code !== '') seen.set(code, row.key);
  }
  if (v.hold) {
    if (v.hold_start === '') errors['law_enforcement_hold.start'] = 'When did the hold start?';
    if (v.hold_end === '') errors['law_enforcement_hold.end'] = 'When does (or did) it end?';
  }
  if (v.key_compromised && !v.encrypted) errors.key_compromised = 'Only when the data was encrypted: tick “encrypted” first, or untick this.';
  if (v.dora_next_working_day && !v.dora_financial_entity) errors.dora_next_working_day = 'Only for a DORA financial entity.';
  if (v.harm) {
    if (v.harm_decided_at === '') errors['harm_determination.decided_at'] = 'When was it determined?';
    if (v.harm_by.trim() === '') errors['harm_determination.by'] = 'Who made the determination (name and role)?';
    if (v.harm_rationale.trim() === '') errors['harm_determination.rationale'] = 'Why: a regulator will ask for the reasons.';
  }
  return errors;
}

/** The stored value when the user left the field as it was; else the edited local time (null when empty). */
function time(edited: string, shown: string, stored: string | null | undefined): string | null {
  if (edited === shown && stored) return stored;
  return edited === '' ? null : edited;
}

/** The draft to preview or save. Call only when `checkValues` found nothing. */
export function buildDraft(v: FactsValues, base: Baseline, options: JurisdictionOption[]): FactsDraft {
  const b = base.values;
  const affected: Record<string, number> = {};
  for (const row of v.affected) {
    const code = resolveJurisdiction(row.code, options);
    if (code !== '' && row.count.trim() !== '') affected[code] = Number(row.count.trim());
  }
  const factTime = (f: FactTime) => time(v[f], b[f], base.facts[f]);
  const facts: IncidentFacts = {
    materiality_determined_at: factTime('materiality_determined_at'),
    extortion_payment_at: factTime('extortion_payment_at'),
    classified_major_at: factTime('classified_major_at'),
    nis2_intermediate_requested_at: factTime('nis2_intermediate_requested_at'),
    hipaa_role: v.hipaa_role === '' ? null : v.hipaa_role,
    gdpr_role: v.gdpr_role === '' ? null : v.gdpr_role,
    high_risk: v.high_risk,
    sec_registrant: v.sec_registrant,
    nydfs_covered: v.nydfs_covered,
    nis2_entity: v.nis2_entity,
    phr_vendor: v.phr_vendor,
    glba_financial_institution: v.glba_financial_institution,
    dora_financial_entity: v.dora_financial_entity,
    dora_next_working_day: v.dora_next_working_day,
    encrypted: v.encrypted,
    key_compromised: v.key_compromised,
    bank_regulator: v.bank_regulator === '' ? null : v.bank_regulator,
    insurance_licensee: v.insurance_home_state === '' ? null : { home_state: v.insurance_home_state },
    notified_under: [...v.notified_under],
    harm_determination: v.harm
      ? {
          decided_at: time(v.harm_decided_at, b.harm_decided_at, base.facts.harm_determination?.decided_at) ?? '',
          by: v.harm_by.trim(),
          rationale: v.harm_rationale.trim(),
          law_enforcement_consulted: v.harm_consulted,
        }
      : null,
    affected,
    // Counted from the imported list of individuals; the editor keeps it as stored.
    undeliverable: base.facts.undeliverable,
    data_types: [...v.data_types],
    // Per-person exposed elements from the imported list; not edited here.
    exposure: base.facts.exposure,
    law_enforcement_hold: v.hold
      ? {
          start: time(v.hold_start, b.hold_start, base.facts.law_enforcement_hold?.start) ?? '',
          end: time(v.hold_end, b.hold_end, base.facts.law_enforcement_hold?.end) ?? '',
          form: v.hold_form,
        }
      : null,
  };
  const changed: Partial<IncidentPatch> = {};
  for (const f of PATCH_TIMES) {
    // "" clears the timestamp; the backend reads an empty string as "not recorded".
    if (v[f] !== b[f]) changed[f] = v[f];
  }
  if (v.discovery_gap_reason.trim() !== b.discovery_gap_reason.trim()) changed.discovery_gap_reason = v.discovery_gap_reason.trim();
  const patch: IncidentPatch | null = Object.keys(changed).length > 0 ? { ...emptyPatch, ...changed } : null;
  return { facts, patch };
}

/** Whether the user changed anything at all. */
export function isDirty(v: FactsValues, b: FactsValues): boolean {
  const norm = (x: FactsValues) =>
    JSON.stringify({
      ...x,
      affected: x.affected.filter((r) => r.code.trim() !== '' || r.count.trim() !== '').map((r) => [r.code.trim().toUpperCase(), r.count.trim()]),
      data_types: [...x.data_types].sort(),
      notified_under: [...x.notified_under].sort(),
    });
  return norm(v) !== norm(b);
}

/**
 * Where a backend validation error goes: the key of the field that shows it, or null for the
 * banner. "data_types[2]" goes to the data-type group; "affected.US-TX" to that row.
 */
export function errorKeyFor(field: string | null): string | null {
  if (field === null) return null;
  if (/^data_types(\[\d+\])?$/.test(field)) return 'data_types';
  if (field.startsWith('affected.')) return field;
  const known = [
    ...PATCH_TIMES,
    ...FACT_TIMES,
    ...FLAGS,
    'discovery_gap_reason',
    'hipaa_role',
    'gdpr_role',
    'bank_regulator',
    'law_enforcement_hold.start',
    'law_enforcement_hold.end',
    'law_enforcement_hold.form',
    'harm_determination.decided_at',
    'harm_determination.by',
    'harm_determination.rationale',
  ];
  if (field === 'law_enforcement_hold') return 'law_enforcement_hold.start';
  if (field === 'harm_determination') return 'harm_determination.decided_at';
  if (field.startsWith('notified_under')) return 'notified_under';
  if (field.startsWith('insurance_licensee')) return 'insurance_home_state';
  return known.includes(field) ? field : null;
}
