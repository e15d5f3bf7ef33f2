// Human words for the backend's snake_case vocabulary.

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
