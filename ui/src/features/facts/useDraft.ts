import { useCallback, useMemo, useState } from 'react';
import type { ErrorBody, Incident, IncidentFacts } from '../../lib/ipc/bindings';
import { errorText } from '../../lib/ipc/errors';
import { jurisdictionOptions } from '../../lib/jurisdictions';
import { useSession } from '../shell';
import { baseline, buildDraft, checkValues, errorKeyFor, isDirty, type FactsValues } from './draft';
import { usePreview } from './usePreview';

/**
 * The editing state shared by the facts editor and the what-if sandbox: values, the draft they
 * make, the debounced preview, and every error placed at its field (or left for the banner).
 */
export function useDraft(incident: Incident, facts: IncidentFacts) {
  const { vocabulary } = useSession();
  const options = useMemo(() => jurisdictionOptions(vocabulary.us_jurisdictions, vocabulary.countries), [vocabulary]);
  const base = useMemo(() => baseline(incident, facts), [incident, facts]);
  const [values, setValues] = useState<FactsValues>(base.values);
  // An error from saving, shown until the next edit.
  const [saveError, setSaveError] = useState<ErrorBody | null>(null);

  const clientErrors = useMemo(() => checkValues(values, options), [values, options]);
  const valid = Object.keys(clientErrors).length === 0;
  const draft = useMemo(() => (valid ? buildDraft(values, base, options) : null), [valid, values, base, options]);
  const preview = usePreview(incident.id, draft);

  const backendError = saveError ?? preview.error;
  const placedKey = backendError && backendError.code === 'validation' ? errorKeyFor(backendError.field) : null;
  const errors: Record<string, string> = { ...clientErrors };
  if (backendError && placedKey !== null && valid) errors[placedKey] = errorText(backendError, { inline: true });
  const banner = valid && backendError && placedKey === null ? backendError : null;

  const change = useCallback((update: (v: FactsValues) => FactsValues) => {
    setValues(update);
    setSaveError(null);
  }, []);
  const reset = useCallback(() => {
    setValues(base.values);
    setSaveError(null);
  }, [base]);

  return {
    vocabulary,
    options,
    values,
    change,
    reset,
    draft,
    preview,
    errors,
    banner,
    setSaveError,
    dirty: isDirty(values, base.values),
    /** The preview matches the values on screen and has no error. */
    settled: valid && !preview.pending && preview.error === null,
  };
}
