import { useNow } from '../../lib/useNow';
import { Button } from '../../components/Button';
import { JobStats } from '../../components/JobStats';
import { etaMs, formatCount, formatElapsed, formatEta, formatRate, fraction, rowsPerSecond } from '../../lib/progress';
import type { Live } from './useImportRun';

type Props = { live: Live; fileName: string; onStop: () => void };

/** A running check or import: how far, how fast, how long still; and a way to stop it. */
export function ImportProgress({ live, fileName, onStop }: Props) {
  const now = useNow(1000);
  const p = live.progress;
  const frac = fraction(p);
  const pct = frac === null ? null : Math.floor(frac * 100);
  const eta = p ? etaMs(live.samples, p.total_bytes) : null;
  const verb = live.dryRun ? 'Checking' : 'Importing';
  return (
    <div className="iprogress" data-testid="import-progress" data-dry-run={live.dryRun} data-rows={p?.rows ?? 0}>
      <div className="iprogress__head">
        <p className="iprogress__title">
          {live.stopping ? 'Stopping…' : `${verb} ${fileName}…`}
        </p>
        <span className="iprogress__pct tabular">{pct === null ? '' : `${pct} %`}</span>
      </div>
      <div
        className={frac === null ? 'iprogress__bar iprogress__bar--unknown' : 'iprogress__bar'}
        role="progressbar"
        aria-label={`${verb} ${fileName}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct ?? undefined}
        aria-valuetext={pct === null ? `${formatCount(p?.rows ?? 0)} rows read` : `${pct} percent, ${formatCount(p?.rows ?? 0)} rows read`}
      >
        <span className="iprogress__fill" style={frac === null ? undefined : { width: `${frac * 100}%` }} />
      </div>
      <JobStats
        label="Rows read"
        count={formatCount(p?.rows ?? 0)}
        countTestId="import-progress-rows"
        rate={formatRate(rowsPerSecond(live.samples))}
        eta={formatEta(eta)}
        elapsed={formatElapsed(now - live.startedAt)}
      />
      <div className="iprogress__foot">
        <p className="muted small">
          {live.dryRun ? 'A check writes nothing.' : 'Nothing is written until the whole file is through: stopping leaves the list as it was.'} You can
          open other incidents meanwhile; changes wait until this ends.
        </p>
        <Button size="sm" onClick={onStop} busy={live.stopping} testId="import-stop">
          Stop
        </Button>
      </div>
    </div>
  );
}
