import type { ReactNode } from 'react';
import type { Incident, Vocabulary } from '../../lib/ipc/bindings';
import { jurisdictionName, type JurisdictionOption } from '../../lib/jurisdictions';
import { dataTypeLabel } from '../../lib/labels';
import { formatDue } from '../../lib/time';
import { Field, type ControlProps } from '../../components/Field';
import { LEGAL_TIMESTAMPS } from '../incidents';
import { AffectedTable } from './AffectedTable';
import { NOTIFIED_UNDER, PATCH_TIMES, type FactTime, type FactsValues, type Flag } from './draft';

/** The keys of the values that hold text (times, choices, words). */
type TextKey = { [K in keyof FactsValues]: FactsValues[K] extends string ? K : never }[keyof FactsValues];
/** The keys of the values that are yes or no. */
type BoolKey = { [K in keyof FactsValues]: FactsValues[K] extends boolean ? K : never }[keyof FactsValues];

type Props = {
  /** "fact" (the editor) or "whatif" (the sandbox): prefixes ids and test ids. */
  prefix: 'fact' | 'whatif';
  incident: Incident;
  vocabulary: Vocabulary;
  options: JurisdictionOption[];
  values: FactsValues;
  errors: Record<string, string>;
  onChange: (update: (v: FactsValues) => FactsValues) => void;
  /** People on the imported list (0: none): their counts replace the affected numbers at each import. */
  listTotal?: number;
};

const FLAG_TEXT: Record<Flag, { label: string; hint: string }> = {
  high_risk: { label: 'High risk to individuals', hint: 'GDPR Art. 34: likely to result in a high risk to people’s rights and freedoms, so they must be told.' },
  sec_registrant: { label: 'SEC registrant', hint: 'A public company: a material incident goes on Form 8-K Item 1.05 within 4 business days of the materiality determination.' },
  nydfs_covered: { label: 'NYDFS-covered entity', hint: 'Licensed by the New York Department of Financial Services (23 NYCRR 500.17).' },
  nis2_entity: { label: 'NIS2 essential or important entity', hint: 'EU: early warning to the CSIRT within 24 hours of awareness of a significant incident.' },
  phr_vendor: { label: 'Vendor of personal health records', hint: 'FTC Health Breach Notification Rule (applies where HIPAA does not).' },
  glba_financial_institution: {
    label: 'Financial institution under the FTC Safeguards Rule',
    hint: 'Non-bank lenders, brokers, dealers, tax preparers… (16 CFR 314): the FTC within 30 days when 500 or more consumers are affected.',
  },
  dora_financial_entity: { label: 'EU financial entity under DORA', hint: 'A major ICT-related incident is reported to the competent authority: initial, intermediate and final reports.' },
  dora_next_working_day: {
    label: 'May report by noon of the next working day (DORA Art. 5(4))',
    hint: 'Not for the initial and intermediate reports of credit institutions, central counterparties, trading venues or NIS2 essential/important entities (Art. 5(5)).',
  },
  encrypted: { label: 'The exposed data was encrypted', hint: 'Most laws do not count encrypted data: their notices become exempt (encryption safe harbour).' },
  key_compromised: { label: 'The key or password was compromised too', hint: 'Then no encryption safe harbour holds: every notice is required again.' },
};

const FACT_TIME_TEXT: Record<Exclude<FactTime, 'materiality_determined_at'>, { label: string; hint: string }> = {
  extortion_payment_at: { label: 'Extortion payment made (NYDFS)', hint: '23 NYCRR 500.17(c): notice within 24 hours of a ransom payment, its reasons within 30 days.' },
  classified_major_at: { label: 'Classified as major (DORA)', hint: 'The initial notification is due 4 hours after the classification, at the latest 24 hours after awareness.' },
  nis2_intermediate_requested_at: { label: 'Intermediate report requested (NIS2)', hint: 'When the CSIRT or authority asked for an intermediate report (Art. 23(4)(c)).' },
};

const BANK_REGULATORS = [
  ['', 'Not a bank (or not supervised by one of these)'],
  ['occ', 'OCC (national banks, federal savings associations)'],
  ['frb', 'Federal Reserve (state member banks, holding companies)'],
  ['fdic', 'FDIC (state non-member banks)'],
] as const;

const HIPAA_ROLES = [
  ['', 'Not a HIPAA covered entity or business associate'],
  ['covered_entity', 'Covered entity'],
  ['business_associate', 'Business associate'],
] as const;

const GDPR_ROLES = [
  ['', 'Not applicable'],
  ['controller', 'Controller'],
  ['processor', 'Processor'],
] as const;

const HOLD_FORMS = [
  ['written', 'Written'],
  ['oral', 'Oral'],
] as const;

/** The controls of the facts editor and the what-if sandbox (state lives with the caller). */
export function FactsForm({ prefix, incident, vocabulary, options, values, errors, onChange, listTotal = 0 }: Props) {
  const zone = incident.timezone;
  const id = (name: string) => `${prefix}-${name}`;
  const set = <K extends keyof FactsValues>(key: K, value: FactsValues[K]) => onChange((v) => ({ ...v, [key]: value }));
  const field = (name: string) => ({ id: id(name), testId: id(name), errorTestId: `${id('error')}-${name}`, error: errors[name] });
  /** A field whose error comes under `path` (a nested fact) but whose ids use `name`. */
  const fieldAt = (path: string, name: string) => ({ ...field(path), id: id(name), testId: id(name) });
  /** The id and state of a checkbox bound to one of the values. */
  const tick = (key: BoolKey) => ({ id: id(key), checked: values[key], onChange: (c: boolean) => set(key, c) });
  /** A checkbox for one of the flags, with its label, hint and error. */
  const flag = (f: Flag) => ({ ...tick(f), ...FLAG_TEXT[f], error: errors[f] });
  /** Checkboxes choosing any of `options` ([value, label]) for a list value; ids are `<idPrefix>-<value>`. */
  const several = (key: 'data_types' | 'notified_under', idPrefix: string, options: readonly (readonly [string, string])[]) => (
    <div className="dtypes__grid">
      {options.map(([v, label]) => {
        const checked = values[key].includes(v);
        return (
          <label key={v} className={checked ? 'dtype dtype--on' : 'dtype'}>
            <input
              type="checkbox"
              id={id(`${idPrefix}-${v}`)}
              checked={checked}
              data-testid={id(`${idPrefix}-${v}`)}
              onChange={(e) => set(key, e.target.checked ? [...values[key], v] : values[key].filter((x) => x !== v))}
            />
            {label}
          </label>
        );
      })}
    </div>
  );
  /** A date and time input bound to one of the values. */
  const dateTime = (key: TextKey) => (p: ControlProps) => (
    <input {...p} className="input input--datetime" type="datetime-local" value={values[key]} onChange={(e) => set(key, e.target.value)} />
  );
  /** A select over [value, label] pairs bound to one of the values. */
  const pick = (key: TextKey, choices: readonly (readonly [string, string])[]) => (p: ControlProps) => (
    <select {...p} className="input select" value={values[key]} onChange={(e) => set(key, e.target.value)}>
      {choices.map(([v, label]) => (
        <option key={v} value={v}>
          {label}
        </option>
      ))}
    </select>
  );
  // Discovery after detection needs a written reason (local times in one zone compare as text).
  const detectedLocal = incident.detected_at.slice(0, 16);
  const needsReason = values.discovered_at !== '' && values.discovered_at > detectedLocal;

  return (
    <div className="facts-form card">
      <Section title="Key times" lead={`Wall-clock times in ${zone}. Detected ${formatDue(incident.detected_at, zone)}.`}>
        <div className="facts-form__grid">
          {PATCH_TIMES.map((f) => {
            const t = LEGAL_TIMESTAMPS.find((l) => l.field === f);
            return (
              <Field key={f} {...field(f)} label={t?.label ?? f} hint={t?.hint}>
                {dateTime(f)}
              </Field>
            );
          })}
          <Field {...field('materiality_determined_at')} label="Materiality determined (SEC)" hint="When the registrant determined the incident is material; the Form 8-K clock starts here.">
            {dateTime('materiality_determined_at')}
          </Field>
          {(['extortion_payment_at', 'classified_major_at', 'nis2_intermediate_requested_at'] as const).map((f) => (
            <Field key={f} {...field(f)} label={FACT_TIME_TEXT[f].label} hint={FACT_TIME_TEXT[f].hint}>
              {dateTime(f)}
            </Field>
          ))}
          {(needsReason || values.discovery_gap_reason !== '' || errors.discovery_gap_reason !== undefined) && (
            <Field
              {...field('discovery_gap_reason')}
              label="Why discovery came after detection"
              hint="Required when discovery is later than detection: the legal clocks run from discovery."
              required={needsReason}
              className="span-all"
            >
              {(p) => <textarea {...p} className="input textarea" rows={2} value={values.discovery_gap_reason} onChange={(e) => set('discovery_gap_reason', e.target.value)} />}
            </Field>
          )}
        </div>
      </Section>

      <Section title="Who you are">
        <div className="facts-form__grid">
          <Field {...field('hipaa_role')} label="HIPAA role">
            {pick('hipaa_role', HIPAA_ROLES)}
          </Field>
          <Field {...field('gdpr_role')} label="GDPR role">
            {pick('gdpr_role', GDPR_ROLES)}
          </Field>
        </div>
        <div className="facts-form__grid">
          <Field {...field('bank_regulator')} label="Bank: primary federal regulator" hint="A banking organization notifies it within 36 hours of determining a notification incident.">
            {pick('bank_regulator', BANK_REGULATORS)}
          </Field>
          <Field {...field('insurance_home_state')} label="Insurance licensee: home state" hint="State insurance data security laws: the commissioner within days of determining a cybersecurity event.">
            {(p) => (
              <select {...p} className="input select" value={values.insurance_home_state} onChange={(e) => set('insurance_home_state', e.target.value)}>
                <option value="">Not an insurance licensee</option>
                {vocabulary.us_jurisdictions.map((j) => (
                  <option key={j} value={j}>
                    {j} — {jurisdictionName(j) ?? j}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <div className="checks">
          {(['phr_vendor', 'sec_registrant', 'nydfs_covered', 'nis2_entity', 'glba_financial_institution', 'dora_financial_entity', 'dora_next_working_day'] as const).map((f) => (
            <Check key={f} {...flag(f)} />
          ))}
        </div>
      </Section>

      <Section title="The breach">
        <div className="checks checks--single">
          <Check {...flag('high_risk')} />
        </div>
        <fieldset className="dtypes" aria-describedby={errors.data_types ? id('data_types-error') : undefined} data-testid={id('data_types')}>
          <legend className="field__label">Data involved</legend>
          {several('data_types', 'data_type', vocabulary.data_types.map((t) => [t, dataTypeLabel(t)] as const))}
          {errors.data_types && (
            <p className="field__error" id={id('data_types-error')} data-testid={`${id('error')}-data_types`}>
              {errors.data_types}
            </p>
          )}
        </fieldset>
      </Section>

      <Section title="Affected people" lead="By where they live: US states and territories (US-TX) or countries (DE, FR). Counts drive state attorney-general and media thresholds.">
        {listTotal > 0 && (
          <p className="form-section__note" data-testid={id('affected-from-list')}>
            These counts come from the imported list of {listTotal.toLocaleString('en-US')} people (Individuals tab). Each import, merge or
            rollback replaces them{prefix === 'whatif' ? '; here you can try other numbers without saving' : ', so change the list rather than the numbers'}.
          </p>
        )}
        <AffectedTable prefix={prefix} rows={values.affected} options={options} errors={errors} onChange={(rows) => set('affected', rows)} />
      </Section>

      <Section
        title="Exits from notifying"
        lead="What the laws’ exits depend on. Breachdesk proposes each exit with its citation; exits that rest on a judgement, or on law it holds at less than high confidence, wait for a person to confirm them in the obligations list, and their clocks keep running until then."
      >
        <div className="checks">
          {(['encrypted', 'key_compromised'] as const).map((f) => (
            <Check key={f} {...flag(f)} />
          ))}
        </div>
        <fieldset className="dtypes" data-testid={id('notified_under')}>
          <legend className="field__label">Notifying under another regime (deemed compliance)</legend>
          {several('notified_under', 'notified_under', NOTIFIED_UNDER)}
          {errors.notified_under && <p className="field__error">{errors.notified_under}</p>}
        </fieldset>
        <CheckWithDetails
          {...tick('harm')}
          label="An investigation concluded there is no reasonable likelihood of harm"
          hint="Some laws then need no notice — often only with a written determination kept for years, after consulting law enforcement, or with a copy to the attorney general."
        >
          <Field {...fieldAt('harm_determination.decided_at', 'harm_decided_at')} label="Determined" required>
            {dateTime('harm_decided_at')}
          </Field>
          <Field {...fieldAt('harm_determination.by', 'harm_by')} label="Determined by" hint="Name and role." required>
            {(p) => <input {...p} className="input" type="text" maxLength={200} value={values.harm_by} onChange={(e) => set('harm_by', e.target.value)} />}
          </Field>
          <Field {...fieldAt('harm_determination.rationale', 'harm_rationale')} label="Why" required className="span-all">
            {(p) => <textarea {...p} className="input textarea" rows={2} value={values.harm_rationale} onChange={(e) => set('harm_rationale', e.target.value)} />}
          </Field>
          <div className="span-all">
            <Check {...tick('harm_consulted')} label="Law enforcement was consulted before the determination" hint="Florida, DC and others accept the exit only then." />
          </div>
        </CheckWithDetails>
      </Section>

      <Section title="Law-enforcement hold">
        <CheckWithDetails
          {...tick('hold')}
          label="Law enforcement asked us to delay notice"
          hint="Only where a notice’s own law provides a delay, and only for the part of the hold inside that clock’s period; record its start, end and form."
        >
          <Field {...fieldAt('law_enforcement_hold.start', 'hold_start')} label="Hold starts" required>
            {dateTime('hold_start')}
          </Field>
          <Field {...fieldAt('law_enforcement_hold.end', 'hold_end')} label="Hold ends" required>
            {dateTime('hold_end')}
          </Field>
          <Field
            {...fieldAt('law_enforcement_hold.form', 'hold_form')}
            label="The request was"
            hint="HIPAA: an oral request delays notice at most 30 days unless a written one follows; some states accept only a written request."
          >
            {pick('hold_form', HOLD_FORMS)}
          </Field>
        </CheckWithDetails>
      </Section>
    </div>
  );
}

function Section({ title, lead, children }: { title: string; lead?: string; children: ReactNode }) {
  return (
    <section className="facts-form__section">
      <h3 className="facts-form__title">{title}</h3>
      {lead && <p className="facts-form__lead">{lead}</p>}
      {children}
    </section>
  );
}

/** A check on its own line; while it is ticked, the fields that go with it (`children`) below. */
function CheckWithDetails({ children, ...check }: CheckProps & { children: ReactNode }) {
  return (
    <>
      <div className="checks checks--single">
        <Check {...check} />
      </div>
      {check.checked && <div className="facts-form__grid">{children}</div>}
    </>
  );
}

type CheckProps = { id: string; label: string; hint?: string; checked: boolean; error?: string | undefined; onChange: (checked: boolean) => void };

function Check({ id, label, hint, checked, error, onChange }: CheckProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className={error ? 'check check--invalid' : 'check'}>
      <input
        type="checkbox"
        id={id}
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        aria-describedby={[errorId, hintId].filter(Boolean).join(' ') || undefined}
        aria-invalid={error ? true : undefined}
        data-testid={id}
      />
      <div className="check__text">
        <label htmlFor={id} className="check__label">
          {label}
        </label>
        {hint && (
          <p className="check__hint" id={hintId}>
            {hint}
          </p>
        )}
        {error && (
          <p className="field__error" id={errorId}>
            {error}
          </p>
        )}
      </div>
    </div>
  );
}
