import { useCallback, useState } from 'react';
import type { OrgProfile } from '../../lib/ipc/bindings';
import { api, pickFile } from '../../lib/ipc/client';
import { useLoad } from '../../lib/useLoad';
import { useTask } from '../../lib/useAction';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { ErrorBanner } from '../../components/ErrorBanner';

const EMPTY: OrgProfile = {
  legal_name: '',
  address: { line1: '', line2: null, city: '', state: null, postal_code: '', country: 'US' },
  phone: '',
  toll_free: null,
  email: '',
  website: '',
  signatory: { name: '', title: null, email: null, phone: null },
  dpo: null,
  regulator_ids: {},
  logo: null,
};

type Line = { key: string; label: string; get: (p: OrgProfile) => string | null; set: (p: OrgProfile, v: string) => OrgProfile; hint?: string };

const opt = (v: string) => (v.trim() ? v : null);
const LINES: Line[] = [
  { key: 'legal_name', label: 'Legal name', get: (p) => p.legal_name, set: (p, v) => ({ ...p, legal_name: v }) },
  { key: 'address.line1', label: 'Address', get: (p) => p.address.line1, set: (p, v) => ({ ...p, address: { ...p.address, line1: v } }) },
  { key: 'address.line2', label: 'Address line 2', get: (p) => p.address.line2, set: (p, v) => ({ ...p, address: { ...p.address, line2: opt(v) } }) },
  { key: 'address.city', label: 'City', get: (p) => p.address.city, set: (p, v) => ({ ...p, address: { ...p.address, city: v } }) },
  { key: 'address.state', label: 'State or region', get: (p) => p.address.state, set: (p, v) => ({ ...p, address: { ...p.address, state: opt(v) } }) },
  { key: 'address.postal_code', label: 'Postal code', get: (p) => p.address.postal_code, set: (p, v) => ({ ...p, address: { ...p.address, postal_code: v } }) },
  { key: 'address.country', label: 'Country', get: (p) => p.address.country, set: (p, v) => ({ ...p, address: { ...p.address, country: v.toUpperCase() } }), hint: 'Two letters: US, DE, GB' },
  { key: 'phone', label: 'Phone', get: (p) => p.phone, set: (p, v) => ({ ...p, phone: v }) },
  { key: 'toll_free', label: 'Toll-free number', get: (p) => p.toll_free, set: (p, v) => ({ ...p, toll_free: opt(v) }), hint: 'HIPAA letters and substitute notice give one' },
  { key: 'email', label: 'E-mail', get: (p) => p.email, set: (p, v) => ({ ...p, email: v }) },
  { key: 'website', label: 'Web site', get: (p) => p.website, set: (p, v) => ({ ...p, website: v }) },
  { key: 'signatory.name', label: 'Signatory', get: (p) => p.signatory.name, set: (p, v) => ({ ...p, signatory: { ...p.signatory, name: v } }) },
  { key: 'signatory.title', label: 'Signatory title', get: (p) => p.signatory.title, set: (p, v) => ({ ...p, signatory: { ...p.signatory, title: opt(v) } }) },
];

/** The organisation profile every notice prints: letterhead, contact lines, signature, logo. */
export function OrganisationCard() {
  const load = useLoad(useCallback(() => api.getOrg(), []));
  if (load.error) return <ErrorBanner error={load.error} onRetry={load.reload} />;
  if (!load.data && load.loading) return null;
  return <OrganisationForm initial={load.data?.profile ?? EMPTY} hasLogo={load.data?.logo_sha256 != null} onSaved={load.reload} />;
}

function OrganisationForm({ initial, hasLogo, onSaved }: { initial: OrgProfile; hasLogo: boolean; onSaved: () => Promise<void> }) {
  const [p, setP] = useState<OrgProfile>(initial);
  const task = useTask();
  const [saved, setSaved] = useState(false);
  const save = async () => {
    setSaved(false);
    await task.run(async () => {
      await api.setOrg({ profile: p });
      setSaved(true);
      await onSaved();
    });
  };
  return (
    <Card title="Organisation" testId="org-card">
      <p className="muted small">Every notice prints these: the letterhead, the contact lines and the signature. A field a template needs and this lacks is named when the notice is drafted.</p>
      <div className="form-grid">
        {LINES.map((l) => (
          <div className="field" key={l.key}>
            <label className="field__label" htmlFor={`org-${l.key}`}>
              {l.label} {l.hint && <span className="muted">({l.hint})</span>}
            </label>
            <input
              id={`org-${l.key}`}
              className="input"
              aria-invalid={task.error?.field === l.key || undefined}
              value={l.get(p) ?? ''}
              onChange={(e) => setP(l.set(p, e.target.value))}
              data-testid={`org-${l.key}`}
            />
          </div>
        ))}
        <div className="field">
          <span className="field__label">Logo (PNG){hasLogo && <span className="muted"> · one is stored</span>}</span>
          <div className="input-row">
            <code className="path">{p.logo ?? (hasLogo ? 'keep the stored logo' : 'none')}</code>
            <Button size="sm" onClick={() => void pickFile().then((f) => f && setP({ ...p, logo: f }))}>
              Choose…
            </Button>
          </div>
        </div>
      </div>
      {task.error && <ErrorBanner error={task.error} testId="org-error" />}
      <div className="form-actions">
        <Button variant="primary" busy={task.busy} onClick={() => void save()} testId="org-save">
          Save organisation
        </Button>
        {saved && <span className="ok-text small">Saved. Drafts re-render with it; approved notices that change lose their approval.</span>}
      </div>
    </Card>
  );
}
