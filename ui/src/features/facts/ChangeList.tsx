import type { ObligationChange } from '../../lib/ipc/bindings';
import { recipientWords } from '../../lib/labels';
import { formatDue, withWallTimes } from '../../lib/time';

const TAG: Record<string, string> = { added: 'Added', removed: 'Removed', due_changed: 'Due changes', exempted: 'Exit' };

type Props = {
  changes: ObligationChange[];
  zone: string;
  /** data-testid of each item. */
  itemTestId: string;
  /** Show old → new due under each change (the what-if sandbox). */
  showDues?: boolean;
};

/** A recomputation's diff: what would be added, removed or moved, in words. */
export function ChangeList({ changes, zone, itemTestId, showDues = false }: Props) {
  if (changes.length === 0) {
    return <p className="changes__none">No change to the obligations.</p>;
  }
  return (
    <ul className="changes">
      {changes.map((c) => (
        <li key={`${c.change}:${c.rule_id}:${c.jurisdiction}:${c.recipient}`} className={`change change--${c.change}`} data-testid={itemTestId} data-change={c.change} data-rule-id={c.rule_id}>
          <span className="change__tag">{TAG[c.change] ?? c.change}</span>
          <div className="change__body">
            {showDues && (
              <p className="change__who">
                {c.jurisdiction ? `${c.jurisdiction} ${recipientWords(c.recipient)}` : recipientWords(c.recipient)} <span className="mono muted">{c.rule_id}</span>
              </p>
            )}
            {showDues ? <Dues change={c} zone={zone} /> : <p className="change__msg">{withWallTimes(c.message, zone)}</p>}
          </div>
        </li>
      ))}
    </ul>
  );
}

function Dues({ change: c, zone }: { change: ObligationChange; zone: string }) {
  const show = (d: string | null) => (d ? formatDue(d, zone) : 'no fixed time');
  if (c.change === 'added') return <p className="change__dues">due {show(c.new_due)}</p>;
  if (c.change === 'removed') return <p className="change__dues">was due {show(c.old_due)} — kept on record, out of scope</p>;
  if (c.change === 'exempted') return <p className="change__dues">{withWallTimes(c.message.replace(/^[^:]*: /, ''), zone)}</p>;
  return (
    <p className="change__dues">
      <del>{show(c.old_due)}</del> <span aria-label="becomes">→</span> <strong>{show(c.new_due)}</strong>
    </p>
  );
}
