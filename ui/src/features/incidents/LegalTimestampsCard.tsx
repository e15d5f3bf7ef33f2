import type { Incident } from '../../lib/ipc/bindings';
import { Card } from '../../components/Card';
import { When } from '../../components/When';
import { LEGAL_TIMESTAMPS } from './legal';

/** The five legal timestamps, in the incident's own zone. */
export function LegalTimestampsCard({ incident }: { incident: Incident }) {
  return (
    <Card title="Legal timestamps" actions={<span className="muted small">{incident.timezone}</span>} testId="legal-timestamps">
      <dl className="facts facts--stacked">
        {LEGAL_TIMESTAMPS.map((t) => {
          const value = incident[t.field];
          return (
            <div className="facts__row" key={t.field} data-testid={`ts-${t.field}`}>
              <dt title={t.hint}>{t.label}</dt>
              <dd>{value ? <When value={value} /> : <span className="muted">Not recorded</span>}</dd>
            </div>
          );
        })}
      </dl>
      {incident.discovery_gap_reason && (
        <div className="gap-reason">
          <p className="gap-reason__label">Why discovery came after detection</p>
          <p className="prose" data-testid="detail-gap-reason">
            {incident.discovery_gap_reason}
          </p>
        </div>
      )}
    </Card>
  );
}
