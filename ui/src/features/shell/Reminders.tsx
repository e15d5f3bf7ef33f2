import { useEffect, useRef } from 'react';
import type { Reminder } from '../../lib/ipc/bindings';
import { formatWhen } from '../../lib/time';
import type { Toast } from './useReminders';
import { visible } from '../../lib/visible';

const STAGE: Record<string, string> = {
  '7d': 'Due within 7 days',
  '24h': 'Due within 24 h',
  '4h': 'Due within 4 h',
  '1h': 'Due within 1 h',
  passed: 'Deadline passed',
};

const stageLabel = (s: string) => STAGE[s] ?? s;

/** The sidebar entry: a bell with the number of reminders, highlighted while some are new. */
export function ReminderBell({ count, unseen, open, onToggle }: { count: number; unseen: number; open: boolean; onToggle: () => void }) {
  const label = `Reminders: ${count}${unseen > 0 ? `, ${unseen} new` : ''}`;
  return (
    <button
      type="button"
      className={open ? 'nav__item nav__item--active' : 'nav__item'}
      onClick={onToggle}
      aria-expanded={open}
      aria-controls="reminder-panel"
      aria-label={label}
      data-testid="reminders-toggle"
    >
      <BellIcon />
      <span className="nav__text">Reminders</span>
      <span className={unseen > 0 ? 'nav__badge nav__badge--new' : 'nav__badge'} data-testid="reminder-count" data-count={count} data-unseen={unseen}>
        {count}
      </span>
    </button>
  );
}

type PanelProps = { reminders: Reminder[]; listenError: boolean; onClose: () => void; onOpen: (incidentId: string) => void };

/** Every reminder of this session, newest first. Escape or the close button hides it. */
export function ReminderPanel({ reminders, listenError, onClose, onOpen }: PanelProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  return (
    <div className="rpanel" id="reminder-panel" role="dialog" aria-label="Reminders" ref={ref} tabIndex={-1} data-testid="reminder-panel">
      <div className="rpanel__head">
        <h2 className="rpanel__title">Reminders</h2>
        <button type="button" className="btn btn--ghost btn--sm" onClick={onClose} data-testid="reminders-close">
          Close
        </button>
      </div>
      {listenError && <p className="rpanel__warn">Live reminders are not reaching this window; the list shows what was logged.</p>}
      {reminders.length === 0 ? (
        <p className="rpanel__empty">No reminders yet. They come 7 days, 24 hours, 4 hours and 1 hour before each deadline, and when it passes.</p>
      ) : (
        <ul className="rlist" data-testid="reminder-list">
          {reminders.map((r) => (
            <li key={`${r.key}|${r.stage}|${r.due}`} className={`reminder reminder--${r.stage}`} data-testid="reminder" data-stage={r.stage} data-incident={r.incident_id}>
              <span className="reminder__stage">{stageLabel(r.stage)}</span>
              <p className="reminder__title">{visible(r.title)}</p>
              <p className="reminder__body">{r.body}</p>
              <p className="reminder__meta">
                <span className="mono">{r.human_id}</span> · due {formatWhen(r.due)}
                <button type="button" className="btn btn--link btn--sm reminder__open" onClick={() => onOpen(r.incident_id)}>
                  Open incident
                </button>
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** New reminders, briefly, in the corner of the window. */
export function ReminderToasts({ toasts, onDismiss, onOpen }: { toasts: Toast[]; onDismiss: (id: number) => void; onOpen: (incidentId: string) => void }) {
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map(({ id, reminder: r }) => (
        <div key={id} className={`toast reminder--${r.stage}`} role={r.stage === 'passed' ? 'alert' : 'status'} data-testid="reminder-toast" data-stage={r.stage}>
          <div className="toast__body">
            <span className="reminder__stage">{stageLabel(r.stage)}</span>
            <p className="toast__title">{visible(r.title)}</p>
            <p className="toast__text">{r.body}</p>
          </div>
          <div className="toast__actions">
            <button
              type="button"
              className="btn btn--link btn--sm"
              onClick={() => {
                onOpen(r.incident_id);
                onDismiss(id);
              }}
            >
              Open
            </button>
            <button type="button" className="btn btn--ghost btn--sm" onClick={() => onDismiss(id)} aria-label="Dismiss reminder">
              ✕
            </button>
          </div>
        </div>
      ))}
    </div>
  );
}

function BellIcon() {
  return (
    <svg className="nav__icon" width="15" height="15" viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round">
      <path d="M4 11.5V7a4 4 0 0 1 8 0v4.5l1.2 1.3H2.8z" />
      <path d="M6.5 14.2a1.6 1.6 0 0 0 3 0" strokeLinecap="round" />
    </svg>
  );
}
