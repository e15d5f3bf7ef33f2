import { Field } from '../../components/Field';

type Props = {
  /** Element id and data-testid of the input; its error line is `error-<id>`. */
  id: string;
  label: string;
  hint?: string;
  error: string | undefined;
  required?: boolean;
  type: 'text' | 'password';
  autoComplete: string;
  autoFocus?: boolean;
  value: string;
  onChange: (value: string) => void;
};

/** A one-line text or passphrase field of the start screens (set-up, unlock). */
export function AuthField({ id, label, hint, error, required, type, autoComplete, autoFocus, value, onChange }: Props) {
  return (
    <Field id={id} label={label} testId={id} errorTestId={`error-${id}`} hint={hint} error={error} required={required}>
      {(p) => <input {...p} className="input" type={type} autoComplete={autoComplete} autoFocus={autoFocus} value={value} onChange={(e) => onChange(e.target.value)} />}
    </Field>
  );
}
