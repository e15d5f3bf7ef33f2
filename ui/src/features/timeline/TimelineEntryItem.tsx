import type { TimelineEntry } from '../../lib/ipc/bindings';
import { humanise } from '../../lib/labels';
import { formatWhen } from '../../lib/time';
import { When } from '../../components/When';
import { visible } from '../../lib/visible';

type Props = {
  entry: TimelineEntry;
  /** The entry this one corrects, when it is a correction. */
  original: TimelineEntry | null;
  /** Whether the form below is currently correcting this entry. */
  correcting: boolean;
  onCorrect: (entry: TimelineEntry) => void;
};

export function TimelineEntryItem({ entry, original, correcting, onCorrect }: Props) {
  const corrected = entry.corrected_by !== null;
  const isCorrection = entry.corrects !== null;
  const classes = ['tl', corrected ? 'tl--corrected' : '', isCorrection ? 'tl--correction' : '', correcting ? 'tl--selected' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <li
      className={classes}
      data-testid="timeline-entry"
      data-id={entry.id}
      data-kind={entry.kind}
      data-corrected={corrected ? 'true' : undefined}
      data-correction={isCorrection ? 'true' : undefined}
    >
      <div className="tl__time">
        <When value={entry.occurred_at} layout="stacked" />
      </div>
      <div className="tl__body">
        <div className="tl__head">
          <span className={`kind kind--${entry.kind}`}>{humanise(entry.kind)}</span>
          {corrected && <span className="tag tag--muted">Corrected</span>}
          {isCorrection && <span className="tag tag--accent">Correction</span>}
          <span className="tl__who">{visible(entry.who)}</span>
          {!corrected && (
            <button
              type="button"
              className="btn btn--ghost btn--sm tl__correct"
              onClick={() => onCorrect(entry)}
              data-testid="tl-correct"
              aria-label={`Correct the entry at ${formatWhen(entry.occurred_at)}`}
            >
              Correct
            </button>
          )}
        </div>
        <p className="tl__desc">{corrected ? <del>{visible(entry.description)}</del> : visible(entry.description)}</p>
        {isCorrection && (
          <p className="tl__ref">
            Correction of the entry at {original ? formatWhen(original.occurred_at) : 'an earlier time'}
            {original && <span className="tl__ref-desc"> (“{visible(original.description)}”)</span>}
          </p>
        )}
        <p className="tl__recorded">
          Recorded by {entry.recorded_by} at {formatWhen(entry.recorded_at)}
        </p>
      </div>
    </li>
  );
}
