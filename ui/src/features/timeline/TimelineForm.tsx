import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { Incident, NewTimelineEntry, TimelineEntry } from '../../lib/ipc/bindings';
import { api } from '../../lib/ipc/client';
import { useFormErrors, type FieldErrors } from '../../lib/useFormErrors';
import { humanise } from '../../lib/labels';
import { nowInZone, whenParts } from '../../lib/time';
import { Field } from '../../components/Field';
import { Button } from '../../components/Button';
import { Banner } from '../../components/Banner';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useSession } from '../shell';

const FIELDS = ['occurred_at', 'kind', 'description', 'who'] as const;
type TlField = (typeof FIELDS)[number];
type Values = Record<TlField, string>;

const DEFAULT_KIND = 'note';

type Props = {
  incident: Incident;
  /** The entry being corrected, or null to add a plain entry. */
  correcting: TimelineEntry | null;
  onCancelCorrection: () => void;
  onAdded: () => Promise<void>;
};

function initialValues(incident: Incident, correcting: TimelineEntry | null): Values {
  return {
    occurred_at: (correcting && whenParts(correcting.occurred_at)?.local) ?? nowInZone(incident.timezone),
    kind: correcting?.kind ?? DEFAULT_KIND,
    description: correcting?.description ?? '',
    who: '',
  };
}

function check(v: Values): FieldErrors<TlField> {
  const found: FieldErrors<TlField> = {};
  if (v.occurred_at === '') found.occurred_at = 'When did it happen? This is required.';
  if (v.description.trim() === '') found.description = 'Describe what happened.';
  return found;
}

/** Adds an entry, or a correction of one, to the timeline. */
export function TimelineForm({ incident, correcting, onCancelCorrection, onAdded }: Props) {
  const { vocabulary, userName } = useSession();
  const [values, setValues] = useState<Values>(() => initialValues(incident, correcting));
  const [busy, setBusy] = useState(false);
  const errors = useFormErrors(FIELDS);
  const formRef = useRef<HTMLFormElement>(null);
  const descriptionRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (correcting) {
      formRef.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
      descriptionRef.current?.focus();
    }
  }, [correcting]);

  const set = (field: TlField, value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    errors.clear(field);
  };

  async function submit(e?: FormEvent) {
    e?.preventDefault();
    if (busy) return;
    errors.reset();
    const found = check(values);
    if (Object.keys(found).length > 0) {
      errors.setFieldErrors(found);
      return;
    }
    const input: NewTimelineEntry = {
      occurred_at: values.occurred_at,
      kind: values.kind,
      description: values.description.trim(),
      who: values.who.trim() === '' ? null : values.who.trim(),
      corrects: correcting?.id ?? null,
    };
    setBusy(true);
    try {
      await api.addTimelineEntry({ incident_id: incident.id, input });
      await onAdded();
    } catch (err) {
      errors.show(err);
      setBusy(false);
    }
  }

  // Enter adds a newline in the description; Ctrl+Enter (or Cmd+Enter) submits.
  const submitOnCtrlEnter = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void submit();
    }
  };

  return (
    <form ref={formRef} className={correcting ? 'tl-form tl-form--correcting' : 'tl-form'} data-testid="timeline-form" onSubmit={submit} noValidate>
      <h3 className="tl-form__title">{correcting ? 'Add a correction' : 'Add an entry'}</h3>
      {correcting && (
        <Banner
          tone="warning"
          testId="tl-correcting"
          action={
            <Button size="sm" variant="ghost" onClick={onCancelCorrection} testId="tl-cancel-correction">
              Cancel
            </Button>
          }
        >
          Correcting: <span className="tl-form__original">{correcting.description}</span>
        </Banner>
      )}
      <ErrorBanner error={errors.banner} testId="tl-error" />
      <div className="tl-form__grid">
        <Field id="tl-occurred-at" label="When" testId="tl-occurred-at" errorTestId="error-tl-occurred_at" error={errors.fieldErrors.occurred_at} hint={`In ${incident.timezone}`} required className="tl-form__when">
          {(p) => <input {...p} className="input input--datetime" type="datetime-local" value={values.occurred_at} onChange={(e) => set('occurred_at', e.target.value)} />}
        </Field>
        <Field id="tl-kind" label="Kind" testId="tl-kind" errorTestId="error-tl-kind" error={errors.fieldErrors.kind}>
          {(p) => (
            <select {...p} className="input select" value={values.kind} onChange={(e) => set('kind', e.target.value)}>
              {vocabulary.timeline_kinds.map((k) => (
                <option key={k} value={k}>
                  {humanise(k)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="tl-who" label="Who" testId="tl-who" errorTestId="error-tl-who" error={errors.fieldErrors.who} hint="Who did or saw it; defaults to you.">
          {(p) => <input {...p} className="input" type="text" maxLength={200} placeholder={userName ?? ''} value={values.who} onChange={(e) => set('who', e.target.value)} />}
        </Field>
        <Field
          id="tl-description"
          label="What happened"
          testId="tl-description"
          errorTestId="error-tl-description"
          error={errors.fieldErrors.description}
          hint="Ctrl+Enter adds the entry."
          required
          className="span-all"
        >
          {(p) => (
            <textarea
              {...p}
              ref={descriptionRef}
              className="input textarea"
              rows={3}
              value={values.description}
              onChange={(e) => set('description', e.target.value)}
              onKeyDown={submitOnCtrlEnter}
            />
          )}
        </Field>
      </div>
      <div className="form-actions form-actions--end">
        <Button type="submit" variant="primary" busy={busy} testId="tl-submit">
          {correcting ? 'Add correction' : 'Add entry'}
        </Button>
      </div>
    </form>
  );
}
