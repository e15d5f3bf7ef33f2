import { useEffect, useRef, useState } from 'react';
import type { ErrorBody, FactsDraft, FactsPreview } from '../../lib/ipc/bindings';
import { api } from '../../lib/ipc/client';
import { toErrorBody } from '../../lib/ipc/errors';

export type Preview = {
  /** The last good answer (kept on screen while a newer one is on its way). */
  preview: FactsPreview | null;
  /** Why the current draft cannot be computed. */
  error: ErrorBody | null;
  pending: boolean;
};

/**
 * Asks the backend what `draft` would change, `delayMs` after the last edit; answers to older
 * drafts are dropped. A null draft (the editor sees a problem itself) asks nothing.
 */
export function usePreview(incidentId: string, draft: FactsDraft | null, delayMs = 300): Preview {
  const [state, setState] = useState<Preview>({ preview: null, error: null, pending: draft !== null });
  const ticket = useRef(0);
  const key = draft === null ? null : JSON.stringify(draft);

  useEffect(() => {
    const mine = ++ticket.current;
    if (key === null) {
      setState((s) => ({ ...s, error: null, pending: false }));
      return undefined;
    }
    setState((s) => ({ ...s, pending: true }));
    const timer = window.setTimeout(() => {
      api.previewDraft({ id: incidentId, draft: JSON.parse(key) as FactsDraft }).then(
        (preview) => {
          if (mine === ticket.current) setState({ preview, error: null, pending: false });
        },
        (e: unknown) => {
          if (mine === ticket.current) setState((s) => ({ ...s, error: toErrorBody(e), pending: false }));
        },
      );
    }, delayMs);
    return () => window.clearTimeout(timer);
  }, [incidentId, key, delayMs]);

  return state;
}
