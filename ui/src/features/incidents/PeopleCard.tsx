import type { Roles } from '../../lib/ipc/bindings';
import { humanise, ROLE_NAMES } from '../../lib/labels';
import { Card } from '../../components/Card';

export function PeopleCard({ roles }: { roles: Roles }) {
  return (
    <Card title="People" testId="people">
      <dl className="facts">
        {ROLE_NAMES.map((r) => (
          <div className="facts__row" key={r} data-testid={`role-${r}`}>
            <dt>{humanise(r)}</dt>
            <dd className={roles[r] ? undefined : 'muted'}>{roles[r] ?? '—'}</dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}
