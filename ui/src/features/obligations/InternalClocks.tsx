import type { Incident, InternalClock } from '../../lib/ipc/bindings';
import type { Load } from '../../lib/useLoad';
import { humanise } from '../../lib/labels';
import { instant, formatDue } from '../../lib/time';
import { Card } from '../../components/Card';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Countdown, DueStack, ObligationStatusPill } from './bits';
import { byUrgency, classify } from './urgency';

type Props = { incident: Incident; load: Load<InternalClock[]>; now: number };

/** The team's own playbook targets (not law): acknowledge, status updates, post-mortem. */
export function InternalClocks({ incident, load, now }: Props) {
  const rows = (load.data ?? [])
    .map((c) => {
      const dueMs = c.due ? instant(c.due) : null;
      return { item: c, dueMs, urgency: classify(c.status, dueMs, now) };
    })
    .sort(byUrgency);

  return (
    <Card title="Internal clocks" actions={<span className="muted small">Playbook targets, not legal deadlines · set in Settings</span>} testId="internal-clocks">
      <ErrorBanner error={load.error} />
      {load.data === null ? (
        !load.error && <p className="muted">Loading…</p>
      ) : rows.length === 0 ? (
        <p className="muted">No internal clocks for this incident.</p>
      ) : (
        <ul className="iclocks">
          {rows.map(({ item: c, dueMs, urgency }) => (
            <li key={c.id} className={`iclock u-${urgency}`} data-testid="internal-clock" data-id={c.id} data-status={c.status} data-urgency={urgency}>
              <div className="iclock__name">
                <span className="iclock__title">{c.name}</span>
                <span className="iclock__owner">{humanise(c.owner_role)}</span>
              </div>
              <div className="iclock__due">{c.due ? <DueStack due={c.due} zone={incident.timezone} /> : <span className="muted">No fixed time</span>}</div>
              <div className="iclock__countdown">
                <Countdown msLeft={dueMs === null ? null : dueMs - now} urgency={urgency} idle={c.done_at ? `Done ${formatDue(c.done_at, incident.timezone)}` : '—'} />
              </div>
              <div className="iclock__status">
                <ObligationStatusPill status={c.status} />
              </div>
              <p className="iclock__why">{c.explanation}</p>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
