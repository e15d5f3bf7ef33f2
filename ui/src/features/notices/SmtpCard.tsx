import { useCallback, useState } from 'react';
import type { Security, SmtpShown } from '../../lib/ipc/bindings';
import { api, pickFile } from '../../lib/ipc/client';
import { useLoad } from '../../lib/useLoad';
import { useTask } from '../../lib/useAction';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { ErrorBanner } from '../../components/ErrorBanner';
import { TextInput } from './TextInput';

/** The company's SMTP relay for e-mailed notices: kept in the system keyring, never in the database. */
export function SmtpCard() {
  const load = useLoad(useCallback(() => api.getSmtp(), []));
  if (load.error) return <ErrorBanner error={load.error} onRetry={load.reload} />;
  if (load.loading && !load.data) return null;
  return <SmtpForm shown={load.data} onSaved={load.reload} />;
}

function SmtpForm({ shown, onSaved }: { shown: SmtpShown | null; onSaved: () => Promise<void> }) {
  const [host, setHost] = useState(shown?.host ?? '');
  const [port, setPort] = useState(String(shown?.port ?? 587));
  const [user, setUser] = useState(shown?.user ?? '');
  const [password, setPassword] = useState('');
  const [security, setSecurity] = useState<Security>(shown?.security ?? 'starttls');
  const [caCert, setCaCert] = useState<string | null>(null);
  const task = useTask();
  const [saved, setSaved] = useState(false);
  const save = () =>
    task.run(async () => {
      setSaved(false);
      await api.setSmtp({ host, port: Number(port) || 0, user, password, security, ca_cert: caCert });
      setPassword('');
      setSaved(true);
      await onSaved();
    });
  return (
    <Card title="E-mail relay (SMTP)" testId="smtp-card">
      <p className="muted small">
        Letters go by e-mail only to people who agreed to it, through your company's relay over TLS. The address and the credentials are kept in the system keyring, never in the
        database.{shown ? ` Now: ${shown.user} at ${shown.host}:${shown.port} (${shown.security === 'tls' ? 'TLS' : 'STARTTLS'}${shown.private_ca ? ', private CA' : ''}).` : ' None is set.'}
      </p>
      <div className="form-grid">
        <TextInput id="smtp-host" label={<>Host</>} value={host} onChange={setHost} testId="smtp-host" />
        <TextInput id="smtp-port" label={<>Port</>} value={port} onChange={setPort} testId="smtp-port" type="number" min={1} />
        <TextInput id="smtp-user" label={<>User</>} value={user} onChange={setUser} testId="smtp-user" />
        <div className="field">
          <label className="field__label" htmlFor="smtp-password">
            Password {shown && <span className="muted">(enter it again to change anything)</span>}
          </label>
          <input id="smtp-password" type="password" autoComplete="off" className="input" value={password} onChange={(e) => setPassword(e.target.value)} data-testid="smtp-password" />
        </div>
        <div className="field">
          <label className="field__label" htmlFor="smtp-security">
            Security
          </label>
          <select id="smtp-security" className="input" value={security} onChange={(e) => setSecurity(e.target.value as Security)} data-testid="smtp-security">
            <option value="starttls">STARTTLS (usually port 587)</option>
            <option value="tls">TLS from the start (usually port 465)</option>
          </select>
        </div>
        <div className="field">
          <span className="field__label">Private CA certificate (PEM, optional)</span>
          <div className="input-row">
            <code className="path">{caCert ?? 'the system’s trusted roots'}</code>
            <Button size="sm" onClick={() => void pickFile().then((f) => f && setCaCert(f))}>
              Choose…
            </Button>
          </div>
        </div>
      </div>
      {task.error && <ErrorBanner error={task.error} testId="smtp-error" />}
      <div className="form-actions">
        <Button variant="primary" busy={task.busy} disabled={!host.trim() || !user.trim() || !password} onClick={() => void save()} testId="smtp-save">
          Save relay
        </Button>
        {saved && <span className="ok-text small">Saved in the keyring.</span>}
      </div>
    </Card>
  );
}
