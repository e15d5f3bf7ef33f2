import type { ReactNode } from 'react';
import { Brand } from '../../components/Brand';
import { AuditVerify } from './AuditVerify';
import type { Route } from './routes';

type Props = {
  userName: string | null;
  dataDir: string;
  route: Route;
  onIncidents: () => void;
  onSettings: () => void;
  /** The reminders entry (bell with count). */
  reminders: ReactNode;
};

export function Sidebar({ userName, dataDir, route, onIncidents, onSettings, reminders }: Props) {
  const onSettingsPage = route.page === 'settings';
  return (
    <aside className="sidebar">
      <Brand />
      <nav className="nav" aria-label="Main">
        <button
          type="button"
          className={onSettingsPage ? 'nav__item' : 'nav__item nav__item--active'}
          aria-current={onSettingsPage ? undefined : 'page'}
          onClick={onIncidents}
          data-testid="nav-incidents"
        >
          <svg className="nav__icon" width="15" height="15" viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round">
            <path d="M8 1.8 13.2 4v4c0 3-2.2 5.3-5.2 6.2C5 13.3 2.8 11 2.8 8V4z" />
            <path d="M8 5.2v3.3M8 10.6v.1" strokeLinecap="round" />
          </svg>
          <span className="nav__text">Incidents</span>
        </button>
        {reminders}
        <button
          type="button"
          className={onSettingsPage ? 'nav__item nav__item--active' : 'nav__item'}
          aria-current={onSettingsPage ? 'page' : undefined}
          onClick={onSettings}
          data-testid="nav-settings"
        >
          <svg className="nav__icon" width="15" height="15" viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round">
            <path d="M2.5 4.5h6M11.5 4.5h2M2.5 11.5h2M7.5 11.5h6" />
            <circle cx="10" cy="4.5" r="1.5" />
            <circle cx="6" cy="11.5" r="1.5" />
          </svg>
          <span className="nav__text">Settings</span>
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
