import type { ReactNode } from 'react';

type TextInputProps = {
  id: string;
  label: ReactNode;
  value: string;
  onChange: (v: string) => void;
  testId: string;
  type?: 'text' | 'number' | 'datetime-local';
  min?: number;
};

/** A labelled one-line input of the workflow's forms. */
export function TextInput({ id, label, value, onChange, testId, type = 'text', min }: TextInputProps) {
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <input id={id} type={type} min={min} className="input" value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId} />
    </div>
  );
}
