import { useState, type ChangeEvent, type FormEvent, type ReactNode } from 'react';
import type { NewIncident, Roles } from '../../lib/ipc/bindings';
import { api } from '../../lib/ipc/client';
import { useFormErrors, type FieldErrors } from '../../lib/useFormErrors';
import { toErrorBody } from '../../lib/ipc/errors';
import { humanise, ROLE_NAMES } from '../../lib/labels';
import { browserZone, COMMON_ZONES, isKnownZone, nowInZone } from '../../lib/time';
import { Field, type ControlProps } from '../../components/Field';
import { Button } from '../../components/Button';
import { ErrorBanner } from '../../components/ErrorBanner';
import { PageHeader } from '../../components/PageHeader';
import { useSession } from '../shell';
import type { Navigate } from '../shell';
import { LEGAL_TIMESTAMPS } from './legal';

const FIELDS = [
  'title',
  'summary',
  'severity',
  'timezone',
  'detected_at',
  'occurred_at',
  'discovered_at',
  'aware_at',
  'determined_at',
  'discovery_gap_reason',
  ...ROLE_NAMES,
] as const;
type FormField = (typeof FIELDS)[number];
type Values = Record<FormField, string>;

const DEFAULT_SEVERITY = 'SEV-2';

function initialValues(severities: string[]): Values {
  const values = Object.fromEntries(FIELDS.map((f) => [f, ''])) as Values;
  values.severity = severities.includes(DEFAULT_SEVERITY) ? DEFAULT_SEVERITY : (severities[0] ?? '');
  values.timezone = browserZone();
  return values;
}

/** Discovery later than detection needs a written reason (local times in one zone compare as text). */
function gapNeedsReason(v: Values): boolean {
  return v.discovered_at !== '' && v.detected_at !== '' && v.discovered_at > v.detected_at;
}

function check(v: Values): FieldErrors<FormField> {
  const found: FieldErrors<FormField> = {};
  if (v.title.trim() === '') found.title = 'Give the incident a short title.';
  if (v.timezone.trim() === '') found.timezone = 'Choose the time zone the times below are in.';
  else if (!isKnownZone(v.timezone)) found.timezone = 'Unknown time zone; use an IANA name such as America/New_York.';
  if (v.detected_at === '') found.detected_at = 'When was it first detected? This is required.';
  if (v.discovered_at !== '' && v.detected_at !== '' && v.discovered_at < v.detected_at) {
    found.discovered_at = 'Discovery cannot come before detection.';
  } else if (gapNeedsReason(v) && v.discovery_gap_reason.trim() === '') {
    found.discovery_gap_reason = 'Discovery comes after detection: write down why, since the legal clocks run from discovery.';
  }
  return found;
}

const orNull = (s: string): string | null => (s.trim() === '' ? null : s.trim());

function toNewIncident(v: Values): NewIncident {
  const roles = Object.fromEntries(ROLE_NAMES.map((r) => [r, orNull(v[r])])) as Roles;
  return {
    title: v.title.trim(),
    summary: v.summary.trim(),
    severity: v.severity,
    timezone: v.timezone.trim(),
    detected_at: v.detected_at,
    occurred_at: orNull(v.occurred_at),
    discovered_at: orNull(v.discovered_at),
    aware_at: orNull(v.aware_at),
    determined_at: orNull(v.determined_at),
    discovery_gap_reason: orNull(v.discovery_gap_reason),
    roles,
  };
}

function focusField(field: FormField | undefined) {
  if (field) document.getElementById(`f-${field}`)?.focus();
}

/** Opening a new incident: what happened, the legal timestamps, and who is in charge. */
export function IncidentForm({ navigate }: { navigate: Navigate }) {
  const { vocabulary } = useSession();
  const [values, setValues] = useState<Values>(() => initialValues(vocabulary.severities));
  const [busy, setBusy] = useState(false);
  const errors = useFormErrors(FIELDS);

  const set = (field: FormField, value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    errors.clear(field);
  };
  const bind = (field: FormField) => ({
    value: values[field],
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) => set(field, e.target.value),
  });
  const field = (name: FormField, label: string, control: (p: ControlProps) => ReactNode, extra: { hint?: string; required?: boolean; className?: string } = {}) => (
    <Field
      key={name}
      id={`f-${name}`}
      label={label}
      testId={`field-${name}`}
      errorTestId={`error-${name}`}
      error={errors.fieldErrors[name]}
      {...extra}
    >
      {control}
    </Field>
  );

  async function submit(e: FormEvent) {
    e.preventDefault();
    errors.reset();
    const found = check(values);
    const first = FIELDS.find((f) => found[f] !== undefined);
    if (first) {
      errors.setFieldErrors(found);
      focusField(first);
      return;
    }
    setBusy(true);
    try {
      const created = await api.createIncident(toNewIncident(values));
      navigate({ page: 'detail', id: created.id });
    } catch (err) {
      setBusy(false);
      const body = toErrorBody(err);
      if (errors.show(body)) focusField(FIELDS.find((f) => f === body.field));
      else document.querySelector('.main')?.scrollTo({ top: 0 });
    }
  }

  const zoneLabel = values.timezone.trim() || 'the incident zone';
  const needsReason = gapNeedsReason(values);

  return (
    <div className="page page--narrow">
      <PageHeader
        eyebrow={
          <button type="button" className="btn btn--link btn--sm back-link" onClick={() => navigate({ page: 'list' })}>
            ← Incidents
          </button>
        }
        title="New incident"
      />
      <form className="incident-form stack stack--loose" data-testid="incident-form" onSubmit={submit} noValidate>
        <ErrorBanner error={errors.banner} testId="form-error" />

        <section className="form-section">
          <h2 className="form-section__title">What happened</h2>
          <div className="form-grid">
            {field('title', 'Title', (p) => <input {...p} className="input" type="text" maxLength={200} autoFocus {...bind('title')} />, {
              required: true,
              className: 'span-2',
            })}
            {field('summary', 'Summary', (p) => <textarea {...p} className="input textarea" rows={4} {...bind('summary')} />, {
              hint: 'What is known so far: systems, data and people affected.',
              className: 'span-2',
            })}
            {field(
              'severity',
              'Severity',
              (p) => (
                <select {...p} className="input select" {...bind('severity')}>
                  {vocabulary.severities.map((s) => (
                    <option key={s} value={s}>
                      {s}
                    </option>
                  ))}
                </select>
              ),
              { hint: vocabulary.severity_rule, required: true, className: 'span-2 field--severity' },
            )}
          </div>
        </section>

        <section className="form-section">
          <h2 className="form-section__title">When (legal timestamps)</h2>
          <p className="form-section__lead">
            Enter wall-clock times in the incident&apos;s time zone. Notification deadlines are computed from these, so record
            what you know now and refine later.
          </p>
          <div className="form-grid">
            {field(
              'timezone',
              'Time zone',
              (p) => (
                <>
                  <input {...p} className="input" type="text" list="zone-list" spellCheck={false} autoComplete="off" {...bind('timezone')} />
                  <datalist id="zone-list">
                    {COMMON_ZONES.map((z) => (
                      <option key={z} value={z} />
                    ))}
                  </datalist>
                </>
              ),
              { hint: 'IANA name, such as America/New_York or Europe/Berlin.', required: true },
            )}
            <div className="form-grid__spacer" />
            {LEGAL_TIMESTAMPS.map((t) =>
              field(
                t.field,
                t.label,
                (p) => (
                  <div className="input-row">
                    <input {...p} className="input input--datetime" type="datetime-local" {...bind(t.field)} />
                    {t.field === 'detected_at' && (
                      <button type="button" className="btn btn--ghost btn--sm" onClick={() => set('detected_at', nowInZone(values.timezone))}>
                        Now
                      </button>
                    )}
                  </div>
                ),
                { hint: t.hint, required: t.field === 'detected_at' },
              ),
            )}
            {field(
              'discovery_gap_reason',
              'Why discovery came after detection',
              (p) => <textarea {...p} className="input textarea" rows={3} {...bind('discovery_gap_reason')} />,
              {
                hint: needsReason
                  ? 'Required: discovery is later than detection, and the legal clocks run from discovery.'
                  : 'Needed only when discovery is later than detection.',
                required: needsReason,
                className: 'span-2',
              },
            )}
          </div>
          <p className="form-section__note">Times are read in {zoneLabel}.</p>
        </section>

        <section className="form-section">
          <h2 className="form-section__title">People</h2>
          <div className="form-grid">
            {ROLE_NAMES.map((r) =>
              field(r, humanise(r), (p) => <input {...p} className="input" type="text" maxLength={200} autoComplete="off" {...bind(r)} />),
            )}
          </div>
        </section>

        <div className="form-actions form-actions--end">
          <Button onClick={() => navigate({ page: 'list' })} testId="incident-cancel">
            Cancel
          </Button>
          <Button type="submit" variant="primary" busy={busy} testId="incident-submit">
            {busy ? 'Creating…' : 'Create incident'}
          </Button>
        </div>
      </form>
    </div>
  );
}
