import type { ReactNode } from 'react';

type Props = {
  tone?: 'error' | 'info' | 'warning' | 'success';
  testId?: string;
  title?: ReactNode;
  action?: ReactNode;
  children?: ReactNode;
};

/** A full-width message above or inside a form or card. Errors are announced. */
export function Banner({ tone = 'info', testId, title, action, children }: Props) {
  return (
    <div className={`banner banner--${tone}`} role={tone === 'error' ? 'alert' : 'status'} data-testid={testId}>
      <div className="banner__body">
        {title && <p className="banner__title">{title}</p>}
        {children && <div className="banner__text">{children}</div>}
      </div>
      {action && <div className="banner__action">{action}</div>}
    </div>
  );
}
