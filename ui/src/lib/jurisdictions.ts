// Names for jurisdiction codes: ISO 3166-2 US subdivisions (from a table) and ISO 3166-1
// countries (from the JS engine's own region names).

const US: Record<string, string> = {
  'US-AL': 'Alabama', 'US-AK': 'Alaska', 'US-AZ': 'Arizona', 'US-AR': 'Arkansas', 'US-CA': 'California',
  'US-CO': 'Colorado', 'US-CT': 'Connecticut', 'US-DE': 'Delaware', 'US-FL': 'Florida', 'US-GA': 'Georgia',
  'US-HI': 'Hawaii', 'US-ID': 'Idaho', 'US-IL': 'Illinois', 'US-IN': 'Indiana', 'US-IA': 'Iowa',
  'US-KS': 'Kansas', 'US-KY': 'Kentucky', 'US-LA': 'Louisiana', 'US-ME': 'Maine', 'US-MD': 'Maryland',
  'US-MA': 'Massachusetts', 'US-MI': 'Michigan', 'US-MN': 'Minnesota', 'US-MS': 'Mississippi', 'US-MO': 'Missouri',
  'US-MT': 'Montana', 'US-NE': 'Nebraska', 'US-NV': 'Nevada', 'US-NH': 'New Hampshire', 'US-NJ': 'New Jersey',
  'US-NM': 'New Mexico', 'US-NY': 'New York', 'US-NC': 'North Carolina', 'US-ND': 'North Dakota', 'US-OH': 'Ohio',
  'US-OK': 'Oklahoma', 'US-OR': 'Oregon', 'US-PA': 'Pennsylvania', 'US-RI': 'Rhode Island', 'US-SC': 'South Carolina',
  'US-SD': 'South Dakota', 'US-TN': 'Tennessee', 'US-TX': 'Texas', 'US-UT': 'Utah', 'US-VT': 'Vermont',
  'US-VA': 'Virginia', 'US-WA': 'Washington', 'US-WV': 'West Virginia', 'US-WI': 'Wisconsin', 'US-WY': 'Wyoming',
  'US-DC': 'District of Columbia', 'US-PR': 'Puerto Rico', 'US-VI': 'U.S. Virgin Islands', 'US-GU': 'Guam',
};

const SPECIAL: Record<string, string> = { US: 'United States', EU: 'European Union', GB: 'United Kingdom' };

let regions: Intl.DisplayNames | null | undefined;

function regionNames(): Intl.DisplayNames | null {
  if (regions === undefined) {
    try {
      regions = new Intl.DisplayNames(['en'], { type: 'region' });
    } catch {
      regions = null;
    }
  }
  return regions;
}

/** "US-TX" → "Texas", "DE" → "Germany"; null when the code is not one we can name. */
export function jurisdictionName(code: string): string | null {
  const c = code.trim().toUpperCase();
  if (SPECIAL[c]) return SPECIAL[c] ?? null;
  if (US[c]) return US[c] ?? null;
  if (/^[A-Z]{2}$/.test(c)) {
    const name = regionNames()?.of(c);
    return name && name !== c ? name : null;
  }
  return null;
}

export type JurisdictionOption = { code: string; name: string };

/** The codes the facts editor offers, US subdivisions first, each with its name. */
export function jurisdictionOptions(usCodes: string[], countries: string[]): JurisdictionOption[] {
  const named = (code: string) => ({ code, name: jurisdictionName(code) ?? code });
  const rest = countries.map(named).sort((a, b) => a.name.localeCompare(b.name));
  return [...usCodes.map(named), ...rest];
}

/**
 * What the user typed, as a code: "us-tx" → "US-TX", "Texas" → "US-TX" (exact name match);
 * otherwise the input trimmed and upper-cased (the backend then says what is wrong).
 */
export function resolveJurisdiction(input: string, options: JurisdictionOption[]): string {
  const t = input.trim();
  if (t === '') return '';
  const upper = t.toUpperCase();
  if (options.some((o) => o.code === upper)) return upper;
  const byName = options.find((o) => o.name.toLowerCase() === t.toLowerCase());
  return byName ? byName.code : upper;
}
