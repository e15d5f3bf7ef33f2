import { describe, expect, it } from 'vitest';
import { COMMON_ZONES, formatDue, instantAt, toLocalInput, wallClock, withWallTimes, zoneAbbreviation, zoneOffsetMs } from './time';

const NY = 'America/New_York';

describe('wall clocks in the incident zone', () => {
  it('follows New York across the spring-forward night', () => {
    // 2026-03-08: 02:00 EST becomes 03:00 EDT, at 07:00 UTC.
    expect(zoneOffsetMs(Date.UTC(2026, 2, 8, 6, 59), NY)).toBe(-5 * 3_600_000);
    expect(zoneOffsetMs(Date.UTC(2026, 2, 8, 7, 0), NY)).toBe(-4 * 3_600_000);
    expect(wallClock(Date.UTC(2026, 2, 8, 7, 0), NY)).toMatchObject({ year: 2026, month: 3, day: 8, hour: 3, minute: 0 });
    expect(instantAt(2026, 3, 8, 1, 30, NY)).toBe(Date.UTC(2026, 2, 8, 6, 30));
    expect(instantAt(2026, 3, 8, 3, 30, NY)).toBe(Date.UTC(2026, 2, 8, 7, 30));
  });

  it('reads back every existing wall time it makes, in every offered zone, through a year', () => {
    for (const zone of COMMON_ZONES) {
      for (let day = 0; day < 365; day += 3) {
        for (const hour of [0, 1, 2, 3, 12, 23]) {
          const d = new Date(Date.UTC(2026, 0, 1 + day));
          const [y, m, dd] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
          const t = instantAt(y, m, dd, hour, 15, zone);
          const w = wallClock(t, zone);
          const sameWall = w.year === y && w.month === m && w.day === dd && w.hour === hour && w.minute === 15;
          // A wall time inside a daylight-saving gap does not exist; every other one round-trips.
          const inGap = zoneOffsetMs(t - 3_600_000, zone) !== zoneOffsetMs(t + 3_600_000, zone);
          if (!inGap) expect(sameWall, `${zone} ${y}-${m}-${dd} ${hour}:15`).toBe(true);
        }
      }
    }
  });

  it('fills a datetime-local input with the zone wall time', () => {
    expect(toLocalInput('2026-03-02T15:00:00Z', NY)).toBe('2026-03-02T10:00');
    expect(toLocalInput('2026-07-02T15:00:00Z', NY)).toBe('2026-07-02T11:00');
    expect(toLocalInput('not a time', NY)).toBe('');
    expect(toLocalInput(null, NY)).toBe('');
  });

  it('names the zone, or its offset where it has no common name', () => {
    expect(zoneAbbreviation(NY, Date.UTC(2026, 0, 15))).toBe('EST');
    expect(zoneAbbreviation(NY, Date.UTC(2026, 6, 15))).toBe('EDT');
    expect(zoneAbbreviation('Asia/Kolkata', Date.UTC(2026, 0, 15))).toMatch(/^(IST|UTC\+05:30)$/);
    expect(zoneAbbreviation('Not/AZone', Date.UTC(2026, 0, 15))).toBe('UTC');
  });

  it('shows deadlines quoted in backend messages as wall times', () => {
    expect(formatDue('2026-03-04T14:00:00Z', NY)).toBe('4 Mar 2026, 09:00 EST');
    expect(withWallTimes('due 2026-03-04T14:00:00Z, not later', NY)).toBe('due 4 Mar 2026, 09:00 EST, not later');
  });
});
