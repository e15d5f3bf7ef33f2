import { whenParts } from '../lib/time';

type Props = {
  value: string;
  /** "inline": 2 Mar 2026, 10:00 (UTC−05:00) — "stacked": the date, then the time and offset below. */
  layout?: 'inline' | 'stacked';
  /** IANA zone name shown after the offset. */
  zone?: string;
};

/** An RFC 3339 timestamp shown as the wall time it carries (never converted to the viewer's zone). */
export function When({ value, layout = 'inline', zone }: Props) {
  const p = whenParts(value);
  if (!p) return <span className="when">{value}</span>;
  const offset = zone ? `${p.offset}, ${zone}` : p.offset;
  if (layout === 'stacked') {
    return (
      <time className="when when--stacked" dateTime={value} title={value}>
        <span className="when__date">{p.date}</span>
        <span className="when__time">
          {p.time} <span className="when__offset">{offset}</span>
        </span>
      </time>
    );
  }
  return (
    <time className="when" dateTime={value} title={value}>
      {p.date}, {p.time} <span className="when__offset">({offset})</span>
    </time>
  );
}
