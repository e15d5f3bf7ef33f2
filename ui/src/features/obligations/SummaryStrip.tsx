import type { Incident } from '../../lib/ipc/bindings';
import { recipientWords } from '../../lib/labels';
import { formatDue } from '../../lib/time';
import { formatSpan, type Summary, type Urgency } from './urgency';

type Tile = { key: Urgency | 'open'; label: string; hint: string };

const TILES: Tile[] = [
  { key: 'overdue', label: 'Overdue', hint: 'Past the deadline and not yet sent' },
  { key: 'lt24h', label: 'Due < 24 h', hint: 'Due within the next 24 hours' },
  { key: 'lt7d', label: 'Due < 7 d', hint: 'Due in 1 to 7 days' },
  { key: 'open', label: 'Open', hint: 'Still to do, overdue included' },
  { key: 'done', label: 'Done', hint: 'Notice recorded as sent' },
  { key: 'exempt', label: 'Exempt', hint: 'A law’s exit removes it (encryption, no likelihood of harm, deemed compliance), confirmed where it needs a person' },
  { key: 'not_required', label: 'Not required', hint: 'Decided not required, with a rationale' },
];

/** The counts that matter at a glance, and the next deadline still ahead. */
export function SummaryStrip({ summary, incident, now }: { summary: Summary; incident: Incident; now: number }) {
  const next = summary.next;
  const o = next?.item;
  return (
    <div className="summary" data-testid="obligations-summary">
      <ul className="summary__tiles">
        {TILES.map((t) => {
          const n = summary[t.key];
          return (
            <li key={t.key} className={`summary__tile summary__tile--${t.key}${n > 0 ? ' summary__tile--some' : ''}`} title={t.hint} data-testid={`summary-${t.key}`} data-count={n}>
              <span className="summary__count">{n}</span>
              <span className="summary__label">{t.label}</span>
            </li>
          );
        })}
      </ul>
      <div className="summary__next card" data-testid="next-deadline">
        <span className="summary__nextlabel">Next deadline</span>
        {o && o.due && next.dueMs !== null ? (
          <span className="summary__nextvalue">
            <strong>{o.regime === 'CONTRACT' ? (o.label ?? recipientWords(o.recipient)) : `${o.jurisdiction} ${recipientWords(o.recipient)}`}</strong>
            <span>
              {formatDue(o.due, incident.timezone)} <span className="muted">· in {formatSpan(next.dueMs - now)}</span>
            </span>
          </span>
        ) : (
          <span className="summary__nextvalue muted">None ahead</span>
        )}
      </div>
    </div>
  );
}
