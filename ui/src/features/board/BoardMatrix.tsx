import type { BoardCell, BoardItem, BoardRow, Column } from '../../lib/ipc/bindings';
import { SeverityBadge, StatusPill } from '../../components/Badges';
import { dueParts, formatDue } from '../../lib/time';
import { humanise } from '../../lib/labels';
import { COLUMN_LABEL, STATE_LABEL } from './labels';

type Props = {
  rows: BoardRow[];
  columns: Column[];
  /** Opens an incident, at a notice when the item has one. */
  onOpen: (incidentId: string, item: BoardItem | null) => void;
};

/** Every incident against every kind of recipient: each cell the worst state of its notices. */
export function BoardMatrix({ rows, columns, onOpen }: Props) {
  if (rows.length === 0) return <p className="muted">No open incident. The board fills as incidents are opened.</p>;
  return (
    <div className="board-matrix__scroll">
      <table className="board-matrix" data-testid="board-matrix">
        <thead>
          <tr>
            <th scope="col" className="board-matrix__incident">
              Incident
            </th>
            {columns.map((c) => (
              <th scope="col" key={c}>
                {COLUMN_LABEL[c]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.incident_id} data-testid="board-row" data-incident={r.human_id} className={r.status === 'closed' ? 'board-row--closed' : undefined}>
              <th scope="row" className="board-matrix__incident">
                <button type="button" className="board-incident" onClick={() => onOpen(r.incident_id, null)}>
                  <span className="board-incident__id">{r.human_id}</span>
                  <span className="board-incident__title">{r.title}</span>
                  <span className="board-incident__meta">
                    <SeverityBadge severity={r.severity} />
                    <StatusPill status={r.status} />
                    <span className="muted small">{r.affected > 0 ? `${r.affected.toLocaleString('en-US')} affected` : 'not counted'}</span>
                  </span>
                </button>
              </th>
              {r.cells.map((c) => (
                <td key={c.column} className="board-matrix__cell">
                  <Cell cell={c} zone={r.timezone} onOpen={(item) => onOpen(r.incident_id, item)} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Cell({ cell, zone, onOpen }: { cell: BoardCell; zone: string; onOpen: (item: BoardItem) => void }) {
  const worst = cell.items[0];
  if (!cell.state || !worst) return <span className="board-cell board-cell--none" aria-label="Nothing owed">—</span>;
  const more = cell.items.length - 1;
  return (
    <div className="board-cell-wrap">
      <button type="button" className={`board-cell board-cell--${cell.state}`} data-testid="board-cell" data-column={cell.column} data-state={cell.state} onClick={() => onOpen(worst)}>
        <span className="board-cell__state">{STATE_LABEL[cell.state]}</span>
        <span className="board-cell__detail">
          {worst.confirmation ? `No. ${worst.confirmation}` : worst.due && !['sent', 'confirmed', 'not_required'].includes(worst.state) ? `Due ${dueParts(worst.due, zone)?.date ?? worst.due}` : worst.name}
        </span>
        {more > 0 && <span className="board-cell__more">+{more} more</span>}
      </button>
      <div className="board-tip" role="tooltip">
        {cell.items.map((i) => (
          <div key={i.obligation_id} className="board-tip__item">
            <span className={`board-dot board-dot--${i.state}`} aria-hidden="true" />
            <div>
              <div className="board-tip__name">
                {i.name} <span className="muted">· {STATE_LABEL[i.state]}</span>
                {i.confidence !== 'high' && <span className="board-tip__conf"> · {i.confidence} confidence</span>}
              </div>
              <div className="board-tip__line">
                {i.due ? `Due ${formatDue(i.due, zone)}` : 'No fixed deadline'} · {i.owner_name ?? humanise(i.owner_role)}
              </div>
              {i.confirmation && <div className="board-tip__line">Confirmation no. {i.confirmation}</div>}
              {i.notice_id && <div className="board-tip__line">Notice {i.notice_id}</div>}
            </div>
          </div>
        ))}
      </div>
    </div>
  );
}
