import { useCallback, useState } from 'react';
import type { ErrorBody, ImportOptions, ImportReport } from '../../lib/ipc/bindings';
import { api } from '../../lib/ipc/client';
import { useJobRun, type LiveJob } from '../../lib/useJobRun';

/** A run under way: the latest progress report and the recent ones the rate is taken from. */
export type Live = LiveJob & { dryRun: boolean };

export type Outcome = { ok: true; report: ImportReport } | { ok: false; error: ErrorBody };

/**
 * Runs an import (or its dry-run check) as a job with its progress events; `stop` asks the
 * backend to cancel that job, and the run then ends with an error of code "cancelled" (nothing written).
 */
export function useImportRun(incidentId: string) {
  const { live: jobLive, run: runJob, stop } = useJobRun();
  const [dryRun, setDryRun] = useState(false);

  const run = useCallback(
    async (path: string, options: ImportOptions): Promise<Outcome> => {
      setDryRun(options.dry_run);
      const r = await runJob((id) => api.importIndividuals({ incident_id: incidentId, path, options, job: id }));
      return r.ok ? { ok: true, report: r.value } : r;
    },
    [incidentId, runJob],
  );

  const live: Live | null = jobLive ? { ...jobLive, dryRun } : null;
  return { live, run, stop };
}
