import type { WaitingItem } from '../../lib/ipc/bindings';
import { instant } from '../../lib/time';
import { When } from '../../components/When';
import { Card } from '../../components/Card';
import { WAITING_LABEL } from './labels';

type Props = { items: WaitingItem[]; me: string | null; now: number; onOpen: (w: WaitingItem) => void };

function left(ms: number): string {
  const h = Math.abs(ms) / 3_600_000;
  const text = h < 1 ? `${Math.round(h * 60)} min` : h < 48 ? `${Math.round(h)} h` : `${Math.round(h / 24)} days`;
  return ms < 0 ? `${text} overdue` : `in ${text}`;
}

/** Approvals, decisions and investor or board updates that wait for the executive sponsor. */
export function WaitingList({ items, me, now, onOpen }: Props) {
  return (
    <Card title={`Waiting for ${me ?? 'the executive sponsor'}`} testId="waiting" actions={<span className="muted small">As executive sponsor · most urgent first</span>}>
      {items.length === 0 ? (
        <p className="muted">Nothing waits for you.</p>
      ) : (
        <ul className="waiting">
          {items.map((w) => {
            const ms = w.due ? instant(w.due) - now : null;
            const tone = ms === null ? 'later' : ms < 0 ? 'overdue' : ms < 86_400_000 ? 'soon' : 'later';
            return (
              <li key={`${w.kind}-${w.obligation_id}-${w.notice_id ?? ''}`} className={`waiting__item waiting--${tone}`} data-testid="waiting-item" data-kind={w.kind}>
                <span className={`waiting__kind waiting__kind--${w.kind}`}>{WAITING_LABEL[w.kind]}</span>
                <button type="button" className="waiting__what btn btn--link" onClick={() => onOpen(w)}>
                  {w.what}
                </button>
                <span className="waiting__incident muted small">{w.human_id}</span>
                <span className="waiting__due small">{w.due ? (
                    <>
                      <When value={w.due} /> · {left(ms ?? 0)}
                    </>
                  ) : (
                    'No fixed deadline'
                  )}</span>
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}
