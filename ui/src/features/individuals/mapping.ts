// The import wizard's column mapping: one select per column of the file, each naming the field
// it fills ("" = ignored), turned into the backend's Mapping {field: header}.
import type { Mapping } from '../../lib/ipc/bindings';
import { humanise } from '../../lib/labels';

const FIELD_LABELS: Record<string, string> = {
  external_id: 'Record ID',
  full_name: 'Full name',
  first_name: 'First name',
  last_name: 'Last name',
  address1: 'Address line 1',
  address2: 'Address line 2',
  city: 'City',
  state: 'State / region',
  postal_code: 'ZIP / postal code',
  country: 'Country',
  email: 'E-mail',
  phone: 'Phone',
  dob: 'Date of birth',
  deceased: 'Deceased',
  minor: 'Minor',
  guardian: 'Guardian',
  data_elements: 'Data elements',
};

/** "postal_code" → "ZIP / postal code". */
export function fieldLabel(field: string): string {
  return FIELD_LABELS[field] ?? humanise(field);
}

/** The fields that can carry a person's name; at least one must be mapped. */
export const NAME_FIELDS = ['full_name', 'first_name', 'last_name'] as const;

/**
 * For each column, the index of an earlier column with the same header, or null. The backend
 * finds a column by its header, so only the first of two same-named columns can be used.
 */
export function duplicateHeaders(header: readonly string[]): (number | null)[] {
  return header.map((h, i) => {
    const first = header.indexOf(h);
    return first < i ? first : null;
  });
}

/** The field chosen for each column, from a detected (or saved) mapping. */
export function initialSelection(header: readonly string[], mapping: Mapping): string[] {
  const dup = duplicateHeaders(header);
  const byHeader = new Map<string, string>();
  for (const [field, col] of Object.entries(mapping.columns)) {
    if (col !== undefined && !byHeader.has(col)) byHeader.set(col, field);
  }
  return header.map((h, i) => (dup[i] === null ? (byHeader.get(h) ?? '') : ''));
}

/** Column `index` now fills `field`; a field fills one column, so any other column using it is cleared. */
export function assignField(selection: readonly string[], index: number, field: string): string[] {
  return selection.map((f, i) => (i === index ? field : field !== '' && f === field ? '' : f));
}

/** The Mapping the backend takes: field → header of the column that fills it. */
export function toMapping(header: readonly string[], selection: readonly string[]): Mapping {
  const columns: Record<string, string> = {};
  selection.forEach((field, i) => {
    const h = header[i];
    if (field !== '' && h !== undefined && columns[field] === undefined) columns[field] = h;
  });
  return { columns };
}

/** Whether a name column is mapped (the one requirement the backend makes of a mapping). */
export function hasNameColumn(selection: readonly string[]): boolean {
  return selection.some((f) => (NAME_FIELDS as readonly string[]).includes(f));
}

/** The column a `mapping.<field>` error is about, or null. */
export function columnOfError(errorField: string | null, selection: readonly string[]): number | null {
  if (!errorField?.startsWith('mapping.')) return null;
  const i = selection.indexOf(errorField.slice('mapping.'.length));
  return i >= 0 ? i : null;
}

/** Why a saved mapping's field could not be applied to this file. */
export type Unapplied = {
  field: string;
  /** The header the saved mapping names for it. */
  column: string;
  /** missing: no such column in this file; taken: the column already fills another field; unknown: not a field of this version. */
  why: 'missing' | 'taken' | 'unknown';
};

/**
 * A saved mapping applied to this file's header: the columns it names fill their fields, every
 * other column is ignored. Fields whose column is not in this file are reported, not guessed.
 */
export function applySavedMapping(header: readonly string[], mapping: Mapping, fields: readonly string[]): { selection: string[]; unapplied: Unapplied[] } {
  const known: Record<string, string> = {};
  const unapplied: Unapplied[] = [];
  for (const [field, column] of Object.entries(mapping.columns)) {
    if (column === undefined) continue;
    if (fields.includes(field)) known[field] = column;
    else unapplied.push({ field, column, why: 'unknown' });
  }
  const selection = initialSelection(header, { columns: known });
  for (const [field, column] of Object.entries(known)) {
    if (selection.includes(field)) continue;
    unapplied.push({ field, column, why: header.includes(column) ? 'taken' : 'missing' });
  }
  return { selection, unapplied };
}

/** "E-mail (“Mail”)": a field that could not be applied, with the column it expected. */
export function unappliedText(u: Unapplied): string {
  return `${fieldLabel(u.field)} (“${u.column}”)`;
}
