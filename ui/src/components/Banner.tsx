import type { ReactNode } from 'react';

type Props = {
  tone?: 'error' | 'info' | 'warning' | 'success';
  testId?: string;
  action?: ReactNode;
  children?: ReactNode;
};

/** A full-width message above or inside a form or card. Errors are announced. */
export function Banner({ tone = 'info', testId, action, children }: Props) {
  return (
    <div className={`banner banner--${tone}`} role={tone === 'error' ? 'alert' : 'status'} data-testid={testId}>
      <div className="banner__body">{children}</div>
      {action && <div className="banner__action">{action}</div>}
    </div>
  );
}
