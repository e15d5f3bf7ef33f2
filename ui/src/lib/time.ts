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
