import { useCallback, useState } from 'react';
import type { ErrorBody } from './ipc/bindings';
import { errorText, toErrorBody } from './ipc/errors';

export type FieldErrors<F extends string> = Partial<Record<F, string>>;

/**
 * Per-field errors plus one banner for everything else. A validation error naming one of
 * `fields` goes under that field; any other error goes to the banner.
 */
export function useFormErrors<F extends string>(fields: readonly F[]) {
  const [fieldErrors, setFieldErrors] = useState<FieldErrors<F>>({});
  const [banner, setBanner] = useState<ErrorBody | null>(null);

  const isField = useCallback((f: string | null): f is F => f !== null && (fields as readonly string[]).includes(f), [fields]);

  /** Shows a backend (or client) error where it belongs; returns whether it went under a field. */
  const show = useCallback(
    (err: unknown, { alsoBanner = false }: { alsoBanner?: boolean } = {}): boolean => {
      const e = toErrorBody(err);
      if (e.code === 'validation' && isField(e.field)) {
        const field = e.field;
        setFieldErrors({ [field]: errorText(e, { inline: true }) } as FieldErrors<F>);
        setBanner(alsoBanner ? e : null);
        return true;
      }
      setFieldErrors({});
      setBanner(e);
      return false;
    },
    [isField],
  );

  /** Forgets the error of a field once the user edits it. */
  const clear = useCallback((f: F) => {
    setFieldErrors((prev) => {
      if (prev[f] === undefined) return prev;
      const next = { ...prev };
      delete next[f];
      return next;
    });
  }, []);

  const reset = useCallback(() => {
    setFieldErrors({});
    setBanner(null);
  }, []);

  return { fieldErrors, setFieldErrors, banner, setBanner, show, clear, reset };
}
