import { useEffect, useRef, useState, type RefObject } from 'react';
import type { DuplicatePair, ErrorBody, Incident, ObligationChange, ScanResult } from '../../lib/ipc/bindings';
import { api } from '../../lib/ipc/client';
import { errorText, toErrorBody } from '../../lib/ipc/errors';
import { Button } from '../../components/Button';
import { ErrorBanner } from '../../components/ErrorBanner';
import { ChangeList } from '../facts';
import { decisionWords, differingFields, MAX_GROUP, QUEUE_LIMIT, reasonWords, scanSummary, sourceLabel, splitQueue } from './duplicates';
import { PairCompare } from './PairCompare';
import { useDuplicateQueue } from './useDuplicateQueue';

type Props = {
  incident: Incident;
  /** True while an import holds the store: nothing is fetched or decided. */
  busy: boolean;
  /** Bumped after an import, a rollback or a merge: the queue is fetched again. */
  version: number;
  seqOf: (batchId: string) => number | undefined;
  /** After a merge: the counts, the list and the obligations have changed. */
  onMerged: () => Promise<void>;
};

/** Waiting pairs shown at first, and added by each "Show more". */
const PAIRS_SHOWN = 5;

type Done = { kind: 'merged'; pair: DuplicatePair; changes: ObligationChange[] } | { kind: 'distinct'; pair: DuplicatePair };

/**
 * Probable duplicates (same name and date of birth, or same e-mail) waiting for a person: merge
 * (the later record stops counting, both stay on record) or keep apart. Exact duplicates were
 * merged at import and never come here.
 */
export function DuplicateQueue({ incident, busy, version, seqOf, onMerged }: Props) {
  const id = incident.id;
  const [showDecided, setShowDecided] = useState(false);
  const queue = useDuplicateQueue(id, showDecided, version, busy);
  const [scan, setScan] = useState<ScanResult | null>(null);
  const [scanning, setScanning] = useState(false);
  const [scanError, setScanError] = useState<ErrorBody | null>(null);
  const [deciding, setDeciding] = useState<{ pair: number; merge: boolean } | null>(null);
  const [pairError, setPairError] = useState<{ pair: number; text: string } | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  const [shown, setShown] = useState(PAIRS_SHOWN);
  const doneRef = useRef<HTMLDivElement>(null);

  // The decided pair leaves the list with the focus on it: the result takes the focus instead.
  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);

  const { waiting, decided } = splitQueue(queue.data ?? []);
  const locked = busy || scanning || deciding !== null;

  async function runScan() {
    setScanning(true);
    setScanError(null);
    setDone(null);
    setPairError(null);
    try {
      setScan(await api.scanDuplicates({ id }));
      queue.reload();
    } catch (e) {
      setScanError(toErrorBody(e));
    } finally {
      setScanning(false);
    }
  }

  async function decide(pair: DuplicatePair, merge: boolean) {
    setDeciding({ pair: pair.id, merge });
    setPairError(null);
    setDone(null);
    // Its "waiting" figure is out of date once a pair is decided.
    setScan(null);
    try {
      const changes = await api.decideDuplicate({ incident_id: id, pair: pair.id, merge });
      if (merge) {
        setDone({ kind: 'merged', pair, changes });
        // Counts, imports and the table are fetched again, and with them this queue.
        await onMerged();
      } else {
        setDone({ kind: 'distinct', pair });
        queue.reload();
      }
    } catch (e) {
      setPairError({ pair: pair.id, text: errorText(toErrorBody(e)) });
    } finally {
      setDeciding(null);
    }
  }

  const scanButton = (
    <Button size="sm" variant={waiting.length === 0 ? 'primary' : 'secondary'} onClick={() => void runScan()} busy={scanning} disabled={locked} testId="dup-scan">
      {scanning ? 'Looking…' : 'Find probable duplicates'}
    </Button>
  );
  const hidden = waiting.length - shown;

  return (
    <section className="card dupq" data-testid="dup-queue" data-waiting={queue.data === null ? undefined : waiting.length} aria-labelledby="dupq-title" aria-busy={queue.loading || undefined}>
      <header className="card__header dupq__head">
        <div className="dupq__titles">
          <h3 className="card__title" id="dupq-title">
            Probable duplicates
          </h3>
          {waiting.length > 0 && (
            <span className="tag tag--accent" data-testid="dup-waiting">
              {waiting.length >= QUEUE_LIMIT ? `${QUEUE_LIMIT}+` : waiting.length} waiting
            </span>
          )}
        </div>
        <div className="dupq__actions">
          <label className="dupq__toggle">
            <input type="checkbox" checked={showDecided} disabled={locked} onChange={(e) => setShowDecided(e.target.checked)} data-testid="dup-show-decided" />
            Show decided
          </label>
          {waiting.length > 0 && scanButton}
        </div>
      </header>

      <div className="card__body dupq__body">
        <p className="dupq__lead" id="dup-lead">
          Two records with the same name and date of birth, or the same e-mail address; exact duplicates were already merged when imported.
          {waiting.length > 0 && (
            <>
              {' '}
              <strong>Merge</strong> keeps both rows on record and the later one stops counting; the counts and the obligations are recomputed.{' '}
              <strong>Keep apart</strong> leaves both counting.
            </>
          )}
          {busy && <strong className="dupq__paused"> The review waits while the import runs.</strong>}
        </p>

        <ErrorBanner error={queue.error} testId="dup-load-error" onRetry={queue.reload} retryDisabled={busy} />
        <ErrorBanner error={scanError} testId="dup-scan-error" />

        {scan && (
          <div className="dupq__scan" role="status" data-testid="dup-scan-result" data-new={scan.new_pairs} data-waiting={scan.waiting} data-oversized={scan.oversized_groups}>
            <p className="dupq__scanline tabular">{scanSummary(scan)}</p>
            <p className={scan.oversized_groups > 0 ? 'dupq__scannote dupq__scannote--warn' : 'dupq__scannote'}>
              Groups of more than {MAX_GROUP} records sharing a name and birth date, or an e-mail address, are not paired — usually a shared mailbox
              or a placeholder date{scan.oversized_groups > 0 ? '. Search the list for the name or the address to review them.' : '.'}
            </p>
          </div>
        )}

        {done && <DoneNote done={done} zone={incident.timezone} seqOf={seqOf} innerRef={doneRef} onDismiss={() => setDone(null)} />}

        {queue.data === null ? (
          !queue.error && (
            <p className="muted small" role="status">
              {busy ? 'The queue waits while the import runs.' : 'Loading the queue…'}
            </p>
          )
        ) : waiting.length === 0 ? (
          <div className="dupq__empty" data-testid="dup-empty">
            <div>
              <p className="dupq__emptytitle">No probable duplicates waiting</p>
              <p className="dupq__emptytext">
                Look for people who may be on the list twice. Nothing changes until someone merges a pair or keeps it apart.
              </p>
            </div>
            {scanButton}
          </div>
        ) : (
          <>
            <ul className="dpairs" aria-label="Pairs waiting for a decision">
              {waiting.slice(0, shown).map((p) => (
                <PairItem
                  key={p.id}
                  pair={p}
                  seqOf={seqOf}
                  locked={locked}
                  deciding={deciding?.pair === p.id ? deciding.merge : null}
                  error={pairError?.pair === p.id ? pairError.text : null}
                  onDecide={(merge) => void decide(p, merge)}
                />
              ))}
            </ul>
            {hidden > 0 && (
              <div className="dupq__more">
                <Button size="sm" variant="ghost" onClick={() => setShown((n) => n + PAIRS_SHOWN * 2)} testId="dup-more">
                  Show {Math.min(hidden, PAIRS_SHOWN * 2)} more
                </Button>
                <span className="muted small tabular">
                  {hidden.toLocaleString('en-US')} more waiting
                  {queue.data.length >= QUEUE_LIMIT && ` · the first ${QUEUE_LIMIT} pairs are loaded; decide some to see the rest`}
                </span>
              </div>
            )}
          </>
        )}

        {showDecided && queue.data !== null && <DecidedList pairs={decided} seqOf={seqOf} />}
      </div>
    </section>
  );
}

type PairProps = {
  pair: DuplicatePair;
  seqOf: (batchId: string) => number | undefined;
  locked: boolean;
  /** The decision being sent for this pair (true: merge), or null. */
  deciding: boolean | null;
  error: string | null;
  onDecide: (merge: boolean) => void;
};

function PairItem({ pair: p, seqOf, locked, deciding, error, onDecide }: PairProps) {
  const differs = differingFields(p.first, p.later).length;
  const who = `${p.first.full_name} and ${p.later.full_name}`;
  return (
    <li className="dpair" data-testid="dup-pair" data-id={p.id} data-reason={p.reason} aria-label={`${reasonWords(p.reason)}: ${who}`}>
      <div className="dpair__head">
        <p className="dpair__reason">
          <span className="dpair__why">{reasonWords(p.reason)}</span>
          <span className="dpair__diff tabular" data-testid="dup-differs" data-count={differs}>
            {differs === 0 ? 'no other difference' : `${differs} ${differs === 1 ? 'field differs' : 'fields differ'}`}
          </span>
        </p>
        <div className="dpair__actions">
          <Button size="sm" variant="ghost" onClick={() => onDecide(false)} busy={deciding === false} disabled={locked} testId="dup-distinct" aria-describedby="dup-lead">
            {deciding === false ? 'Keeping apart…' : 'Keep apart'}
          </Button>
          <Button size="sm" variant="primary" onClick={() => onDecide(true)} busy={deciding === true} disabled={locked} testId="dup-merge" aria-describedby="dup-lead">
            {deciding === true ? 'Merging…' : 'Merge'}
          </Button>
        </div>
      </div>
      <PairCompare pair={p} seqOf={seqOf} />
      {error && (
        <p className="field__error" role="alert" data-testid="dup-error">
          {error}
        </p>
      )}
    </li>
  );
}

type DoneProps = {
  done: Done;
  zone: string;
  seqOf: (batchId: string) => number | undefined;
  innerRef: RefObject<HTMLDivElement | null>;
  onDismiss: () => void;
};

function DoneNote({ done, zone, seqOf, innerRef, onDismiss }: DoneProps) {
  const later = done.pair.later;
  if (done.kind === 'distinct') {
    return (
      <div className="dupq__kept" role="status" tabIndex={-1} ref={innerRef} data-testid="dup-distinct-result">
        <span>
          Kept apart: {done.pair.first.full_name} and {later.full_name} both keep counting.
        </span>
        <Button size="sm" variant="link" onClick={onDismiss}>
          Dismiss
        </Button>
      </div>
    );
  }
  const n = done.changes.length;
  return (
    <div className="ind-rolled dupq__merged" role="status" tabIndex={-1} ref={innerRef} data-testid="dup-merge-result" data-changes={n}>
      <p className="ind-rolled__title">
        Merged: {later.full_name} ({sourceLabel(seqOf(later.batch_id), later.source_row)}) no longer counts.{' '}
        {n === 0 ? 'The obligations did not change.' : `${n} ${n === 1 ? 'change' : 'changes'} to the obligations:`}
      </p>
      {n > 0 && <ChangeList changes={done.changes} zone={zone} itemTestId="dup-change" />}
      <p className="muted small">Both rows stay on record. The counts by residence and the clocks have been computed again.</p>
      <Button size="sm" variant="link" onClick={onDismiss}>
        Dismiss
      </Button>
    </div>
  );
}

function DecidedList({ pairs, seqOf }: { pairs: DuplicatePair[]; seqOf: (batchId: string) => number | undefined }) {
  const [open, setOpen] = useState<number | null>(null);
  return (
    <div className="ddecided" data-testid="dup-decided-list">
      <h4 className="ddecided__title">
        Decided <span className="muted tabular">{pairs.length}</span>
      </h4>
      {pairs.length === 0 ? (
        <p className="muted small">No pair decided yet.</p>
      ) : (
        <ul className="ddecided__list">
          {pairs.map((p) => {
            const expanded = open === p.id;
            const detailId = `dup-decided-${p.id}`;
            return (
              <li key={p.id} className="ddec" data-testid="dup-decided" data-id={p.id} data-reason={p.reason} data-decision={p.decision ?? ''}>
                <div className="ddec__line">
                  <span className={p.decision === 'merged' ? 'tag tag--accent ddec__tag' : 'tag tag--muted ddec__tag'}>{decisionWords(p.decision)}</span>
                  <span className="ddec__names">
                    {p.first.full_name} <span className="ddec__src">{sourceLabel(seqOf(p.first.batch_id), p.first.source_row)}</span>
                    <span className="ddec__and"> and </span>
                    {p.later.full_name} <span className="ddec__src">{sourceLabel(seqOf(p.later.batch_id), p.later.source_row)}</span>
                  </span>
                  <span className="ddec__reason">{reasonWords(p.reason)}</span>
                  <span className="ddec__by" data-testid="dup-decided-by">
                    by {p.decided_by ?? 'unknown'}
                  </span>
                  <Button size="sm" variant="link" onClick={() => setOpen(expanded ? null : p.id)} aria-expanded={expanded} aria-controls={detailId}>
                    {expanded ? 'Hide' : 'Compare'}
                  </Button>
                </div>
                {expanded && (
                  <div id={detailId} className="ddec__detail">
                    <PairCompare pair={p} seqOf={seqOf} />
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
