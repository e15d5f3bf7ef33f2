import { useCallback, useEffect, useRef, useState } from 'react';
import type { Reminder } from '../../lib/ipc/bindings';
import { api, onReminders } from '../../lib/ipc/client';

export type Toast = { id: number; reminder: Reminder };

const TOAST_MS = 10_000;

/** Two reminders are the same when they are for the same clock at the same stage and due time. */
const same = (a: Reminder, b: Reminder) => a.key === b.key && a.stage === b.stage && a.due === b.due;

/**
 * The reminders of this session: the backend's log on start, then every batch it pushes. New
 * ones also come up as toasts for a few seconds; `unseen` counts those not yet looked at.
 */
export function useReminders() {
  const [list, setList] = useState<Reminder[]>([]);
  const [unseen, setUnseen] = useState(0);
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [listenError, setListenError] = useState(false);
  const nextToast = useRef(0);

  const dismiss = useCallback((id: number) => setToasts((t) => t.filter((x) => x.id !== id)), []);

  useEffect(() => {
    let stop: (() => void) | null = null;
    let alive = true;
    api.reminderLog().then(
      (log) => {
        if (!alive) return;
        setList((current) => [...current, ...log.filter((r) => !current.some((c) => same(c, r)))]);
        setUnseen((n) => n + log.length);
      },
      () => {
        /* no log yet (store locked or an older backend): the live feed still works */
      },
    );
    onReminders((batch) => {
      if (!alive || batch.length === 0) return;
      setList((current) => [...batch.filter((r) => !current.some((c) => same(c, r))), ...current]);
      setUnseen((n) => n + batch.length);
      const fresh = batch.map((reminder) => ({ id: ++nextToast.current, reminder }));
      // At most two at a time: the rest wait in the Reminders panel (the bell counts them).
      setToasts((t) => [...fresh, ...t].slice(0, 2));
      for (const f of fresh) window.setTimeout(() => dismiss(f.id), TOAST_MS);
    }).then(
      (unlisten) => {
        if (alive) stop = unlisten;
        else unlisten();
      },
      () => {
        if (alive) setListenError(true);
      },
    );
    return () => {
      alive = false;
      stop?.();
    };
  }, [dismiss]);

  const markSeen = useCallback(() => setUnseen(0), []);

  return { list, unseen, toasts, dismiss, markSeen, listenError };
}
