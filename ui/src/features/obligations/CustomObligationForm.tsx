import { useEffect, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import type { NewCustomObligation, Recipient } from '../../lib/ipc/bindings';
import { api } from '../../lib/ipc/client';
import type { FieldErrors } from '../../lib/useFormErrors';
import { useFormState } from '../../lib/useFormState';
import { clockWords, recipientWords, sentenceCase, triggerWords } from '../../lib/labels';
import { Field, type ControlProps } from '../../components/Field';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useSession } from '../shell';
import { clockTakesAmount, describeClock, PRESETS, type Preset } from './presets';
import { FormActions } from './FormActions';

const FIELDS = ['label', 'recipient', 'trigger', 'clock', 'amount', 'reference', 'channel', 'address'] as const;
type CustomField = (typeof FIELDS)[number];

type Props = { incidentId: string; onAdded: () => Promise<void>; onCancel: () => void };

const orNull = (s: string) => (s.trim() === '' ? null : s.trim());

/** Adds a contractual or internal-policy duty; it becomes an ordinary obligation row (CONTRACT). */
export function CustomObligationForm({ incidentId, onAdded, onCancel }: Props) {
  const { vocabulary } = useSession();
  const { values, setValues, set, busy, errors, submit: send } = useFormState(FIELDS, () => ({
    label: '',
    recipient: vocabulary.custom_recipients[0] ?? '',
    trigger: vocabulary.custom_triggers.includes('discovered_at') ? 'discovered_at' : (vocabulary.custom_triggers[0] ?? ''),
    clock: vocabulary.custom_clocks[0] ?? '',
    amount: '',
    reference: '',
    channel: '',
    address: '',
  }));
  const [preset, setPreset] = useState<string | null>(null);
  const labelRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    labelRef.current?.focus();
  }, []);

  const bind = (f: CustomField) => ({
    value: values[f],
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) => set(f, e.target.value),
  });

  /** A select over one list of the vocabulary, each choice in words. */
  const choices =
    <T extends string>(f: CustomField, options: readonly T[], words: (v: T) => string) =>
    (p: ControlProps) => (
      <select {...p} className="input select" {...bind(f)}>
        {options.map((o) => (
          <option key={o} value={o}>
            {sentenceCase(words(o))}
          </option>
        ))}
      </select>
    );

  const apply = (p: Preset) => {
    setPreset(p.id);
    setValues((old) => ({ ...old, ...p.values, amount: p.values.amount === null ? '' : String(p.values.amount) }));
    errors.reset();
    labelRef.current?.focus();
  };

  const takesAmount = clockTakesAmount(values.clock);

  const submit = (e: FormEvent) => {
    const amount = takesAmount ? Number(values.amount) : null;
    return send(
      e,
      () => {
        const found: FieldErrors<CustomField> = {};
        if (values.label.trim() === '') found.label = 'Name the duty, e.g. “Acme Health BAA — notify covered entity”.';
        if (takesAmount && (values.amount.trim() === '' || !Number.isInteger(amount) || (amount ?? 0) < 1)) {
          found.amount = `How many ${clockWords(values.clock)}? A whole number, 1 or more.`;
        }
        return found;
      },
      async () => {
        const input: NewCustomObligation = {
          label: values.label.trim(),
          // The select offers only the vocabulary's recipients.
          recipient: values.recipient as Recipient,
          trigger: values.trigger,
          clock: values.clock,
          amount,
          reference: orNull(values.reference),
          channel: orNull(values.channel),
          address: orNull(values.address),
        };
        await api.addCustomObligation({ incident_id: incidentId, input });
        await onAdded();
      },
    );
  };

  const field = (name: CustomField) => ({
    id: `custom-${name}`,
    testId: `custom-${name}`,
    errorTestId: `error-custom-${name}`,
    error: errors.fieldErrors[name],
  });

  return (
    <form className="custom-form card card--raised" onSubmit={submit} noValidate data-testid="custom-form">
      <div className="custom-form__head">
        <h3 className="custom-form__title">Add a contractual or user-defined obligation</h3>
        <p className="custom-form__lead">
          Duties from contracts (BAA, DPA), insurance policies or governance. The quick fills are examples of common terms, not law:
          check them against the actual clause before saving.
        </p>
      </div>
      <div className="presets" role="group" aria-label="Quick fill">
        {PRESETS.map((p) => (
          <button
            key={p.id}
            type="button"
            className={preset === p.id ? 'preset preset--on' : 'preset'}
            aria-pressed={preset === p.id}
            onClick={() => apply(p)}
            data-testid="custom-preset"
            data-preset={p.id}
          >
            {p.title}
          </button>
        ))}
      </div>
      <ErrorBanner error={errors.banner} testId="custom-error" />
      <div className="custom-form__grid">
        <Field {...field('label')} label="Label" required className="span-all">
          {(p) => <input {...p} ref={labelRef} className="input" type="text" maxLength={200} autoComplete="off" {...bind('label')} />}
        </Field>
        <Field {...field('recipient')} label="Recipient" required>
          {choices('recipient', vocabulary.custom_recipients, recipientWords)}
        </Field>
        <Field {...field('trigger')} label="Clock starts at" required>
          {choices('trigger', vocabulary.custom_triggers, triggerWords)}
        </Field>
        <Field {...field('clock')} label="Clock" required>
          {choices('clock', vocabulary.custom_clocks, clockWords)}
        </Field>
        {takesAmount ? (
          <Field {...field('amount')} label={sentenceCase(clockWords(values.clock))} required>
            {(p) => <input {...p} className="input input--num" type="number" min={1} step={1} inputMode="numeric" {...bind('amount')} />}
          </Field>
        ) : (
          <div className="custom-form__none" aria-hidden="true" />
        )}
        <p className="custom-form__reads span-all" aria-live="polite">
          Reads: <strong>{describeClock(values.clock, takesAmount && values.amount !== '' ? Number(values.amount) : null, values.trigger, { clock: clockWords, trigger: triggerWords })}</strong>
        </p>
        <Field {...field('reference')} label="Reference" hint="Contract and clause, policy, or resolution." className="span-2">
          {(p) => <input {...p} className="input" type="text" maxLength={500} placeholder="e.g. MSA §12.3 / BAA §5(b)" {...bind('reference')} />}
        </Field>
        <Field {...field('channel')} label="Channel" hint="How to notify.">
          {(p) => <input {...p} className="input" type="text" maxLength={200} placeholder="e.g. email, portal" {...bind('channel')} />}
        </Field>
        <Field {...field('address')} label="Address" hint="Where to send it.">
          {(p) => <input {...p} className="input" type="text" maxLength={500} placeholder="e.g. privacy@partner.example" {...bind('address')} />}
        </Field>
      </div>
      <FormActions busy={busy} onCancel={onCancel} cancelTestId="custom-cancel" submitTestId="custom-submit">
        Add obligation
      </FormActions>
    </form>
  );
}
