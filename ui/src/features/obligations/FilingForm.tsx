import type { FormEvent } from 'react';
import type { Incident, Obligation } from '../../lib/ipc/bindings';
import { api } from '../../lib/ipc/client';
import type { FieldErrors } from '../../lib/useFormErrors';
import { useFormState } from '../../lib/useFormState';
import { nowInZone } from '../../lib/time';
import { Field } from '../../components/Field';
import { ErrorBanner } from '../../components/ErrorBanner';
import { FormActions } from './FormActions';

const FIELDS = ['sent_at', 'channel', 'reference', 'note'] as const;
type FilingField = (typeof FIELDS)[number];

type Props = {
  incident: Incident;
  obligation: Obligation;
  onDone: () => Promise<void>;
  onCancel: () => void;
};

const orNull = (s: string) => (s.trim() === '' ? null : s.trim());

/** Records a notice as sent: when, how, and the confirmation number. Filings are append-only. */
export function FilingForm({ incident, obligation, onDone, onCancel }: Props) {
  const { values, set, busy, errors, submit: send } = useFormState(FIELDS, () => ({
    sent_at: nowInZone(incident.timezone),
    channel: obligation.channel ?? '',
    reference: '',
    note: '',
  }));

  const submit = (e: FormEvent) =>
    send(
      e,
      () => {
        const found: FieldErrors<FilingField> = {};
        if (values.sent_at === '') found.sent_at = 'When was the notice sent?';
        return found;
      },
      async () => {
        await api.recordFiling({ incident_id: incident.id, obligation_id: obligation.id, input: {
          sent_at: values.sent_at,
          channel: orNull(values.channel),
          reference: orNull(values.reference),
          note: orNull(values.note),
        } });
        await onDone();
      },
    );

  const id = (f: string) => `filing-${f}-${obligation.id}`;
  return (
    <form className="subform" onSubmit={submit} noValidate data-testid="filing-form">
      <h4 className="subform__title">Record notice sent</h4>
      <p className="subform__lead">The first notice recorded freezes the due time, so later changes to the facts cannot move it.</p>
      <ErrorBanner error={errors.banner} testId="filing-error" />
      <div className="subform__grid">
        <Field id={id('sent_at')} label="Sent at" testId="filing-sent-at" errorTestId="error-filing-sent_at" error={errors.fieldErrors.sent_at} required hint={`In ${incident.timezone}`}>
          {(p) => <input {...p} className="input input--datetime" type="datetime-local" value={values.sent_at} onChange={(e) => set('sent_at', e.target.value)} />}
        </Field>
        <Field id={id('channel')} label="Channel" testId="filing-channel" errorTestId="error-filing-channel" error={errors.fieldErrors.channel} hint="Portal, email, letter…">
          {(p) => <input {...p} className="input" type="text" maxLength={200} value={values.channel} onChange={(e) => set('channel', e.target.value)} />}
        </Field>
        <Field id={id('reference')} label="Reference" testId="filing-reference" errorTestId="error-filing-reference" error={errors.fieldErrors.reference} hint="Confirmation or case number.">
          {(p) => <input {...p} className="input mono-input" type="text" maxLength={200} autoComplete="off" value={values.reference} onChange={(e) => set('reference', e.target.value)} />}
        </Field>
        <Field id={id('note')} label="Note" testId="filing-note" errorTestId="error-filing-note" error={errors.fieldErrors.note} className="span-all">
          {(p) => <textarea {...p} className="input textarea" rows={2} value={values.note} onChange={(e) => set('note', e.target.value)} />}
        </Field>
      </div>
      <FormActions busy={busy} onCancel={onCancel} submitTestId="filing-submit">
        Record notice
      </FormActions>
    </form>
  );
}
