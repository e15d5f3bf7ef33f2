import { useState } from 'react';
import type { Metrics, ResponseGroup, Stat } from '../../lib/ipc/bindings';
import { Card } from '../../components/Card';
import { COLUMN_LABEL } from './labels';
import { share, span } from './format';

/** The figures across incidents, drawn. */
export function BoardCharts({ metrics }: { metrics: Metrics }) {
  return (
    <div className="board-charts" data-testid="board-charts">
      <OnTimeChart metrics={metrics} />
      <ToNoticeChart metrics={metrics} />
      <ResponseChart metrics={metrics} />
    </div>
  );
}

function Legend({ items }: { items: [string, string][] }) {
  return (
    <div className="chart-legend">
      {items.map(([cls, label]) => (
        <span key={cls} className="chart-legend__item">
          <span className={`chart-swatch ${cls}`} aria-hidden="true" /> {label}
        </span>
      ))}
    </div>
  );
}

function OnTimeChart({ metrics }: { metrics: Metrics }) {
  const rows = metrics.on_time.filter((r) => r.on_time + r.late + r.overdue > 0);
  const max = Math.max(1, ...rows.map((r) => r.on_time + r.late + r.overdue));
  return (
    <Card title="Notices on time" className="board-chart" testId="chart-on-time">
      {rows.length === 0 ? (
        <p className="muted">No notice with a deadline has been sent or missed yet.</p>
      ) : (
        <>
          <div className="hbars">
            {rows.map((r) => {
              const total = r.on_time + r.late + r.overdue;
              return (
                <div key={r.column} className="hbar" data-column={r.column}>
                  <span className="hbar__label">{COLUMN_LABEL[r.column]}</span>
                  <span className="hbar__track">
                    <span className="hbar__seg seg--ok" style={{ width: `${(r.on_time / max) * 100}%` }} title={`${r.on_time} on time`} />
                    <span className="hbar__seg seg--late" style={{ width: `${(r.late / max) * 100}%` }} title={`${r.late} late`} />
                    <span className="hbar__seg seg--overdue" style={{ width: `${(r.overdue / max) * 100}%` }} title={`${r.overdue} overdue, not sent`} />
                  </span>
                  <span className="hbar__value">
                    {r.on_time}/{total} on time
                  </span>
                </div>
              );
            })}
          </div>
          <Legend
            items={[
              ['seg--ok', 'Sent on time'],
              ['seg--late', 'Sent late'],
              ['seg--overdue', 'Overdue, not sent'],
            ]}
          />
        </>
      )}
    </Card>
  );
}

function ToNoticeChart({ metrics }: { metrics: Metrics }) {
  const rows = [...metrics.to_notice].sort((a, b) => a.days - b.days);
  const max = Math.max(1, ...rows.map((r) => r.days));
  return (
    <Card title="Days from discovery to each notice" className="board-chart" testId="chart-to-notice">
      {rows.length === 0 ? (
        <p className="muted">No notice has been recorded as sent yet.</p>
      ) : (
        <>
          <div className="hbars">
            {rows.map((r, k) => (
              <div key={`${r.human_id}-${r.name}-${k}`} className="hbar">
                <span className="hbar__label" title={`${r.human_id} · ${COLUMN_LABEL[r.column]}`}>
                  {r.name}
                  <span className="hbar__sub">{r.human_id}</span>
                </span>
                <span className="hbar__track">
                  <span className={`hbar__seg ${r.on_time === false ? 'seg--late' : r.on_time ? 'seg--ok' : 'seg--neutral'}`} style={{ width: `${share(r.days, max) * 100}%` }} />
                </span>
                <span className="hbar__value">{r.days.toFixed(1)} d</span>
              </div>
            ))}
          </div>
          <Legend
            items={[
              ['seg--ok', 'By its deadline'],
              ['seg--late', 'After its deadline'],
              ['seg--neutral', 'No fixed deadline'],
            ]}
          />
        </>
      )}
    </Card>
  );
}

const MEASURES: [keyof Pick<ResponseGroup, 'acknowledge' | 'contain' | 'close' | 'detect'>, string][] = [
  ['detect', 'To detect'],
  ['acknowledge', 'To acknowledge'],
  ['contain', 'To contain'],
  ['close', 'To close'],
];

function ResponseChart({ metrics }: { metrics: Metrics }) {
  const [by, setBy] = useState<'severity' | 'month'>('severity');
  const groups = by === 'severity' ? metrics.by_severity : metrics.by_month;
  return (
    <Card
      title="Response times (median)"
      className="board-chart board-chart--wide"
      testId="chart-response"
      actions={
        <div className="segmented" role="group" aria-label="Group by">
          <button type="button" className={by === 'severity' ? 'is-on' : ''} aria-pressed={by === 'severity'} onClick={() => setBy('severity')}>
            By severity
          </button>
          <button type="button" className={by === 'month' ? 'is-on' : ''} aria-pressed={by === 'month'} onClick={() => setBy('month')} data-testid="response-by-month">
            By month
          </button>
        </div>
      }
    >
      {groups.length === 0 ? (
        <p className="muted">No incident yet.</p>
      ) : (
        <div className="response-grid">
          {MEASURES.map(([key, label]) => {
            const max = Math.max(0, ...groups.map((g) => g[key].median ?? 0));
            return (
              <div key={key} className="response-measure" data-measure={key}>
                <h3 className="response-measure__title">{label}</h3>
                {groups.map((g) => (
                  <Bar key={g.group} group={g.group} stat={g[key]} max={max} />
                ))}
              </div>
            );
          })}
        </div>
      )}
      <p className="muted small board-chart__note">From the timeline: detection − occurrence; the first acknowledged, containment and closed entries − detection. Corrected entries count as corrected.</p>
    </Card>
  );
}

function Bar({ group, stat, max }: { group: string; stat: Stat; max: number }) {
  const sev = group.startsWith('SEV-') ? ` sev-bar--${group.slice(4)}` : '';
  return (
    <div className="hbar hbar--compact" title={stat.count ? `${stat.count} incident(s), mean ${span(stat.mean ?? 0)}, longest ${span(stat.max ?? 0)}` : 'Not recorded'}>
      <span className="hbar__label">{group}</span>
      <span className="hbar__track">{stat.median !== null && <span className={`hbar__seg seg--accent${sev}`} style={{ width: `${share(stat.median, max) * 100}%` }} />}</span>
      <span className="hbar__value">{stat.median === null ? '—' : span(stat.median)}</span>
    </div>
  );
}
