import type { Incident } from '../../lib/ipc/bindings';
import { formatWhen } from '../../lib/time';

/** Who created the record and when; the internal id for support and exports. */
export function RecordCard({ incident }: { incident: Incident }) {
  return (
    <dl className="record">
      <div>
        <dt>Created</dt>
        <dd>
          {incident.created_by}, {formatWhen(incident.created_at)}
        </dd>
      </div>
      <div>
        <dt>Updated</dt>
        <dd>{formatWhen(incident.updated_at)}</dd>
      </div>
      <div>
        <dt>Internal id</dt>
        <dd className="mono">{incident.id}</dd>
      </div>
    </dl>
  );
}
