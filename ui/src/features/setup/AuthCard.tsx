import type { ReactNode } from 'react';

type Props = { title?: string; lead?: string; footer?: ReactNode; children: ReactNode };

/** The centred card of the start screens (set-up, unlock). */
export function AuthCard({ title, lead, footer, children }: Props) {
  return (
    <main className="auth">
      <div className="auth__card">
        <div className="brand brand--large">
          <span className="brand__mark" aria-hidden="true">
            B
          </span>
          <span className="brand__name">Breachdesk</span>
        </div>
        {title && <h1 className="auth__title">{title}</h1>}
        {lead && <p className="auth__lead">{lead}</p>}
        {children}
        {footer && <div className="auth__footer">{footer}</div>}
      </div>
    </main>
  );
}
