import { describe, expect, it } from 'vitest';
import { classify, formatCountdown, formatSpan, rankObligations, summarise } from './urgency';
import type { Obligation } from '../../lib/ipc/bindings';

const H = 3_600_000;
const NOW = Date.UTC(2026, 2, 2, 15, 0, 0);

describe('classify', () => {
  it('turns a clock red the moment its deadline passes', () => {
    expect(classify('open', NOW + 1000, NOW)).toBe('lt24h');
    expect(classify('open', NOW, NOW)).toBe('overdue');
    expect(classify('open', NOW - 1, NOW)).toBe('overdue');
  });

  it('buckets what is left: under a day, under a week, later', () => {
    expect(classify('open', NOW + 24 * H - 1, NOW)).toBe('lt24h');
    expect(classify('open', NOW + 24 * H, NOW)).toBe('lt7d');
    expect(classify('open', NOW + 7 * 24 * H - 1, NOW)).toBe('lt7d');
    expect(classify('open', NOW + 7 * 24 * H, NOW)).toBe('later');
  });

  it('lets a settled status win over a passed deadline', () => {
    for (const s of ['done', 'exempt', 'not_required', 'out_of_scope'] as const) {
      expect(classify(s, NOW - 48 * H, NOW)).toBe(s);
    }
  });

  it('keeps the backend status when there is no time to count to', () => {
    expect(classify('overdue', null, NOW)).toBe('overdue');
    expect(classify('open', null, NOW)).toBe('later');
    expect(classify('open', Number.NaN, NOW)).toBe('later');
  });
});

describe('countdowns', () => {
  it('shows days and a clock, then how late', () => {
    expect(formatCountdown((2 * 24 + 4) * H + 13 * 60_000 + 7000)).toBe('2 d 04:13:07');
    expect(formatCountdown(4 * H + 7000)).toBe('04:00:07');
    expect(formatCountdown(-(3 * H + 12 * 60_000))).toBe('overdue by 3 h 12 min');
  });

  it('spans use the two largest units', () => {
    expect(formatSpan((2 * 24 + 3) * H)).toBe('2 d 3 h');
    expect(formatSpan(2 * 24 * H)).toBe('2 d');
    expect(formatSpan(12 * 60_000)).toBe('12 min');
    expect(formatSpan(45_000)).toBe('45 s');
  });
});

function obligation(id: string, status: Obligation['status'], due: string | null): Obligation {
  return {
    id,
    rule_id: id,
    regime: 'STATE',
    jurisdiction: 'US-TX',
    recipient: 'individuals',
    kind: due ? 'deadline' : 'asap',
    due,
    seconds_left: null,
    status,
    internal_target: null,
    in_scope: true,
    frozen_at: null,
    rule_version: '1',
    citation: '',
    source_url: '',
    confidence: 'high',
    explanation: '',
    channel: null,
    address: null,
    owner_role: 'compliance_liaison',
    owner_name: null,
    label: null,
    decision: null,
    filings: [],
    anchor: null,
    exemption: null,
  };
}

describe('rankObligations', () => {
  it('puts open clocks first, soonest first, then settled ones', () => {
    const list = [
      obligation('done', 'done', '2026-03-01T00:00:00Z'),
      obligation('later', 'open', '2026-04-01T00:00:00Z'),
      obligation('late', 'open', '2026-03-02T14:00:00Z'),
      obligation('asap', 'open', null),
      obligation('soon', 'open', '2026-03-02T20:00:00Z'),
    ];
    const ranked = rankObligations(list, NOW).map((r) => r.item.id);
    expect(ranked).toEqual(['late', 'soon', 'later', 'asap', 'done']);
    const s = summarise(rankObligations(list, NOW), NOW);
    expect(s.overdue).toBe(1);
    expect(s.open).toBe(4);
    // The next deadline still ahead (the overdue one is not "next").
    expect(s.next?.item.id).toBe('soon');
  });
});
