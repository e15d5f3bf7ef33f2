import { useCallback, useMemo, useState, type FormEvent } from 'react';
import type { InternalClockSettings } from '../../lib/ipc/bindings';
import { api } from '../../lib/ipc/client';
import { useFormErrors, type FieldErrors } from '../../lib/useFormErrors';
import { useLoad } from '../../lib/useLoad';
import { Banner } from '../../components/Banner';
import { Button } from '../../components/Button';
import { ErrorBanner } from '../../components/ErrorBanner';
import { PageHeader } from '../../components/PageHeader';
import { SeverityBadge } from '../../components/Badges';
import { useSession } from '../shell';
import { OrganisationCard, SmtpCard } from '../notices';

/** The app's settings: the organisation every notice prints, the e-mail relay, and the internal clock targets by severity. */
export function SettingsPage() {
  const load = useLoad(api.getClockSettings);
  return (
    <div className="page page--narrow" data-testid="settings">
      <PageHeader title="Settings" />
      <OrganisationCard />
      <SmtpCard />
      <ErrorBanner error={load.error} testId="settings-load-error" onRetry={load.reload} />
      {load.data ? <ClockSettingsForm initial={load.data} /> : !load.error && <p className="muted">Loading settings…</p>}
    </div>
  );
}

type Values = { ack: Record<string, string>; update: Record<string, string>; postmortem: string };

const toText = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));

function fromSettings(s: InternalClockSettings, severities: string[]): Values {
  return {
    ack: Object.fromEntries(severities.map((sev) => [sev, toText(s.ack_minutes[sev])])),
    update: Object.fromEntries(severities.map((sev) => [sev, toText(s.status_update_minutes[sev])])),
    postmortem: String(s.postmortem_business_days),
  };
}

/** "90" → "1 h 30 min"; "" for nothing readable. */
function minutesWords(text: string): string {
  if (!/^\d+$/.test(text.trim())) return '';
  const m = Number(text);
  if (m === 0) return '';
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  const min = m % 60;
  return [d ? `${d} d` : '', h ? `${h} h` : '', min ? `${min} min` : ''].filter(Boolean).join(' ');
}

function ClockSettingsForm({ initial }: { initial: InternalClockSettings }) {
  const { vocabulary } = useSession();
  const severities = vocabulary.severities;
  const fields = useMemo(
    () => [...severities.map((s) => `ack_minutes.${s}`), ...severities.map((s) => `status_update_minutes.${s}`), 'postmortem_business_days', 'severity'],
    [severities],
  );
  const errors = useFormErrors(fields);
  const [values, setValues] = useState<Values>(() => fromSettings(initial, severities));
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);

  const edit = useCallback(
    (field: string, update: (v: Values) => Values) => {
      setValues(update);
      errors.clear(field);
      setSaved(false);
    },
    [errors],
  );

  async function submit(e: FormEvent) {
    e.preventDefault();
    errors.reset();
    setSaved(false);
    const found: FieldErrors<string> = {};
    const whole = (t: string) => /^\d+$/.test(t.trim());
    for (const s of severities) {
      if (!whole(values.ack[s] ?? '')) found[`ack_minutes.${s}`] = 'Minutes, a whole number.';
      const u = (values.update[s] ?? '').trim();
      if (u !== '' && !whole(u)) found[`status_update_minutes.${s}`] = 'Minutes, a whole number — or empty for none.';
    }
    if (!whole(values.postmortem)) found.postmortem_business_days = 'Business days, a whole number.';
    if (Object.keys(found).length > 0) {
      errors.setFieldErrors(found);
      return;
    }
    const settings: InternalClockSettings = {
      ack_minutes: Object.fromEntries(severities.map((s) => [s, Number(values.ack[s])])),
      status_update_minutes: Object.fromEntries(severities.map((s) => [s, (values.update[s] ?? '').trim() === '' ? null : Number(values.update[s])])),
      postmortem_business_days: Number(values.postmortem),
    };
    setBusy(true);
    try {
      const stored = await api.setClockSettings(settings);
      setValues(fromSettings(stored, severities));
      setSaved(true);
    } catch (err) {
      errors.show(err);
    } finally {
      setBusy(false);
    }
  }

  const minutesInput = (kind: 'ack' | 'update', sev: string) => {
    const field = kind === 'ack' ? `ack_minutes.${sev}` : `status_update_minutes.${sev}`;
    const id = `setting-${kind}-${sev}`;
    const error = errors.fieldErrors[field];
    const value = values[kind][sev] ?? '';
    return (
      <td>
        <div className="minutes">
          <input
            id={id}
            className="input input--sm input--num"
            type="number"
            min={kind === 'ack' ? 1 : 5}
            step={1}
            inputMode="numeric"
            placeholder={kind === 'update' ? 'none' : ''}
            value={value}
            aria-label={`${kind === 'ack' ? 'Acknowledge within' : 'Status update every'}, ${sev}, in minutes`}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
            data-testid={id}
            onChange={(e) => {
              const v = e.target.value;
              edit(field, (old) => ({ ...old, [kind]: { ...old[kind], [sev]: v } }));
            }}
          />
          <span className="minutes__unit">min</span>
          <span className="minutes__words">{kind === 'update' && value.trim() === '' ? 'no cadence' : minutesWords(value)}</span>
        </div>
        {error && (
          <p className="field__error" id={`${id}-error`} data-testid={`error-${field}`}>
            {error}
          </p>
        )}
      </td>
    );
  };

  return (
    <form className="stack stack--loose" onSubmit={submit} noValidate data-testid="clock-settings">
      <section className="form-section">
        <h2 className="form-section__title">Internal clocks</h2>
        <p className="form-section__lead">
          The response team’s own targets, by severity. They are playbook commitments, not legal deadlines, and show beside the
          obligations of every incident. The acknowledgement is done when an “Acknowledged” timeline entry is recorded; each “Note”
          entry counts as a status update.
        </p>
        <ErrorBanner error={errors.banner} testId="settings-error" />
        <table className="settings-table">
          <thead>
            <tr>
              <th scope="col">Severity</th>
              <th scope="col">Incident commander acknowledges within</th>
              <th scope="col">Status update every</th>
            </tr>
          </thead>
          <tbody>
            {severities.map((s) => (
              <tr key={s} data-testid="settings-row" data-severity={s}>
                <th scope="row">
                  <SeverityBadge severity={s} />
                </th>
                {minutesInput('ack', s)}
                {minutesInput('update', s)}
              </tr>
            ))}
          </tbody>
        </table>
        <p className="form-section__note">Acknowledge: 1 to 10,080 minutes (7 days). Status updates: 5 to 1,440 minutes, or empty for none.</p>
        <div className="postmortem">
          <label className="field__label" htmlFor="setting-postmortem">
            Post-mortem due
          </label>
          <div className="minutes">
            <input
              id="setting-postmortem"
              className="input input--sm input--num"
              type="number"
              min={1}
              max={60}
              step={1}
              value={values.postmortem}
              aria-invalid={errors.fieldErrors.postmortem_business_days ? true : undefined}
              aria-describedby="setting-postmortem-hint"
              data-testid="setting-postmortem"
              onChange={(e) => {
                const v = e.target.value;
                edit('postmortem_business_days', (old) => ({ ...old, postmortem: v }));
              }}
            />
            <span className="minutes__unit">business days after close</span>
          </div>
          {errors.fieldErrors.postmortem_business_days && (
            <p className="field__error" data-testid="error-postmortem_business_days">
              {errors.fieldErrors.postmortem_business_days}
            </p>
          )}
          <p className="field__hint" id="setting-postmortem-hint">
            1 to 60, counted on the US federal calendar in the incident’s zone.
          </p>
        </div>
        {errors.fieldErrors.severity && <p className="field__error">{errors.fieldErrors.severity}</p>}
      </section>
      <div className="form-actions form-actions--end">
        {saved && (
          <Banner tone="success" testId="settings-saved">
            Saved. Open incidents use the new targets from now on.
          </Banner>
        )}
        <Button type="submit" variant="primary" busy={busy} testId="settings-save">
          Save settings
        </Button>
      </div>
    </form>
  );
}
