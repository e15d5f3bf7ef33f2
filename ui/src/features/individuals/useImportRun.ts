import { useCallback, useRef, useState } from 'react';
import type { ErrorBody, ImportOptions, ImportReport, Progress } from '../../lib/ipc/bindings';
import { api, newJobId, onJobProgress } from '../../lib/ipc/client';
import { toErrorBody } from '../../lib/ipc/errors';
import { addSample, type Sample } from './progress';

/** A run under way: the latest progress report and the recent ones the rate is taken from. */
export type Live = {
  dryRun: boolean;
  startedAt: number;
  progress: Progress | null;
  samples: Sample[];
  stopping: boolean;
};

export type Outcome = { ok: true; report: ImportReport } | { ok: false; error: ErrorBody };

/**
 * Runs an import (or its dry-run check) as a job with its progress events; `stop` asks the
 * backend to cancel that job, and the run then ends with an error of code "cancelled" (nothing written).
 */
export function useImportRun(incidentId: string) {
  const [live, setLive] = useState<Live | null>(null);
  const job = useRef<string | null>(null);

  const run = useCallback(
    async (path: string, options: ImportOptions): Promise<Outcome> => {
      const startedAt = Date.now();
      const id = newJobId();
      job.current = id;
      setLive({ dryRun: options.dry_run, startedAt, progress: null, samples: [{ at: startedAt, rows: 0, bytes: 0 }], stopping: false });
      let unlisten: (() => void) | null = null;
      try {
        // Subscribed before the run starts, so the first reports are not missed.
        unlisten = await onJobProgress(id, (p) =>
          setLive((l) => (l ? { ...l, progress: p, samples: addSample(l.samples, { at: Date.now(), rows: p.rows, bytes: p.bytes }) } : l)),
        );
      } catch {
        // No events: the run still works, the bar just cannot move.
      }
      try {
        return { ok: true, report: await api.importIndividuals({ incident_id: incidentId, path, options, job: id }) };
      } catch (e) {
        return { ok: false, error: toErrorBody(e) };
      } finally {
        unlisten?.();
        job.current = null;
        setLive(null);
      }
    },
    [incidentId],
  );

  const stop = useCallback(async () => {
    setLive((l) => (l ? { ...l, stopping: true } : l));
    const id = job.current;
    if (id === null) return;
    try {
      await api.cancelJob({ job: id });
    } catch {
      // The run ends by itself; nothing to add.
    }
  }, []);

  return { live, run, stop };
}
