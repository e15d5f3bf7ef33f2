import { AuditVerify } from './AuditVerify';

type Props = { userName: string | null; dataDir: string; onIncidents: () => void };

export function Sidebar({ userName, dataDir, onIncidents }: Props) {
  return (
    <aside className="sidebar">
      <div className="brand">
        <span className="brand__mark" aria-hidden="true">
          B
        </span>
        <span className="brand__name">Breachdesk</span>
      </div>
      <nav className="nav" aria-label="Main">
        <button type="button" className="nav__item nav__item--active" aria-current="page" onClick={onIncidents} data-testid="nav-incidents">
          Incidents
        </button>
      </nav>
      <div className="sidebar__footer">
        <AuditVerify />
        <div className="sidebar__who">
          <span className="sidebar__label">Signed in as</span>
          <span className="sidebar__user" data-testid="user-name">
            {userName ?? 'Unknown user'}
          </span>
          <span className="sidebar__label">Data</span>
          <code className="path sidebar__path" title={dataDir}>
            {dataDir}
          </code>
        </div>
      </div>
    </aside>
  );
}
