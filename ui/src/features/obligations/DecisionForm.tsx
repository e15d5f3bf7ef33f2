import type { FormEvent } from 'react';
import type { Obligation } from '../../lib/ipc/bindings';
import { api } from '../../lib/ipc/client';
import type { FieldErrors } from '../../lib/useFormErrors';
import { useFormState } from '../../lib/useFormState';
import { Field } from '../../components/Field';
import { ErrorBanner } from '../../components/ErrorBanner';
import { FormActions } from './FormActions';

const FIELDS = ['rationale', 'approved_by'] as const;
type DecisionField = (typeof FIELDS)[number];

type Props = {
  incidentId: string;
  obligation: Obligation;
  decision: 'not_required' | 'required';
  /** Confirms this exit of the law (its id) rather than deciding "not required" by hand. */
  exemptionId?: string;
  onDone: () => Promise<void>;
  onCancel: () => void;
};

/**
 * "Not required" (or "required again") is a decision with a written rationale and an approver; so
 * is the confirmation of an exit the engine proposes.
 */
export function DecisionForm({ incidentId, obligation, decision, exemptionId, onDone, onCancel }: Props) {
  const { values, set, busy, errors, submit: send } = useFormState(FIELDS, { rationale: '', approved_by: '' });

  const submit = (e: FormEvent) =>
    send(
      e,
      () => {
        const found: FieldErrors<DecisionField> = {};
        if (values.rationale.trim() === '') found.rationale = 'Write down why; the rationale is kept on record.';
        if (values.approved_by.trim() === '') found.approved_by = 'Who approved this decision?';
        return found;
      },
      async () => {
        await api.decideObligation({ incident_id: incidentId, obligation_id: obligation.id, input: {
          decision,
          rationale: values.rationale.trim(),
          approved_by: values.approved_by.trim(),
          exemption_id: exemptionId ?? null,
        } });
        await onDone();
      },
    );

  const id = (f: string) => `decision-${f}-${obligation.id}`;
  return (
    <form className="subform" onSubmit={submit} noValidate data-testid="decision-form" data-decision={exemptionId ? 'confirm_exemption' : decision}>
      <h4 className="subform__title">{exemptionId ? 'Confirm the exemption' : decision === 'not_required' ? 'Mark as not required' : 'Mark as required again'}</h4>
      <p className="subform__lead">
        {exemptionId
          ? `Once confirmed, the notice is not required under ${obligation.exemption?.citation ?? 'this exit'} while the facts still meet its conditions; if they change, it is required again. The confirmation goes to the timeline and the audit log.`
          : decision === 'not_required'
            ? 'The obligation stays on record with this decision, its rationale and who approved it.'
            : 'The obligation becomes open again; the earlier decision stays in the audit log.'}
      </p>
      <ErrorBanner error={errors.banner} testId="decision-error" />
      <div className="subform__grid">
        <Field id={id('rationale')} label="Rationale" testId="decision-rationale" errorTestId="error-decision-rationale" error={errors.fieldErrors.rationale} required className="span-all">
          {(p) => (
            <textarea
              {...p}
              className="input textarea"
              rows={3}
              placeholder={decision === 'not_required' ? 'e.g. Data was encrypted (AES-256) and the key was not compromised; safe harbour applies.' : ''}
              value={values.rationale}
              onChange={(e) => set('rationale', e.target.value)}
            />
          )}
        </Field>
        <Field id={id('approved_by')} label="Approved by" testId="decision-approved-by" errorTestId="error-decision-approved_by" error={errors.fieldErrors.approved_by} required hint="Name and role, e.g. counsel or the DPO.">
          {(p) => <input {...p} className="input" type="text" maxLength={200} autoComplete="off" value={values.approved_by} onChange={(e) => set('approved_by', e.target.value)} />}
        </Field>
      </div>
      <FormActions busy={busy} onCancel={onCancel} submitTestId="decision-submit">
        {exemptionId ? 'Confirm exemption' : decision === 'not_required' ? 'Record “not required”' : 'Record “required”'}
      </FormActions>
    </form>
  );
}
