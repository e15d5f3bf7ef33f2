import { useState, type FormEvent } from 'react';
import { useFormErrors, type FieldErrors } from './useFormErrors';

export type FormValues<F extends string> = Record<F, string>;

/**
 * A small text form: its values, whether it is sending, and its errors (see useFormErrors).
 * Editing a field forgets that field's error; `submit` checks the values on the client first,
 * then sends, and puts a failure under its field or in the banner.
 */
export function useFormState<F extends string>(fields: readonly F[], initial: FormValues<F> | (() => FormValues<F>)) {
  const [values, setValues] = useState<FormValues<F>>(initial);
  const [busy, setBusy] = useState(false);
  const errors = useFormErrors(fields);

  const set = (f: F, v: string) => {
    setValues((old) => ({ ...old, [f]: v }));
    errors.clear(f);
  };

  /**
   * For a form's onSubmit: clears the errors, shows what `check` finds (and stops there), else
   * runs `send` while busy. After a failure the form is usable again; after success it stays busy
   * (the caller usually closes it). With `alsoBanner`, a failure put under its field is also shown
   * in the banner.
   */
  async function submit(e: FormEvent, check: () => FieldErrors<F>, send: () => Promise<void>, { alsoBanner = false }: { alsoBanner?: boolean } = {}) {
    e.preventDefault();
    errors.reset();
    const found = check();
    if (Object.keys(found).length > 0) {
      errors.setFieldErrors(found);
      return;
    }
    setBusy(true);
    try {
      await send();
    } catch (err) {
      errors.show(err, { alsoBanner });
      setBusy(false);
    }
  }

  return { values, setValues, set, busy, errors, submit };
}
