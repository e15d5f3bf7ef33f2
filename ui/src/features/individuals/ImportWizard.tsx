import { useEffect, useState } from 'react';
import type { ErrorBody, FilePreview, ImportReport, Incident } from '../../lib/ipc/bindings';
import { api, pickSpreadsheet } from '../../lib/ipc/client';
import { errorText, toErrorBody } from '../../lib/ipc/errors';
import { Button } from '../../components/Button';
import { Banner } from '../../components/Banner';
import { ErrorBanner } from '../../components/ErrorBanner';
import { CheckSummary } from './CheckSummary';
import { FileStep } from './FileStep';
import { ImportProgress } from './ImportProgress';
import { ImportResult } from './ImportResult';
import { assignField, columnOfError, hasNameColumn, initialSelection, toMapping } from './mapping';
import { MappingStep } from './MappingStep';
import { SavedMappings } from './SavedMappings';
import { useImportRun } from './useImportRun';

type Phase =
  | { kind: 'file' }
  | { kind: 'mapping' }
  | { kind: 'checking' }
  | { kind: 'checked'; report: ImportReport }
  | { kind: 'importing'; check: ImportReport }
  | { kind: 'done'; report: ImportReport }
  | { kind: 'stopped'; during: 'check' | 'import'; check: ImportReport | null };

const STEPS = ['File', 'Columns', 'Check', 'Import'] as const;

function stepOf(p: Phase): number {
  switch (p.kind) {
    case 'file':
      return 0;
    case 'mapping':
      return 1;
    case 'checking':
    case 'checked':
      return 2;
    case 'stopped':
      return p.during === 'check' ? 2 : 3;
    case 'importing':
    case 'done':
      return 3;
  }
}

type Props = {
  incident: Incident;
  /** Told when a check or an import starts and ends (the store is busy meanwhile). */
  onBusy: (busy: boolean) => void;
  /** After an import has written: counts, imports and the table are fetched again. */
  onImported: () => Promise<void>;
  onClose: () => void;
};

/** File → columns → check (a dry run) → import, with progress and a way to stop. */
export function ImportWizard({ incident, onBusy, onImported, onClose }: Props) {
  const [phase, setPhase] = useState<Phase>({ kind: 'file' });
  const [path, setPath] = useState('');
  const [preview, setPreview] = useState<{ path: string; file: FilePreview } | null>(null);
  const [selection, setSelection] = useState<string[]>([]);
  const [reading, setReading] = useState(false);
  const [fileError, setFileError] = useState<string | undefined>(undefined);
  const [banner, setBanner] = useState<ErrorBody | null>(null);
  const [columnError, setColumnError] = useState<{ index: number; message: string } | null>(null);
  const importer = useImportRun(incident.id);

  const running = phase.kind === 'checking' || phase.kind === 'importing';
  useEffect(() => {
    onBusy(running);
  }, [running, onBusy]);
  useEffect(() => () => onBusy(false), [onBusy]);

  const clearErrors = () => {
    setFileError(undefined);
    setBanner(null);
    setColumnError(null);
  };

  async function readFile(p: string) {
    const target = p.trim();
    clearErrors();
    if (target === '') {
      setFileError('Type the path of a CSV or XLSX file, or choose one.');
      return;
    }
    setReading(true);
    try {
      const file = await api.previewImportFile({ path: target });
      setPreview({ path: target, file });
      setSelection(initialSelection(file.header, file.mapping));
      setPhase({ kind: 'mapping' });
    } catch (e) {
      const err = toErrorBody(e);
      // A file-level error names the file as its field.
      if (err.code === 'validation' || err.code === 'io') setFileError(errorText(err, { inline: true }));
      else setBanner(err);
    } finally {
      setReading(false);
    }
  }

  async function choose() {
    clearErrors();
    try {
      const picked = await pickSpreadsheet();
      if (picked) {
        setPath(picked);
        await readFile(picked);
      }
    } catch (e) {
      setBanner(toErrorBody(e));
    }
  }

  /** Puts a failed run's error where it belongs: the path, a column, or the banner. */
  function placeError(err: ErrorBody, otherwise: Phase) {
    const col = columnOfError(err.field, selection);
    if (err.code === 'validation' && err.field?.startsWith('mapping.')) {
      if (col !== null) setColumnError({ index: col, message: errorText(err, { inline: true }) });
      else setBanner(err);
      setPhase({ kind: 'mapping' });
    } else if (err.code === 'validation' && err.field === preview?.path) {
      setFileError(errorText(err, { inline: true }));
      setPhase({ kind: 'file' });
    } else {
      setBanner(err);
      setPhase(otherwise);
    }
  }

  async function check() {
    if (!preview) return;
    clearErrors();
    setPhase({ kind: 'checking' });
    const out = await importer.run(preview.path, { mapping: toMapping(preview.file.header, selection), dry_run: true, skip_invalid: true });
    if (out.ok) setPhase({ kind: 'checked', report: out.report });
    else if (out.error.code === 'cancelled') setPhase({ kind: 'stopped', during: 'check', check: null });
    else placeError(out.error, { kind: 'mapping' });
  }

  async function runImport(checked: ImportReport) {
    if (!preview) return;
    clearErrors();
    setPhase({ kind: 'importing', check: checked });
    const out = await importer.run(preview.path, { mapping: toMapping(preview.file.header, selection), dry_run: false, skip_invalid: true });
    if (out.ok) {
      setPhase({ kind: 'done', report: out.report });
      await onImported();
    } else if (out.error.code === 'cancelled') setPhase({ kind: 'stopped', during: 'import', check: checked });
    else placeError(out.error, { kind: 'checked', report: checked });
  }

  const restart = () => {
    clearErrors();
    setPreview(null);
    setPath('');
    setPhase({ kind: 'file' });
  };

  const step = stepOf(phase);
  const fileName = preview?.file.file_name ?? '';

  return (
    <section className="wizard card card--raised" data-testid="import-wizard" data-phase={phase.kind} aria-labelledby="import-wizard-title">
      <header className="wizard__head">
        <h3 className="wizard__title" id="import-wizard-title">
          Import affected individuals
        </h3>
        <ol className="stepper" aria-label="Steps">
          {STEPS.map((s, i) => (
            <li key={s} className={i < step ? 'stepper__step stepper__step--done' : i === step ? 'stepper__step stepper__step--current' : 'stepper__step'} aria-current={i === step ? 'step' : undefined}>
              <span className="stepper__num" aria-hidden="true">
                {i < step ? '✓' : i + 1}
              </span>
              {s}
            </li>
          ))}
        </ol>
        <button type="button" className="icon-btn wizard__close" onClick={onClose} disabled={running} aria-label="Close the import" data-testid="import-close">
          <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true">
            <path d="M3 3l6 6M9 3l-6 6" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
          </svg>
        </button>
      </header>

      <div className="wizard__body">
        <ErrorBanner error={banner} testId="import-error-banner" />

        {phase.kind === 'file' && <FileStep path={path} onPath={setPath} onChoose={choose} onPreview={() => void readFile(path)} busy={reading} error={fileError} />}

        {phase.kind === 'mapping' && preview && (
          <>
            <MappingStep
              preview={preview.file}
              selection={selection}
              onChange={(i, f) => {
                setColumnError(null);
                setSelection((s) => assignField(s, i, f));
              }}
              columnError={columnError}
              saved={
                <SavedMappings
                  preview={preview.file}
                  selection={selection}
                  zone={incident.timezone}
                  onApply={(next) => {
                    setColumnError(null);
                    setSelection(next);
                  }}
                  onColumnError={(index, message) => setColumnError({ index, message })}
                />
              }
            />
            <div className="wizard__actions">
              <Button variant="ghost" onClick={() => setPhase({ kind: 'file' })} testId="import-back">
                ← Another file
              </Button>
              <Button variant="primary" onClick={check} disabled={!hasNameColumn(selection)} testId="import-check">
                Check the file
              </Button>
            </div>
          </>
        )}

        {running && importer.live && <ImportProgress live={importer.live} fileName={fileName} onStop={() => void importer.stop()} />}

        {phase.kind === 'checked' && (
          <>
            <CheckSummary report={phase.report} />
            <CheckedActions
              report={phase.report}
              onRun={() => void runImport(phase.report)}
              onBack={() => {
                clearErrors();
                setPhase({ kind: 'mapping' });
              }}
              onCancel={onClose}
            />
          </>
        )}

        {phase.kind === 'stopped' && (
          <>
            <Banner tone="warning" testId="import-stopped">
              {phase.during === 'import' ? 'Stopped — nothing was imported.' : 'Check stopped — nothing was written.'}
            </Banner>
            <div className="wizard__actions">
              <Button variant="ghost" onClick={onClose} testId="import-cancel">
                Close
              </Button>
              {phase.check ? (
                <Button variant="primary" onClick={() => phase.check && setPhase({ kind: 'checked', report: phase.check })}>
                  Back to the check
                </Button>
              ) : (
                <Button variant="primary" onClick={() => setPhase({ kind: 'mapping' })}>
                  Back to the columns
                </Button>
              )}
            </div>
          </>
        )}

        {phase.kind === 'done' && (
          <>
            <ImportResult report={phase.report} zone={incident.timezone} />
            <div className="wizard__actions">
              <Button variant="ghost" onClick={restart} testId="import-another">
                Import another file
              </Button>
              <Button variant="primary" onClick={onClose} testId="import-done">
                Done
              </Button>
            </div>
          </>
        )}
      </div>
    </section>
  );
}

function CheckedActions({ report, onRun, onBack, onCancel }: { report: ImportReport; onRun: () => void; onBack: () => void; onCancel: () => void }) {
  const n = report.rows_valid.toLocaleString('en-US');
  const rejected = report.rows_rejected > 0;
  return (
    <div className="wizard__actions">
      {report.rows_valid === 0 && <p className="wizard__why">No row can be imported: fix the file or the columns, then check again.</p>}
      <Button variant="ghost" onClick={onBack} testId="import-remap">
        ← Columns
      </Button>
      <Button onClick={onCancel} testId="import-cancel">
        Cancel
      </Button>
      <Button variant="primary" onClick={onRun} disabled={report.rows_valid === 0} testId="import-run">
        {rejected ? `Import ${n} valid ${report.rows_valid === 1 ? 'row' : 'rows'}` : `Import ${n} ${report.rows_valid === 1 ? 'row' : 'rows'}`}
      </Button>
    </div>
  );
}
