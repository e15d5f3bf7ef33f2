import type { ReactNode } from 'react';
import { Brand } from '../../components/Brand';
import { AuditVerify } from './AuditVerify';
import type { Route } from './routes';

type Props = {
  userName: string | null;
  dataDir: string;
  route: Route;
  onIncidents: () => void;
  onBoard: () => void;
  onSettings: () => void;
  onTemplates: () => void;
  /** The reminders entry (bell with count). */
  reminders: ReactNode;
};

export function Sidebar({ userName, dataDir, route, onIncidents, onBoard, onSettings, onTemplates, reminders }: Props) {
  const onSettingsPage = route.page === 'settings';
  const onTemplatesPage = route.page === 'templates';
  const onBoardPage = route.page === 'board';
  const onIncidentsPage = !onSettingsPage && !onTemplatesPage && !onBoardPage;
  return (
    <aside className="sidebar">
      <Brand />
      <nav className="nav" aria-label="Main">
        <NavItem active={onIncidentsPage} onClick={onIncidents} testId="nav-incidents" label="Incidents">
          <path d="M8 1.8 13.2 4v4c0 3-2.2 5.3-5.2 6.2C5 13.3 2.8 11 2.8 8V4z" />
          <path d="M8 5.2v3.3M8 10.6v.1" strokeLinecap="round" />
        </NavItem>
        <NavItem active={onBoardPage} onClick={onBoard} testId="nav-board" label="Board">
          <rect x="2" y="2.5" width="12" height="11" rx="1.5" />
          <path d="M2 6.2h12M6.2 6.2v7.3M10 6.2v7.3" />
        </NavItem>
        {reminders}
        <NavItem active={onTemplatesPage} onClick={onTemplates} testId="nav-templates" label="Templates">
          <path d="M3.5 1.8h6l3 3v9.4h-9z" />
          <path d="M9.5 1.8v3h3M5.8 8h4.4M5.8 10.6h4.4" strokeLinecap="round" />
        </NavItem>
        <NavItem active={onSettingsPage} onClick={onSettings} testId="nav-settings" label="Settings">
          <path d="M2.5 4.5h6M11.5 4.5h2M2.5 11.5h2M7.5 11.5h6" strokeLinecap="round" />
          <circle cx="10" cy="4.5" r="1.5" />
          <circle cx="6" cy="11.5" r="1.5" />
        </NavItem>
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

type NavItemProps = { active: boolean; onClick: () => void; testId: string; label: string; children: ReactNode };

/** One entry of the main navigation: its icon (the SVG's shapes as children) and label. */
function NavItem({ active, onClick, testId, label, children }: NavItemProps) {
  return (
    <button type="button" className={active ? 'nav__item nav__item--active' : 'nav__item'} aria-current={active ? 'page' : undefined} onClick={onClick} data-testid={testId}>
      <svg className="nav__icon" width="15" height="15" viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round">
        {children}
      </svg>
      <span className="nav__text">{label}</span>
    </button>
  );
}
