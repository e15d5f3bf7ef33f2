import { useEffect, useRef, type FormEvent } from 'react';
import { Button } from '../../components/Button';
import { Field } from '../../components/Field';
import { RecognisedColumns } from './RecognisedColumns';

type Props = {
  path: string;
  onPath: (path: string) => void;
  onChoose: () => void;
  onPreview: () => void;
  busy: boolean;
  error: string | undefined;
};

/** Step 1: a file from the system picker, or its path typed in. */
export function FileStep({ path, onPath, onChoose, onPreview, busy, error }: Props) {
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => formRef.current?.querySelector<HTMLButtonElement>('[data-testid="import-choose"]')?.focus(), []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onPreview();
  };
  return (
    <form className="ipick" ref={formRef} onSubmit={submit} noValidate>
      <p className="wizard__lead">
        A CSV file (comma, semicolon or tab separated; UTF-8, UTF-16 or Windows-1252) or an Excel workbook (.xlsx, first sheet), with a header
        row. You check the columns next; nothing is written until you import.
      </p>
      <div className="ipick__row">
        <Button variant="primary" onClick={onChoose} disabled={busy} testId="import-choose">
          Choose file…
        </Button>
        <span className="ipick__or">or type its path</span>
        <Field id="import-path" label={<span className="visually-hidden">Path of the file</span>} testId="import-path" errorTestId="error-import-path" error={error} className="ipick__path">
          {(p) => (
            <div className="input-row">
              <input
                {...p}
                className="input mono-input"
                type="text"
                value={path}
                placeholder="/home/me/breach/affected.csv"
                autoComplete="off"
                spellCheck={false}
                onChange={(e) => onPath(e.target.value)}
              />
              <Button type="submit" busy={busy} testId="import-preview">
                {busy ? 'Reading…' : 'Preview'}
              </Button>
            </div>
          )}
        </Field>
      </div>
      <details className="ipick__help">
        <summary>Which columns are recognised?</summary>
        <RecognisedColumns />
      </details>
    </form>
  );
}
