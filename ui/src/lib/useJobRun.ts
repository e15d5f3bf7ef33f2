import { useCallback, useRef, useState } from 'react';
import type { ErrorBody, Progress } from './ipc/bindings';
import { newJobId, onJobProgress, api } from './ipc/client';
import { toErrorBody } from './ipc/errors';
import { addSample, type Sample } from './progress';

/** A job under way: the latest progress report and the recent ones the rate is taken from. */
export type LiveJob = { startedAt: number; progress: Progress | null; samples: Sample[]; stopping: boolean };

export type JobOutcome<T> = { ok: true; value: T } | { ok: false; error: ErrorBody };

/**
 * Runs long backend jobs (`run(start)`: `start` gets the job's id) with their progress events;
 * `stop` asks the backend to cancel the running one between steps. `live` is set while it runs.
 */
export function useJobRun() {
  const [live, setLive] = useState<LiveJob | null>(null);
  const job = useRef<string | null>(null);

  const run = useCallback(async <T,>(start: (job: string) => Promise<T>): Promise<JobOutcome<T>> => {
    const startedAt = Date.now();
    const id = newJobId();
    job.current = id;
    setLive({ startedAt, progress: null, samples: [{ at: startedAt, rows: 0, bytes: 0 }], stopping: false });
    let unlisten: (() => void) | null = null;
    try {
      // Subscribed before the job starts, so the first reports are not missed.
      unlisten = await onJobProgress(id, (p) =>
        setLive((l) => (l ? { ...l, progress: p, samples: addSample(l.samples, { at: Date.now(), rows: p.rows, bytes: p.bytes }) } : l)),
      );
    } catch {
      // No events: the job still works, the bar just cannot move.
    }
    try {
      return { ok: true, value: await start(id) };
    } catch (e) {
      return { ok: false, error: toErrorBody(e) };
    } finally {
      unlisten?.();
      job.current = null;
      setLive(null);
    }
  }, []);

  const stop = useCallback(async () => {
    setLive((l) => (l ? { ...l, stopping: true } : l));
    const id = job.current;
    if (id === null) return;
    try {
      await api.cancelJob({ job: id });
    } catch {
      // The job ends by itself; nothing to add.
    }
  }, []);

  return { live, run, stop };
}
