// Words for the individuals list: where a residence came from, short names of data elements.
import { jurisdictionName } from '../../lib/jurisdictions';
import { dataTypeLabel } from '../../lib/labels';

const SOURCE_HINT: Record<string, string> = { zip: 'from ZIP', zip_prefix: 'from prefix', country: 'from country' };

const SOURCE_TITLE: Record<string, string> = {
  state: 'Taken from the state column',
  zip: 'Derived from the 5-digit ZIP code',
  zip_prefix: 'Derived from the 3-digit ZIP prefix (less certain: a few prefixes cross state lines)',
  country: 'Taken from the country column',
};

/** A small note after a residence code telling how it was found; null when it is the state column. */
export function residenceHint(source: string | null): string | null {
  return source ? (SOURCE_HINT[source] ?? null) : null;
}

/** The longer explanation, for a tooltip. */
export function residenceTitle(source: string | null): string | undefined {
  return source ? SOURCE_TITLE[source] : undefined;
}

/** "US-TX" → "Texas"; the code itself when it has no name we know. */
export function residenceName(code: string): string {
  return jurisdictionName(code) ?? code;
}

const ELEMENT_SHORT: Record<string, string> = {
  name: 'Name',
  address: 'Address',
  email: 'E-mail',
  phone: 'Phone',
  dob: 'DOB',
  ssn: 'SSN',
  tax_id: 'Tax ID',
  drivers_license: 'DL / ID',
  passport: 'Passport',
  financial_account: 'Account',
  payment_card: 'Card',
  username_password: 'Login',
  medical: 'Medical',
  health_insurance: 'Health ins.',
  biometric: 'Biometric',
  genetic: 'Genetic',
  precise_location: 'Location',
};

/** A compact name for a table cell: "ssn" → "SSN". */
export function elementShort(element: string): string {
  return ELEMENT_SHORT[element] ?? dataTypeLabel(element);
}

/** "1 person", "2,000 people". */
export function people(n: number): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? 'person' : 'people'}`;
}

/** "1 row", "3,000 rows". */
export function rowsWord(n: number): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? 'row' : 'rows'}`;
}
