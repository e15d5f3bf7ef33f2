/** Hours as a person reads them: `15 min`, `6.0 h`, `3.2 d`. */
export function span(hours: number): string {
  if (hours < 1) return `${Math.round(hours * 60)} min`;
  if (hours < 72) return `${hours.toFixed(1)} h`;
  return `${(hours / 24).toFixed(1)} d`;
}

/** A bar's share of the largest value, never zero-width for a value above zero. */
export function share(value: number, max: number): number {
  if (max <= 0 || value <= 0) return 0;
  return Math.max(0.015, value / max);
}
