import { useMemo, useState, type KeyboardEvent } from 'react';
import type { Incident, Obligation } from '../../lib/ipc/bindings';
import { recipientShort, recipientWords } from '../../lib/labels';
import { formatDue, formatInstant, instant } from '../../lib/time';
import { URGENCY_LABEL, type Ranked, type Urgency } from '../obligations';
import { chartDomain, layoutLanes, scale, textWidth, ticks } from './scale';
import { useWidth } from './useWidth';

type Props = {
  incident: Incident;
  ranked: Ranked<Obligation>[];
  now: number;
  /** Opens the obligation in the table below. */
  onSelect: (id: string) => void;
};

const PAD_X = 20;
const EVENT_LANE = 16;
const MARK_LANE = 24;
const AXIS = 30;
const LABEL_MAX = 26;
const DAY = 86_400_000;

type Range = 'all' | 'soon';
/** The "next two weeks" view: a little of the recent past, then 14 days ahead. */
const SOON_BEFORE = 3 * DAY;
const SOON_AFTER = 14 * DAY;

type EventMark = { key: string; label: string; t: number };
type TopItem = { kind: 'event'; ev: EventMark } | { kind: 'now' };

/** The incident's own moments shown as dashed lines: discovery, awareness, determination. */
function events(incident: Incident): EventMark[] {
  const out: EventMark[] = [];
  const add = (key: string, label: string, ts: string | null) => {
    const t = ts ? instant(ts) : NaN;
    if (!Number.isNaN(t)) out.push({ key, label, t });
  };
  if (!incident.discovered_at) add('detected', 'Detected', incident.detected_at);
  add('discovered', 'Discovered', incident.discovered_at);
  add('aware', 'Aware', incident.aware_at);
  add('determined', 'Determined', incident.determined_at);
  return out;
}

function markLabel(o: Obligation): string {
  const text = o.regime === 'CONTRACT' ? (o.label ?? recipientWords(o.recipient)) : `${o.jurisdiction} ${recipientShort(o.recipient)}`;
  return text.length > LABEL_MAX ? `${text.slice(0, LABEL_MAX - 1)}…` : text;
}

function markTitle(o: Obligation, zone: string, urgency: Urgency): string {
  const who = o.regime === 'CONTRACT' ? (o.label ?? recipientWords(o.recipient)) : `${o.jurisdiction} ${recipientWords(o.recipient)}`;
  return `${who} — due ${o.due ? formatDue(o.due, zone) : 'no fixed time'} (${URGENCY_LABEL[urgency].toLowerCase()})`;
}

/**
 * The incident on a time axis, from discovery to the last deadline: its own moments as dashed
 * lines, "now" as a solid one, and every obligation with a due time as a mark coloured like the
 * cockpit (stacked in lanes where dates are close).
 */
export function DeadlineChart({ incident, ranked, now, onSelect }: Props) {
  const { ref, width } = useWidth<HTMLDivElement>(960);
  const [range, setRange] = useState<Range>('all');
  const zone = incident.timezone;
  // Re-lay out once a minute, not every second: the marks do not move, only "now" does.
  const minute = Math.floor(now / 60_000);
  // `ranked` is a new array every second; lay out again only when what is drawn changes.
  const drawn = ranked.map((r) => `${r.item.id}:${r.item.status}:${r.urgency}:${r.item.due ?? ''}:${r.item.label ?? ''}`).join('|');

  const layout = useMemo(() => {
    const nowMs = minute * 60_000;
    const win = range === 'soon' ? { start: nowMs - SOON_BEFORE, end: nowMs + SOON_AFTER } : null;
    const inWindow = (t: number) => win === null || (t >= win.start && t <= win.end);
    const allDated = ranked.filter((r) => r.item.due !== null && !Number.isNaN(instant(r.item.due)));
    const dated = allDated.filter((r) => inWindow(instant(r.item.due ?? '')));
    const earlier = win ? allDated.filter((r) => instant(r.item.due ?? '') < win.start).length : 0;
    const later = win ? allDated.filter((r) => instant(r.item.due ?? '') > win.end).length : 0;
    const allEvents = events(incident);
    const evs = allEvents.filter((e) => inWindow(e.t));
    const anchor = allEvents[0]?.t ?? instant(incident.detected_at);
    const { domain, nowInside } = win ? { domain: win, nowInside: true } : chartDomain(anchor, [...dated.map((r) => instant(r.item.due ?? '')), ...evs.map((e) => e.t)], nowMs);
    const x = scale(domain, PAD_X, width - PAD_X);
    const top = layoutLanes<TopItem>(
      [...evs.map((e) => ({ item: { kind: 'event' as const, ev: e }, x: x(e.t), width: textWidth(e.label) })), ...(nowInside ? [{ item: { kind: 'now' as const }, x: x(nowMs), width: textWidth('Now') + 4 }] : [])],
      PAD_X,
      width - PAD_X,
      2,
      6,
    );
    const marks = layoutLanes(
      dated.map((r) => ({ item: r, x: x(instant(r.item.due ?? '')), width: textWidth(markLabel(r.item)) })),
      PAD_X,
      width - PAD_X,
    );
    return { domain, nowInside, x, top, marks, earlier, later, tickList: ticks(domain, width - 2 * PAD_X, zone) };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `drawn` stands for `ranked`
  }, [drawn, incident, minute, width, zone, range]);

  const topH = Math.max(layout.top.lanes, 1) * EVENT_LANE + 8;
  const plotTop = topH;
  const plotH = Math.max(layout.marks.lanes, 2) * MARK_LANE + 10;
  const axisY = plotTop + plotH;
  const height = axisY + AXIS;
  const nowX = layout.x(now);

  const open = (e: KeyboardEvent, id: string) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onSelect(id);
    }
  };

  return (
    <div className="chart" ref={ref}>
      <svg
        className="chart__svg"
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        role="group"
        aria-label={`Deadlines of ${incident.human_id} on a time line`}
        data-testid="deadline-chart"
      >
        <g className="chart__grid" aria-hidden="true">
          {layout.tickList.map((t) => (
            <line key={t.t} x1={layout.x(t.t)} x2={layout.x(t.t)} y1={plotTop} y2={axisY} className={t.major ? 'chart__gridline chart__gridline--major' : 'chart__gridline'} />
          ))}
        </g>
        <g className="chart__axis" aria-hidden="true">
          <line x1={PAD_X} x2={width - PAD_X} y1={axisY} y2={axisY} className="chart__axisline" />
          {layout.tickList.map((t) => (
            <g key={t.t} transform={`translate(${layout.x(t.t)},${axisY})`}>
              <line y1={0} y2={5} className="chart__tick" />
              <text y={18} textAnchor="middle" className={t.major ? 'chart__ticklabel chart__ticklabel--major' : 'chart__ticklabel'}>
                {t.label}
              </text>
            </g>
          ))}
        </g>
        <g className="chart__events">
          {layout.top.placed.map((p) => {
            const y = 4 + p.lane * EVENT_LANE + 10;
            const anchor = p.side === 'right' ? 'start' : 'end';
            const tx = p.side === 'right' ? p.x + 4 : p.x - 4;
            if (p.item.kind === 'now') {
              return (
                <g key="now" className="chart__now" data-testid="chart-now">
                  <title>{`Now — ${formatInstant(now, zone)}`}</title>
                  <line x1={nowX} x2={nowX} y1={y - 10} y2={axisY} className="chart__nowline" />
                  <text x={tx + (p.side === 'right' ? 1 : -1)} y={y} textAnchor={anchor} className="chart__nowlabel">
                    Now
                  </text>
                </g>
              );
            }
            const ev = p.item.ev;
            return (
              <g key={ev.key} className="chart__event" data-testid="chart-event" data-event={ev.key}>
                <title>{`${ev.label} — ${formatInstant(ev.t, zone)}`}</title>
                <line x1={p.x} x2={p.x} y1={y - 10} y2={axisY} className="chart__eventline" />
                <text x={tx} y={y} textAnchor={anchor} className="chart__eventlabel">
                  {ev.label}
                </text>
              </g>
            );
          })}
          {layout.earlier > 0 && (
            <text x={PAD_X} y={axisY - 6} className="chart__more" data-testid="chart-earlier">
              ← {layout.earlier} earlier
            </text>
          )}
          {layout.later > 0 && (
            <text x={width - PAD_X} y={axisY - 6} textAnchor="end" className="chart__more" data-testid="chart-later">
              {layout.later} later →
            </text>
          )}
          {!layout.nowInside && (
            <g className="chart__now" data-testid="chart-now" data-outside="true">
              <title>Now is past the last deadline shown</title>
              <text x={width - PAD_X} y={14} textAnchor="end" className="chart__nowlabel">
                Now →
              </text>
            </g>
          )}
        </g>
        <g className="chart__marks">
          {layout.marks.placed.map((p) => {
            const o = p.item.item;
            const y = plotTop + 6 + p.lane * MARK_LANE + MARK_LANE / 2;
            return (
              <g
                key={o.id}
                className={`chart__mark u-${p.item.urgency}`}
                data-testid="chart-mark"
                data-status={o.status}
                data-urgency={p.item.urgency}
                data-id={o.id}
                tabIndex={0}
                role="button"
                aria-label={markTitle(o, zone, p.item.urgency)}
                onClick={() => onSelect(o.id)}
                onKeyDown={(e) => open(e, o.id)}
              >
                <title>{markTitle(o, zone, p.item.urgency)}</title>
                <line x1={p.x} x2={p.x} y1={y} y2={axisY} className="chart__stem" />
                <MarkShape urgency={p.item.urgency} x={p.x} y={y} />
                <text x={p.side === 'right' ? p.x + 10 : p.x - 10} y={y + 4} textAnchor={p.side === 'right' ? 'start' : 'end'} className="chart__marklabel">
                  {markLabel(o)}
                </text>
              </g>
            );
          })}
        </g>
      </svg>
      <div className="chart__foot">
        <ChartLegend />
        <div className="seg" role="group" aria-label="Time range">
          <button type="button" className="seg__btn" aria-pressed={range === 'all'} onClick={() => setRange('all')} data-testid="chart-range-all">
            All deadlines
          </button>
          <button type="button" className="seg__btn" aria-pressed={range === 'soon'} onClick={() => setRange('soon')} data-testid="chart-range-soon">
            Next 14 days
          </button>
        </div>
      </div>
    </div>
  );
}

/** Shape as well as colour: diamond overdue, circle open, tick done, hollow not required. */
function MarkShape({ urgency, x, y }: { urgency: Urgency; x: number; y: number }) {
  switch (urgency) {
    case 'overdue':
      return <path d={`M${x} ${y - 7}L${x + 7} ${y}L${x} ${y + 7}L${x - 7} ${y}Z`} className="chart__shape" />;
    case 'done':
      return (
        <>
          <circle cx={x} cy={y} r={6} className="chart__shape" />
          <path d={`M${x - 3} ${y}l2 2.2l4-4.4`} className="chart__check" />
        </>
      );
    case 'exempt':
    case 'not_required':
    case 'out_of_scope':
      return <circle cx={x} cy={y} r={5} className="chart__shape chart__shape--hollow" />;
    default:
      return <circle cx={x} cy={y} r={6} className="chart__shape" />;
  }
}

const LEGEND: Urgency[] = ['overdue', 'lt24h', 'lt7d', 'later', 'done', 'not_required'];

function ChartLegend() {
  return (
    <ul className="chart__legend" aria-label="Legend">
      {LEGEND.map((u) => (
        <li key={u} className={`chart__legenditem u-${u}`}>
          <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">
            <MarkShape urgency={u} x={7} y={7} />
          </svg>
          {URGENCY_LABEL[u]}
        </li>
      ))}
    </ul>
  );
}
