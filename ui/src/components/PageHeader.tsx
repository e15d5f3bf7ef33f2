import type { ReactNode } from 'react';

type Props = { title: ReactNode; eyebrow?: ReactNode; meta?: ReactNode; actions?: ReactNode; titleTestId?: string };

/** The heading row of a page: optional eyebrow line, title, badges/meta and actions. */
export function PageHeader({ title, eyebrow, meta, actions, titleTestId }: Props) {
  return (
    <header className="page-header">
      <div className="page-header__text">
        {eyebrow && <div className="page-header__eyebrow">{eyebrow}</div>}
        <h1 className="page-header__title" data-testid={titleTestId}>
          {title}
        </h1>
        {meta && <div className="page-header__meta">{meta}</div>}
      </div>
      {actions && <div className="page-header__actions">{actions}</div>}
    </header>
  );
}
