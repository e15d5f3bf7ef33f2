import { useState } from 'react';
import type { ErrorBody } from '../../lib/ipc/bindings';
import { api } from '../../lib/ipc/client';
import { errorText, toErrorBody } from '../../lib/ipc/errors';
import { Button } from '../../components/Button';

type Result = { ok: true; path: string } | { ok: false; error: ErrorBody };

/** Saves the open deadlines as an .ics file for the team's calendars. */
export function ExportIcs({ incidentId }: { incidentId: string }) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | null>(null);

  async function run() {
    setBusy(true);
    setResult(null);
    try {
      setResult({ ok: true, path: await api.exportIcs({ id: incidentId }) });
    } catch (e) {
      setResult({ ok: false, error: toErrorBody(e) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="export">
      <Button size="sm" onClick={run} busy={busy} testId="export-ics" title="Save the open deadlines as a calendar file (.ics)">
        <CalendarIcon />
        Export .ics
      </Button>
      {result && (
        <p className={result.ok ? 'export__result export__result--ok' : 'export__result export__result--bad'} role={result.ok ? 'status' : 'alert'} data-testid="export-result" data-ok={result.ok}>
          {result.ok ? (
            <>
              Saved to <code className="path">{result.path}</code>
            </>
          ) : (
            errorText(result.error)
          )}
        </p>
      )}
    </div>
  );
}

function CalendarIcon() {
  return (
    <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.5">
      <rect x="2" y="3" width="12" height="11" rx="1.5" />
      <path d="M2 6.5h12M5.5 1.5v3M10.5 1.5v3" strokeLinecap="round" />
    </svg>
  );
}
