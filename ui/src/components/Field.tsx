import type { ReactNode } from 'react';

/** What a Field hands its control so label, hint and error stay bound to it. */
export type ControlProps = {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
  'aria-required': true | undefined;
  'data-testid': string;
};

type Props = {
  /** Element id of the control. */
  id: string;
  label: ReactNode;
  /** data-testid of the control. */
  testId: string;
  /** data-testid of the error line. */
  errorTestId: string;
  hint?: ReactNode;
  error?: string | undefined;
  /** Marks the field required (visually and for assistive tech). */
  required?: boolean;
  className?: string;
  children: (control: ControlProps) => ReactNode;
};

/** A label, its control, a one-line hint and the field's inline error. */
export function Field({ id, label, testId, errorTestId, hint, error, required = false, className, children }: Props) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={['field', error ? 'field--invalid' : '', className ?? ''].filter(Boolean).join(' ')}>
      <label className="field__label" htmlFor={id}>
        {label}
        {required && (
          <span className="field__required" aria-hidden="true">
            {' '}
            *
          </span>
        )}
      </label>
      {children({
        id,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': describedBy,
        'aria-required': required ? true : undefined,
        'data-testid': testId,
      })}
      {error && (
        <p className="field__error" id={errorId} data-testid={errorTestId}>
          {error}
        </p>
      )}
      {hint && (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      )}
    </div>
  );
}
