// Quick fills for user-defined obligations. Examples of common contract and governance terms,
// not law: the user checks them against the actual contract or policy before saving.
import type { NewCustomObligation } from '../../lib/ipc/bindings';

export type Preset = { id: string; title: string; values: Omit<NewCustomObligation, 'reference' | 'channel' | 'address'> };

export const PRESETS: Preset[] = [
  {
    id: 'baa',
    title: 'BAA partner — 30 calendar days from discovery',
    values: { label: 'BAA partner — notify the covered entity', recipient: 'covered_entity', trigger: 'discovered_at', clock: 'calendar_days', amount: 30 },
  },
  {
    id: 'dpa',
    title: 'Customer DPA — 48 hours from awareness',
    values: { label: 'Customer DPA — notify the controller', recipient: 'controller', trigger: 'aware_at', clock: 'hours', amount: 48 },
  },
  {
    id: 'insurer',
    title: 'Cyber-insurance carrier — as soon as possible',
    values: { label: 'Cyber-insurance carrier — notice of circumstances', recipient: 'insurer', trigger: 'discovered_at', clock: 'asap', amount: null },
  },
  {
    id: 'investors',
    title: 'Investors — same business day',
    values: { label: 'Investors — same-day notice', recipient: 'investors', trigger: 'discovered_at', clock: 'same_business_day', amount: null },
  },
  {
    id: 'board',
    title: 'Board — 24 hours',
    values: { label: 'Board — notify the directors', recipient: 'board', trigger: 'discovered_at', clock: 'hours', amount: 24 },
  },
];

/** Clocks that run to a fixed point and so take no amount. */
export function clockTakesAmount(clock: string): boolean {
  return clock !== 'same_business_day' && clock !== 'asap';
}

/** "30 calendar days from discovery", "same business day as discovery", "as soon as possible". */
export function describeClock(clock: string, amount: number | null, trigger: string, words: { clock: (c: string) => string; trigger: (t: string) => string }): string {
  if (clock === 'asap') return `as soon as possible after ${words.trigger(trigger)}`;
  if (clock === 'same_business_day') return `same business day as ${words.trigger(trigger)}`;
  const unit = amount === 1 ? words.clock(clock).replace(/s$/, '') : words.clock(clock);
  return `${amount ?? '?'} ${unit} from ${words.trigger(trigger)}`;
}
