// Time helpers. Backend timestamps are RFC 3339 carrying the incident zone's offset; they are
// shown as that wall time, never converted to the viewer's zone. Times sent to the backend are
// local "YYYY-MM-DDTHH:MM" read in the incident's IANA zone.

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export type WhenParts = {
  /** "2 Mar 2026" */
  date: string;
  /** "10:00" */
  time: string;
  /** "UTC−05:00", or "UTC" at offset zero */
  offset: string;
  /** "2026-03-02T10:00", as a datetime-local input holds it */
  local: string;
};

function offsetLabel(offset: string): string {
  if (offset.toUpperCase() === 'Z' || offset === '+00:00' || offset === '-00:00') return 'UTC';
  return `UTC${offset.startsWith('-') ? '\u2212' : '+'}${offset.slice(1)}`;
}

/** Splits an RFC 3339 timestamp into its wall-clock parts; null when it is not one. */
export function whenParts(ts: string): WhenParts | null {
  const m = RFC3339.exec(ts.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, , off] = m;
  const month = MONTHS[Number(mo) - 1];
  if (!y || !mo || !d || !h || !mi || !off || !month) return null;
  return {
    date: `${Number(d)} ${month} ${y}`,
    time: `${h}:${mi}`,
    offset: offsetLabel(off),
    local: `${y}-${mo}-${d}T${h}:${mi}`,
  };
}

/** "2 Mar 2026, 10:00 (UTC−05:00)"; the input unchanged if it is not a timestamp. */
export function formatWhen(ts: string): string {
  const p = whenParts(ts);
  return p ? `${p.date}, ${p.time} (${p.offset})` : ts;
}

/** Milliseconds since the epoch, for ordering; NaN when unreadable. */
export function instant(ts: string): number {
  return Date.parse(ts);
}

/** The viewer's own IANA zone, the default for a new incident. */
export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Whether the JS engine knows `zone` as an IANA time zone. */
export function isKnownZone(zone: string): boolean {
  if (zone.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone.trim() });
    return true;
  } catch {
    return false;
  }
}

/** The current wall time in `zone` as "YYYY-MM-DDTHH:MM" (the viewer's zone if unknown). */
export function nowInZone(zone: string, now: Date = new Date()): string {
  const fmt = new Intl.DateTimeFormat('en-GB', {
    timeZone: isKnownZone(zone) ? zone.trim() : undefined,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const part = (type: Intl.DateTimeFormatPartTypes) => fmt.formatToParts(now).find((p) => p.type === type)?.value ?? '00';
  return `${part('year')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}`;
}

/** Common IANA zones offered in the time zone picker (any other IANA name may be typed). */
export const COMMON_ZONES = [
  'UTC',
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Phoenix',
  'America/Los_Angeles',
  'America/Anchorage',
  'Pacific/Honolulu',
  'America/Toronto',
  'America/Vancouver',
  'America/Mexico_City',
  'America/Sao_Paulo',
  'Europe/London',
  'Europe/Dublin',
  'Europe/Lisbon',
  'Europe/Paris',
  'Europe/Berlin',
  'Europe/Amsterdam',
  'Europe/Madrid',
  'Europe/Rome',
  'Europe/Stockholm',
  'Europe/Warsaw',
  'Europe/Helsinki',
  'Europe/Zurich',
  'Africa/Johannesburg',
  'Asia/Dubai',
  'Asia/Kolkata',
  'Asia/Singapore',
  'Asia/Hong_Kong',
  'Asia/Tokyo',
  'Asia/Seoul',
  'Australia/Sydney',
  'Australia/Perth',
  'Pacific/Auckland',
];

// ---- Zone-aware helpers for deadlines (the cockpit, the chart, the facts editor) -------------

export type Wall = { year: number; month: number; day: number; hour: number; minute: number; second: number };

const wallFormats = new Map<string, Intl.DateTimeFormat>();

const checkedZones = new Map<string, string>();

/** A zone the engine knows, or UTC (so a bad zone never breaks a page). */
function safeZone(zone: string): string {
  let z = checkedZones.get(zone);
  if (z === undefined) {
    z = isKnownZone(zone) ? zone.trim() : 'UTC';
    checkedZones.set(zone, z);
  }
  return z;
}

function wallFormat(zone: string): Intl.DateTimeFormat {
  let f = wallFormats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
    });
    wallFormats.set(zone, f);
  }
  return f;
}

/** The wall-clock reading in `zone` at instant `ms`. */
export function wallClock(ms: number, zone: string): Wall {
  const parts = wallFormat(safeZone(zone)).formatToParts(new Date(ms));
  const n = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? '0');
  return { year: n('year'), month: n('month'), day: n('day'), hour: n('hour') % 24, minute: n('minute'), second: n('second') };
}

/** How far `zone` is ahead of UTC at instant `ms`, in milliseconds. */
export function zoneOffsetMs(ms: number, zone: string): number {
  const w = wallClock(ms, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The instant at which `zone` reads the given wall time (the later reading wins in a DST gap). */
export function instantAt(year: number, month: number, day: number, hour: number, minute: number, zone: string): number {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  const first = guess - zoneOffsetMs(guess, zone);
  return guess - zoneOffsetMs(first, zone);
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * An RFC 3339 instant as "YYYY-MM-DDTHH:MM" in `zone`, as a datetime-local input holds it;
 * "" for null or an unreadable value.
 */
export function toLocalInput(ts: string | null | undefined, zone: string): string {
  if (!ts) return '';
  const ms = instant(ts);
  if (Number.isNaN(ms)) return '';
  const w = wallClock(ms, zone);
  return `${w.year}-${pad2(w.month)}-${pad2(w.day)}T${pad2(w.hour)}:${pad2(w.minute)}`;
}

const nameFormats = new Map<string, Intl.DateTimeFormat>();

function nameFormat(locale: string, zone: string): Intl.DateTimeFormat {
  const key = `${locale}|${zone}`;
  let f = nameFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'short' });
    nameFormats.set(key, f);
  }
  return f;
}

/**
 * The zone's short name at an instant: "EST", "CEST", "BST"; the UTC offset ("UTC+09:00") where
 * the zone has no common abbreviation.
 */
export function zoneAbbreviation(zone: string, ms: number): string {
  const z = safeZone(zone);
  const short = (locale: string) => nameFormat(locale, z).formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value ?? '';
  for (const locale of ['en-US', 'en-GB']) {
    const name = short(locale);
    if (name !== '' && !/^(GMT|UTC)[+\u2212-]/.test(name)) return name;
  }
  const off = Math.round(zoneOffsetMs(ms, z) / 60000);
  if (off === 0) return 'UTC';
  const a = Math.abs(off);
  return `UTC${off < 0 ? '\u2212' : '+'}${pad2(Math.floor(a / 60))}:${pad2(a % 60)}`;
}

export type DueParts = { date: string; time: string; zone: string };

/**
 * A deadline as the wall time in `zone` plus the zone's abbreviation: "4 Mar 2026", "09:00", "EST".
 * The wall time is computed from the instant, so a timestamp written with another offset (a UTC
 * "Z" quoted in a message) is shown in the zone too, never with the zone's name on UTC digits.
 */
export function dueParts(ts: string, zone: string): DueParts | null {
  if (!whenParts(ts)) return null;
  const ms = instant(ts);
  const w = wallClock(ms, zone);
  return { date: `${w.day} ${MONTHS[w.month - 1] ?? ''} ${w.year}`, time: `${pad2(w.hour)}:${pad2(w.minute)}`, zone: zoneAbbreviation(zone, ms) };
}

/** "4 Mar 2026, 09:00 EST"; the input unchanged if it is not a timestamp. */
export function formatDue(ts: string, zone: string): string {
  const p = dueParts(ts, zone);
  return p ? `${p.date}, ${p.time} ${p.zone}` : ts;
}

const EMBEDDED_TIMESTAMP = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})/gi;

/**
 * Rewrites the RFC 3339 timestamps quoted in a backend message as wall times: with the zone's
 * abbreviation when `zone` is given, else with the UTC offset.
 */
export function withWallTimes(text: string, zone?: string): string {
  return text.replace(EMBEDDED_TIMESTAMP, (ts) => {
    if (zone) return formatDue(ts, zone);
    const p = whenParts(ts);
    return p ? `${p.date}, ${p.time} ${p.offset}` : ts;
  });
}

/** An instant (ms) as the wall time in `zone`: "4 Mar 2026, 09:00 EST". */
export function formatInstant(ms: number, zone: string): string {
  const w = wallClock(ms, zone);
  return `${w.day} ${MONTHS[w.month - 1] ?? ''} ${w.year}, ${pad2(w.hour)}:${pad2(w.minute)} ${zoneAbbreviation(zone, ms)}`;
}
