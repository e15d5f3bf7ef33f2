import type { ReactNode } from 'react';
import { Brand } from '../../components/Brand';

type Props = { title?: string; lead?: string; footer?: ReactNode; children: ReactNode };

/** The centred card of the start screens (set-up, unlock). */
export function AuthCard({ title, lead, footer, children }: Props) {
  return (
    <main className="auth">
      <div className="auth__card">
        <Brand large />
        {title && <h1 className="auth__title">{title}</h1>}
        {lead && <p className="auth__lead">{lead}</p>}
        {children}
        {footer && <div className="auth__footer">{footer}</div>}
      </div>
    </main>
  );
}
