import type { ReactNode } from 'react';

type Props = { title?: ReactNode; actions?: ReactNode; testId?: string; className?: string; children: ReactNode };

export function Card({ title, actions, testId, className, children }: Props) {
  return (
    <section className={['card', className ?? ''].filter(Boolean).join(' ')} data-testid={testId}>
      {(title || actions) && (
        <header className="card__header">
          {title && <h2 className="card__title">{title}</h2>}
          {actions && <div className="card__actions">{actions}</div>}
        </header>
      )}
      <div className="card__body">{children}</div>
    </section>
  );
}
