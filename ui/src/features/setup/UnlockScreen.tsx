import { useState, type FormEvent } from 'react';
import type { AppStatus, ErrorBody } from '../../lib/ipc/bindings';
import { api } from '../../lib/ipc/client';
import { toErrorBody } from '../../lib/ipc/errors';
import { useAction } from '../../lib/useAction';
import { useFormErrors } from '../../lib/useFormErrors';
import { Button } from '../../components/Button';
import { ErrorBanner } from '../../components/ErrorBanner';
import { AuthCard } from './AuthCard';
import { AuthField } from './AuthField';

type Props = { status: AppStatus; onUnlocked: (status: AppStatus) => void };

/** The database exists but is locked: a passphrase prompt, or the keyring's problem and a retry. */
export function UnlockScreen({ status, onUnlocked }: Props) {
  const footer = (
    <>
      Data in <code className="path">{status.dir.data_dir}</code>
    </>
  );
  return status.dir.mode === 'passphrase' ? (
    <AuthCard title="Unlock Breachdesk" lead="Enter the passphrase that protects this database." footer={footer}>
      <PassphraseUnlock onUnlocked={onUnlocked} />
    </AuthCard>
  ) : (
    <AuthCard title="Breachdesk is locked" lead="Breachdesk could not open its database with the key from the system keyring." footer={footer}>
      <KeyringRetry problem={status.problem} onUnlocked={onUnlocked} />
    </AuthCard>
  );
}

const FIELDS = ['passphrase'] as const;

function PassphraseUnlock({ onUnlocked }: { onUnlocked: (s: AppStatus) => void }) {
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const errors = useFormErrors(FIELDS);

  async function submit(e: FormEvent) {
    e.preventDefault();
    errors.reset();
    if (passphrase === '') {
      errors.setFieldErrors({ passphrase: 'Enter the passphrase.' });
      return;
    }
    setBusy(true);
    try {
      onUnlocked(await api.unlock({ passphrase }));
    } catch (err) {
      const body = toErrorBody(err);
      if (body.code === 'wrong_passphrase' || body.code === 'passphrase_required') {
        errors.setFieldErrors({ passphrase: body.code === 'wrong_passphrase' ? 'Wrong passphrase. Try again.' : 'Enter the passphrase.' });
      } else {
        errors.show(body);
      }
      setBusy(false);
    }
  }

  return (
    <form className="stack" onSubmit={submit} noValidate>
      <ErrorBanner error={errors.banner} testId="unlock-problem" />
      <AuthField
        id="unlock-passphrase"
        label="Passphrase"
        error={errors.fieldErrors.passphrase}
        type="password"
        autoComplete="current-password"
        autoFocus
        value={passphrase}
        onChange={(v) => {
          setPassphrase(v);
          errors.clear('passphrase');
        }}
      />
      <Button type="submit" variant="primary" className="btn--block" busy={busy} testId="unlock-submit">
        {busy ? 'Unlocking…' : 'Unlock'}
      </Button>
    </form>
  );
}

function KeyringRetry({ problem, onUnlocked }: { problem: ErrorBody | null; onUnlocked: (s: AppStatus) => void }) {
  const { busy, error, run } = useAction(problem);
  const retry = () => run(async () => onUnlocked(await api.unlock({ passphrase: null })));

  const shown: ErrorBody = error ?? { code: 'locked', message: 'Breachdesk could not unlock the database automatically.', field: null };
  return (
    <div className="stack">
      <ErrorBanner error={shown} testId="unlock-problem" />
      <Button variant="primary" className="btn--block" busy={busy} onClick={retry} testId="unlock-retry">
        {busy ? 'Trying…' : 'Try again'}
      </Button>
    </div>
  );
}
