import { useCallback, useState } from 'react';
import type { BoardItem, WaitingItem } from '../../lib/ipc/bindings';
import { api } from '../../lib/ipc/client';
import { useLoad } from '../../lib/useLoad';
import { useNow } from '../../lib/useNow';
import { useTask } from '../../lib/useAction';
import { PageHeader } from '../../components/PageHeader';
import { Button } from '../../components/Button';
import { Banner } from '../../components/Banner';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Card } from '../../components/Card';
import { Pending } from '../../components/Loading';
import type { Navigate } from '../shell';
import { BoardMatrix } from './BoardMatrix';
import { WaitingList } from './WaitingList';
import { BoardCharts } from './BoardCharts';

/** The founder's board: every incident's notices by kind of recipient, what waits for them, the team's figures. */
export function BoardPage({ navigate }: { navigate: Navigate }) {
  const [all, setAll] = useState(false);
  const board = useLoad(useCallback(() => api.board({ all }), [all]));
  const metrics = useLoad(useCallback(() => api.metrics({ since: null }), []));
  const now = useNow(30_000);
  const pack = useTask();
  const [saved, setSaved] = useState<string | null>(null);

  const open = (incidentId: string, item: BoardItem | null) =>
    navigate(item?.notice_id ? { page: 'detail', id: incidentId, tab: 'notices', notice: item.notice_id } : { page: 'detail', id: incidentId, tab: item ? 'obligations' : undefined });
  const openWaiting = (w: WaitingItem) => navigate(w.notice_id ? { page: 'detail', id: w.incident_id, tab: 'notices', notice: w.notice_id } : { page: 'detail', id: w.incident_id, tab: 'obligations' });

  const exportPack = () =>
    pack.run(async () => {
      setSaved(null);
      setSaved(await api.exportBoardPack({ signed_by: null }));
    });

  const b = board.data;
  const overdue = b ? b.rows.reduce((n, r) => n + r.overdue.length, 0) : 0;
  const open_ = b ? b.rows.filter((r) => r.status !== 'closed').length : 0;
  return (
    <div className="page board-page" data-testid="board-page">
      <PageHeader
        title="Board"
        meta={b && <span className="muted">{`${open_} open incident${open_ === 1 ? '' : 's'} · ${overdue} notice${overdue === 1 ? '' : 's'} overdue · ${b.waiting.length} waiting for you`}</span>}
        actions={
          <>
            <label className="check board-toggle">
              <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} data-testid="board-all" /> Closed in the last 12 months
            </label>
            <Button variant="primary" onClick={exportPack} busy={pack.busy} testId="board-pack">
              Export board pack
            </Button>
          </>
        }
      />
      {saved && (
        <Banner tone="success" testId="board-pack-saved">
          Board pack saved: <code className="path">{saved}</code>
        </Banner>
      )}
      <ErrorBanner error={pack.error} />
      {!b && (
        <Pending error={board.error} onRetry={board.reload}>
          Loading the board…
        </Pending>
      )}
      {b && (
        <>
          <Card title="Notifications by recipient" testId="board-card" actions={<span className="muted small">Each cell: the worst state of its notices · hover for the list · click to open</span>}>
            <BoardMatrix rows={b.rows} columns={b.columns} onOpen={open} />
            <BoardLegend />
          </Card>
          <WaitingList items={b.waiting} me={b.me} now={now} onOpen={openWaiting} />
        </>
      )}
      <ErrorBanner error={metrics.error} onRetry={metrics.reload} />
      {metrics.data && <BoardCharts metrics={metrics.data} />}
    </div>
  );
}

function BoardLegend() {
  const states: [string, string][] = [
    ['overdue', 'Overdue'],
    ['due_soon', 'Due < 24 h'],
    ['to_do', 'To do'],
    ['draft', 'Draft'],
    ['approved', 'Approved'],
    ['sent', 'Sent'],
    ['confirmed', 'Confirmed'],
    ['not_required', 'Not required'],
  ];
  return (
    <div className="chart-legend board-legend">
      {states.map(([s, l]) => (
        <span key={s} className="chart-legend__item">
          <span className={`board-dot board-dot--${s}`} aria-hidden="true" /> {l}
        </span>
      ))}
    </div>
  );
}
