/**
 * Untrusted text as the app shows it. Control characters and the Unicode direction overrides,
 * embeddings, isolates and marks act on how text reads rather than being read (U+202E makes
 * "Invoice‮gnp.exe" look like "Invoiceexe.png"), so each is shown as a visible mark — ⟨U+202E⟩.
 * The same set the core refuses on input (crates/breachdesk-core/src/text.rs): this shows what an
 * older version stored or a copy of the store carries.
 */
// Control characters are what this pattern is for.
// eslint-disable-next-line no-control-regex
const HOSTILE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

export function visible(text: string): string;
export function visible(text: string | null | undefined): string | null | undefined;
export function visible(text: string | null | undefined): string | null | undefined {
  if (text == null) return text;
  return text.replace(HOSTILE, (c) => `⟨U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}⟩`);
}
