// The probable-duplicates review: words for a pair's reason and a scan's result, and the
// side-by-side comparison of two records with the fields that differ.
import type { DuplicatePair, Individual, ScanResult } from '../../lib/ipc/bindings';

/** Groups larger than this are not paired by a scan (the backend's MAX_GROUP). */
export const MAX_GROUP = 50;

const REASON_WORDS: Record<string, string> = {
  name_dob: 'Same name and date of birth',
  email: 'Same e-mail address',
};

/** "name_dob" → "Same name and date of birth". */
export function reasonWords(reason: string): string {
  return REASON_WORDS[reason] ?? reason.replace(/_/g, ' ');
}

/** "merged" → "Merged", "distinct" → "Kept apart". */
export function decisionWords(decision: string | null): string {
  return decision === 'merged' ? 'Merged' : decision === 'distinct' ? 'Kept apart' : 'Waiting';
}

function count(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** "2 new pairs · 5 waiting · 1 group too large to pair". */
export function scanSummary(r: ScanResult): string {
  return [count(r.new_pairs, 'new pair', 'new pairs'), `${r.waiting.toLocaleString('en-US')} waiting`, count(r.oversized_groups, 'group too large to pair', 'groups too large to pair')].join(' · ');
}

/** The pairs waiting for a decision and those decided, each in the backend's order. */
export function splitQueue(pairs: readonly DuplicatePair[]): { waiting: DuplicatePair[]; decided: DuplicatePair[] } {
  return { waiting: pairs.filter((p) => p.decision === null), decided: pairs.filter((p) => p.decision !== null) };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A date of birth as the app writes dates: "1980-03-04" → "4 Mar 1980"; anything else unchanged. */
export function formatDob(dob: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dob);
  const month = m ? MONTHS[Number(m[2]) - 1] : undefined;
  return m && month ? `${Number(m[3])} ${month} ${m[1]}` : dob;
}

/** The flags of a record, in the table's order. */
export function flagLabels(p: Individual): string[] {
  return [p.minor && 'Minor', p.deceased && 'Deceased', p.no_postal && 'No address', p.no_email && 'No e-mail'].filter((f): f is string => typeof f === 'string');
}

export type CompareKey = 'name' | 'external_id' | 'email' | 'dob' | 'address' | 'city' | 'region' | 'postal_code' | 'country' | 'residence' | 'flags';

type Compared = {
  key: CompareKey;
  label: string;
  value: (p: Individual) => string | null;
  /** Shown only when one of the two records has a value. */
  optional?: boolean;
};

const joined = (parts: (string | null)[]): string | null => {
  const kept = parts.filter((s): s is string => s !== null && s.trim() !== '');
  return kept.length > 0 ? kept.join(', ') : null;
};

/** What a reviewer compares, in the order shown. */
const COMPARED: Compared[] = [
  { key: 'name', label: 'Name', value: (p) => p.full_name },
  { key: 'external_id', label: 'Record ID', value: (p) => p.external_id, optional: true },
  { key: 'email', label: 'E-mail', value: (p) => p.email },
  { key: 'dob', label: 'Date of birth', value: (p) => (p.dob === null ? null : formatDob(p.dob)) },
  { key: 'address', label: 'Address', value: (p) => joined([p.address1, p.address2]) },
  { key: 'city', label: 'City', value: (p) => p.city },
  { key: 'region', label: 'State', value: (p) => p.region },
  { key: 'postal_code', label: 'ZIP', value: (p) => p.postal_code },
  { key: 'country', label: 'Country', value: (p) => p.country, optional: true },
  { key: 'residence', label: 'Residence', value: (p) => p.residence },
  { key: 'flags', label: 'Flags', value: (p) => joined(flagLabels(p)) },
];

/**
 * Whether two values differ for a reviewer: case, spacing and Unicode composition are not
 * differences ("JANE  DOE" is "Jane Doe"); a value against no value is.
 */
export function valuesDiffer(a: string | null, b: string | null): boolean {
  const norm = (v: string | null) => (v ?? '').normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
  return norm(a) !== norm(b);
}

export type CompareRow = { key: CompareKey; label: string; first: string | null; later: string | null; differs: boolean };

/** The rows of the side-by-side comparison; optional rows only when either record has a value. */
export function compareRows(first: Individual, later: Individual): CompareRow[] {
  return COMPARED.flatMap((c) => {
    const a = c.value(first);
    const b = c.value(later);
    if (c.optional && a === null && b === null) return [];
    return [{ key: c.key, label: c.label, first: a, later: b, differs: valuesDiffer(a, b) }];
  });
}

/** The fields in which two records differ (the comparison's highlighted rows). */
export function differingFields(first: Individual, later: Individual): CompareKey[] {
  return compareRows(first, later)
    .filter((r) => r.differs)
    .map((r) => r.key);
}

/** The backend sends at most this many pairs from the queue. */
export const QUEUE_LIMIT = 200;

/** "import #2 · row 9": where a record came from. */
export function sourceLabel(seq: number | undefined, row: number): string {
  return `import #${seq ?? '?'} · row ${row.toLocaleString('en-US')}`;
}
