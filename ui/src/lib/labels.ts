// Human words for the backend's snake_case vocabulary. The maps over the backend's enums are
// exhaustive: a value added in Rust (and so to bindings.ts) fails `tsc` until it has its words here.
import type { Confidence, ExemptionKind, Recipient } from './ipc/bindings';

/** "fix_deployed" → "Fix deployed", "incident_commander" → "Incident commander". */
export function humanise(word: string): string {
  const spaced = word.replace(/_/g, ' ').trim();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** The five roles, in the order the backend names them. */
export const ROLE_NAMES = [
  'incident_commander',
  'compliance_liaison',
  'comms_lead',
  'engineering_responder',
  'executive_sponsor',
] as const;

/** A sentence starts with a capital: "attorney general" → "Attorney general". */
export function sentenceCase(text: string): string {
  return text.length > 0 ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

const RECIPIENT_WORDS: Record<Recipient, string> = {
  individuals: 'affected individuals',
  hhs: 'HHS (OCR)',
  media: 'media',
  attorney_general: 'attorney general',
  state_regulator: 'state regulator',
  consumer_reporting_agencies: 'consumer reporting agencies',
  supervisory_authority: 'supervisory authority',
  sec: 'SEC (Form 8-K)',
  ftc: 'FTC',
  covered_entity: 'covered entity',
  controller: 'controller',
  csirt: 'CSIRT',
  insurer: 'insurer',
  investors: 'investors',
  board: 'board',
  other: 'other party',
  law_enforcement: 'law enforcement',
  record: 'written record (kept on file)',
  federal_regulator: 'primary federal regulator',
  competent_authority: 'competent authority',
};

/** Who an obligation is owed to, in words to use inside a sentence ("attorney general"). */
export function recipientWords(recipient: Recipient): string {
  return RECIPIENT_WORDS[recipient];
}

/** Only where a short form differs; the rest use their words. */
const RECIPIENT_SHORT: Partial<Record<Recipient, string>> = {
  individuals: 'individuals',
  hhs: 'HHS',
  attorney_general: 'AG',
  state_regulator: 'regulator',
  consumer_reporting_agencies: 'CRAs',
  supervisory_authority: 'SA',
  sec: 'SEC',
  ftc: 'FTC',
  covered_entity: 'covered entity',
  csirt: 'CSIRT',
  law_enforcement: 'police',
  record: 'record',
  federal_regulator: 'regulator',
  competent_authority: 'authority',
};

/** A compact form for tight places (chart labels): "AG", "SA", "HHS". */
export function recipientShort(recipient: Recipient): string {
  return RECIPIENT_SHORT[recipient] ?? recipientWords(recipient);
}

const DATA_TYPES: Record<string, string> = {
  name: 'Name',
  address: 'Postal address',
  email: 'Email address',
  phone: 'Phone number',
  dob: 'Date of birth',
  ssn: 'Social Security number',
  tax_id: 'Tax ID',
  drivers_license: 'Driver’s licence / state ID',
  passport: 'Passport number',
  financial_account: 'Financial account number',
  payment_card: 'Payment card number',
  username_password: 'Username with password',
  medical: 'Medical information',
  health_insurance: 'Health insurance information',
  biometric: 'Biometric data',
  genetic: 'Genetic data',
  precise_location: 'Precise geolocation',
};

/** "ssn" → "Social Security number". */
export function dataTypeLabel(t: string): string {
  return DATA_TYPES[t] ?? humanise(t);
}

const CONFIDENCE: Record<Confidence, string> = {
  high: 'High confidence',
  medium: 'Medium confidence',
  low: 'Low confidence',
};

export function confidenceLabel(c: Confidence): string {
  return CONFIDENCE[c];
}

const TRIGGERS: Record<string, string> = {
  detected_at: 'detection',
  discovered_at: 'discovery',
  aware_at: 'awareness (GDPR)',
  determined_at: 'determination',
};

/** The timestamp a clock starts from, in words: "discovery". */
export function triggerWords(t: string): string {
  return TRIGGERS[t] ?? t.replace(/_/g, ' ');
}

const CLOCKS: Record<string, string> = {
  calendar_days: 'calendar days',
  hours: 'hours',
  business_days: 'business days',
  same_business_day: 'same business day',
  asap: 'as soon as possible',
};

export function clockWords(c: string): string {
  return CLOCKS[c] ?? c.replace(/_/g, ' ');
}

const EXEMPTION_KINDS: Record<ExemptionKind, string> = {
  encryption: 'encryption safe harbour',
  risk_of_harm: 'no reasonable likelihood of harm',
  deemed_compliance: 'deemed compliance',
};

/** An exit from notifying, in words: "encryption safe harbour". */
export function exemptionKindLabel(kind: ExemptionKind): string {
  return EXEMPTION_KINDS[kind];
}
