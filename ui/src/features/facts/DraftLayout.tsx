import type { ReactNode } from 'react';
import type { Incident } from '../../lib/ipc/bindings';
import { ErrorBanner } from '../../components/ErrorBanner';
import { FactsForm } from './FactsForm';
import type { useDraft } from './useDraft';

type Props<T> = {
  /** "fact" (the editor) or "whatif" (the sandbox): prefixes the form's ids and test ids. */
  prefix: 'fact' | 'whatif';
  incident: Incident;
  /** People on the imported list, for the note on the affected counts. */
  listTotal?: number;
  draft: ReturnType<typeof useDraft>;
  /** Extra class on the layout, e.g. "editor--whatif". */
  className?: string;
  testId?: string;
  errorTestId: string;
  panelTestId: string;
  /** aria-label of the side column. */
  sideLabel: string;
  title: string;
  /** The panel's state text while the preview runs, when the values are as stored, and when they differ. */
  state: { pending: string; clean: string; dirty: string };
  /** What the panel shows once the marked fields are fixed, e.g. "The effect". */
  subject: string;
  /** What the preview gave; null until it has come. */
  result: T | null;
  children: (result: T) => ReactNode;
  /** Below the result, inside the panel (notes, actions). */
  footer?: ReactNode;
};

/**
 * The facts editor's layout, shared with the what-if sandbox: the form on the left, a panel on
 * the right that shows what the values on screen would do to the obligations.
 */
export function DraftLayout<T>({ prefix, incident, listTotal, draft: d, className, testId, errorTestId, panelTestId, sideLabel, title, state, subject, result, children, footer }: Props<T>) {
  const problems = Object.keys(d.errors).length > 0 || d.banner !== null;
  return (
    <div className={className ? `editor ${className}` : 'editor'} data-testid={testId}>
      <div className="editor__form">
        <ErrorBanner error={d.banner} testId={errorTestId} />
        <FactsForm prefix={prefix} incident={incident} vocabulary={d.vocabulary} options={d.options} values={d.values} errors={d.errors} onChange={d.change} listTotal={listTotal} />
      </div>
      <aside className="editor__side" aria-label={sideLabel}>
        <div className="diff-panel card card--raised" data-testid={panelTestId} data-pending={d.preview.pending || undefined}>
          <div className="diff-panel__head">
            <h3 className="diff-panel__title">{title}</h3>
            <span className="diff-panel__state" role="status">
              {d.preview.pending ? state.pending : problems ? 'Fix the marked fields' : d.dirty ? state.dirty : state.clean}
            </span>
          </div>
          {problems && !d.preview.pending ? (
            <p className="changes__none">{subject} is shown once the marked fields are fixed.</p>
          ) : result === null ? (
            <p className="changes__none">Working it out…</p>
          ) : (
            children(result)
          )}
          {footer}
        </div>
      </aside>
    </div>
  );
}
