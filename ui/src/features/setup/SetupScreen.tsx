import { useState, type FormEvent } from 'react';
import type { AppStatus, KeyMode } from '../../lib/ipc/bindings';
import { api } from '../../lib/ipc/client';
import type { FieldErrors } from '../../lib/useFormErrors';
import { useFormState } from '../../lib/useFormState';
import { Button } from '../../components/Button';
import { ErrorBanner } from '../../components/ErrorBanner';
import { AuthCard } from './AuthCard';
import { AuthField } from './AuthField';

const FIELDS = ['user_name', 'passphrase', 'passphrase_confirm'] as const;
type SetupField = (typeof FIELDS)[number];


type Props = { status: AppStatus; onDone: (status: AppStatus) => void };

/** First run: who the user is and how the database key is protected. */
export function SetupScreen({ status, onDone }: Props) {
  const keyringAvailable = status.keyring_available;
  const MIN_PASSPHRASE = status.passphrase_min_chars;
  const [mode, setMode] = useState<KeyMode>(keyringAvailable ? 'keyring' : 'passphrase');
  const { values, set, busy, errors, submit: send } = useFormState(FIELDS, { user_name: '', passphrase: '', passphrase_confirm: '' });
  const name = values.user_name;
  const passphrase = values.passphrase;

  function check(): FieldErrors<SetupField> {
    const found: FieldErrors<SetupField> = {};
    if (name.trim() === '') found.user_name = 'Enter your name; it is recorded with everything you do.';
    if (mode === 'passphrase') {
      if (passphrase.length < MIN_PASSPHRASE) found.passphrase = `Use at least ${MIN_PASSPHRASE} characters.`;
      else if (values.passphrase_confirm !== passphrase) found.passphrase_confirm = 'The passphrases do not match.';
    }
    return found;
  }

  function submit(e: FormEvent) {
    void send(
      e,
      check,
      async () => onDone(await api.setup({ mode, passphrase: mode === 'passphrase' ? passphrase : null, user_name: name.trim() })),
      { alsoBanner: true },
    );
  }

  return (
    <AuthCard
      title="Set up Breachdesk"
      lead="Record incidents, legal timestamps and notifications in one encrypted, tamper-evident log."
      footer={
        <>
          Data will be stored in <code className="path">{status.dir.data_dir}</code>
        </>
      }
    >
      <form className="stack" onSubmit={submit} noValidate>
        <ErrorBanner error={errors.banner} testId="setup-error" />
        <AuthField
          id="setup-name"
          label="Your name"
          hint="Shown as the author of every record you add."
          error={errors.fieldErrors.user_name}
          required
          type="text"
          autoComplete="name"
          autoFocus
          value={name}
          onChange={(v) => set('user_name', v)}
        />

        <fieldset className="choices">
          <legend className="field__label">Key protection</legend>
          <ModeChoice
            value="keyring"
            current={mode}
            onChange={setMode}
            disabled={!keyringAvailable}
            title="System keyring"
            text="The database key is kept in your OS keyring; unlocks automatically."
            note={keyringAvailable ? undefined : 'No system keyring answered on this computer.'}
          />
          <ModeChoice
            value="passphrase"
            current={mode}
            onChange={setMode}
            title="Passphrase"
            text="You type it each time; use when no keyring is available."
          />
        </fieldset>

        {mode === 'passphrase' && (
          <div className="stack stack--tight">
            <AuthField
              id="setup-passphrase"
              label="Passphrase"
              hint={`At least ${MIN_PASSPHRASE} characters. It cannot be recovered if lost.`}
              error={errors.fieldErrors.passphrase}
              required
              type="password"
              autoComplete="new-password"
              value={passphrase}
              onChange={(v) => set('passphrase', v)}
            />
            <AuthField
              id="setup-passphrase-confirm"
              label="Confirm passphrase"
              error={errors.fieldErrors.passphrase_confirm}
              required
              type="password"
              autoComplete="new-password"
              value={values.passphrase_confirm}
              onChange={(v) => set('passphrase_confirm', v)}
            />
          </div>
        )}

        <Button type="submit" variant="primary" className="btn--block" busy={busy} testId="setup-submit">
          {busy ? 'Setting up…' : 'Create encrypted database'}
        </Button>
      </form>
    </AuthCard>
  );
}

type ChoiceProps = {
  value: KeyMode;
  current: KeyMode;
  onChange: (m: KeyMode) => void;
  title: string;
  text: string;
  note?: string | undefined;
  disabled?: boolean;
};

function ModeChoice({ value, current, onChange, title, text, note, disabled = false }: ChoiceProps) {
  const id = `setup-mode-${value}`;
  const checked = current === value;
  return (
    <label
      htmlFor={id}
      className={['choice', checked ? 'choice--checked' : '', disabled ? 'choice--disabled' : ''].filter(Boolean).join(' ')}
    >
      <input
        id={id}
        type="radio"
        name="key-mode"
        value={value}
        checked={checked}
        disabled={disabled}
        onChange={() => onChange(value)}
        data-testid={id}
        aria-describedby={`${id}-text`}
      />
      <span className="choice__body">
        <span className="choice__title">{title}</span>
        <span className="choice__text" id={`${id}-text`}>
          {text}
        </span>
        {note && <span className="choice__note">{note}</span>}
      </span>
    </label>
  );
}
