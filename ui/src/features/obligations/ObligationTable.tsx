import type { MouseEvent } from 'react';
import type { Incident, Obligation } from '../../lib/ipc/bindings';
import { jurisdictionName } from '../../lib/jurisdictions';
import { exemptionKindLabel, humanise, recipientWords, sentenceCase } from '../../lib/labels';
import { formatDue } from '../../lib/time';
import { ConfidenceBadge, Countdown, DueStack, ObligationStatusPill } from './bits';
import { ObligationDetail } from './ObligationDetail';
import { ACTIVE, type Ranked } from './urgency';

type Props = {
  incident: Incident;
  ranked: Ranked<Obligation>[];
  now: number;
  expanded: ReadonlySet<string>;
  onToggle: (id: string) => void;
  onChanged: () => Promise<void>;
};

const COLUMNS = 7;

/**
 * Every obligation of the incident, most urgent first. Each obligation is its own <tbody> so the
 * expanded detail belongs to its row (for assistive tech and for tests alike).
 */
export function ObligationTable({ incident, ranked, now, expanded, onToggle, onChanged }: Props) {
  return (
    <div className="table-wrap">
      <table className="table table--obligations" data-testid="obligations">
        <caption className="visually-hidden">Notification obligations, most urgent first</caption>
        <thead>
          <tr>
            <th scope="col" className="col-regime">
              Regime
            </th>
            <th scope="col" className="col-jur">
              Jurisdiction
            </th>
            <th scope="col" className="col-recipient">
              Recipient
            </th>
            <th scope="col" className="col-due">
              Due
            </th>
            <th scope="col" className="col-countdown">
              Time left
            </th>
            <th scope="col" className="col-owner">
              Owner
            </th>
            <th scope="col" className="col-ostatus">
              Status
            </th>
          </tr>
        </thead>
        {ranked.map((r) => (
          <ObligationRow
            key={r.item.id}
            incident={incident}
            ranked={r}
            now={now}
            open={expanded.has(r.item.id)}
            onToggle={() => onToggle(r.item.id)}
            onChanged={onChanged}
          />
        ))}
      </table>
    </div>
  );
}

type RowProps = { incident: Incident; ranked: Ranked<Obligation>; now: number; open: boolean; onToggle: () => void; onChanged: () => Promise<void> };

function ObligationRow({ incident, ranked, now, open, onToggle, onChanged }: RowProps) {
  const { item: o, urgency, dueMs } = ranked;
  const zone = incident.timezone;
  const contract = o.regime === 'CONTRACT';
  const settled = !ACTIVE.has(urgency);
  const detailId = `obligation-detail-${o.id}`;
  const who = contract ? (o.label ?? 'Contractual obligation') : `${o.jurisdiction} ${recipientWords(o.recipient)}`;

  // A click anywhere on the summary row toggles it, except on its own controls.
  const rowClick = (e: MouseEvent<HTMLTableRowElement>) => {
    if ((e.target as HTMLElement).closest('button, a, input, select, textarea')) return;
    onToggle();
  };

  return (
    <tbody
      className={['orow', `u-${urgency}`, settled ? 'orow--settled' : '', open ? 'orow--open' : ''].filter(Boolean).join(' ')}
      data-testid="obligation-row"
      data-id={o.id}
      data-rule-id={o.rule_id}
      data-jurisdiction={o.jurisdiction}
      data-recipient={o.recipient}
      data-status={o.status}
      data-urgency={urgency}
      data-kind={o.kind}
    >
      <tr className="orow__summary" onClick={rowClick}>
        <td className="orow__regime">
          <button type="button" className="orow__toggle" onClick={onToggle} aria-expanded={open} aria-controls={detailId} aria-label={`${open ? 'Hide' : 'Show'} details: ${who}`} data-testid="obligation-toggle">
            <Chevron open={open} />
            <span className="orow__regime-name">{o.regime}</span>
          </button>
        </td>
        <td className="orow__jur">
          {contract ? (
            <span className="orow__label">{o.label ?? 'Contractual'}</span>
          ) : (
            <>
              <span className="mono">{o.jurisdiction}</span>
              <span className="orow__sub">{jurisdictionName(o.jurisdiction) ?? ''}</span>
            </>
          )}
        </td>
        <td className="orow__recipient">
          <span>{sentenceCase(recipientWords(o.recipient))}</span>
          <ConfidenceBadge confidence={o.confidence} />
          {o.exemption && o.status !== 'done' && (
            <span
              className={o.status === 'exempt' ? 'exit-tag' : 'exit-tag exit-tag--proposed'}
              data-testid="exemption-tag"
              title={`${exemptionKindLabel(o.exemption.kind)} — ${o.exemption.citation}`}
            >
              {o.status === 'exempt' ? `Exempt: ${exemptionKindLabel(o.exemption.kind)}` : `Exemption proposed: ${exemptionKindLabel(o.exemption.kind)}`}
            </span>
          )}
        </td>
        <td className="orow__due">
          <DueCell o={o} zone={zone} />
        </td>
        <td className="orow__countdown">
          <Countdown
            msLeft={dueMs === null ? null : dueMs - now}
            urgency={urgency}
            idle={settledText(o, zone)}
            note={o.due === null && o.kind === 'asap' ? 'internal target' : undefined}
          />
        </td>
        <td className="orow__owner">
          {o.owner_name ? (
            <>
              <span>{o.owner_name}</span>
              <span className="orow__sub">{humanise(o.owner_role)}</span>
            </>
          ) : (
            <>
              <span>{humanise(o.owner_role)}</span>
              <span className="orow__sub orow__sub--warn">Not assigned</span>
            </>
          )}
        </td>
        <td>
          <ObligationStatusPill status={o.status} />
        </td>
      </tr>
      {open && (
        <tr className="orow__detail" id={detailId}>
          <td colSpan={COLUMNS}>
            <ObligationDetail incident={incident} obligation={o} onChanged={onChanged} />
          </td>
        </tr>
      )}
    </tbody>
  );
}

function DueCell({ o, zone }: { o: Obligation; zone: string }) {
  if (o.kind === 'asap') {
    return (
      <span className="due">
        <span className="due__date">As soon as possible</span>
        {o.internal_target ? (
          <span className="due__time" data-testid="internal-target">
            internal target: {formatDue(o.internal_target, zone)}
          </span>
        ) : (
          o.due && <DueStack due={o.due} zone={zone} />
        )}
      </span>
    );
  }
  if (o.kind === 'annual') {
    return (
      <span className="due">
        <span className="due__date">Annual log</span>
        <span className="due__time">{o.due ? `by ${formatDue(o.due, zone)}` : 'yearly report to the regulator'}</span>
      </span>
    );
  }
  if (!o.due) return <span className="muted">No fixed time</span>;
  return <DueStack due={o.due} zone={zone} />;
}

/** What the countdown column says once nothing is left to count. */
function settledText(o: Obligation, zone: string): string {
  if (o.status === 'done') {
    const first = o.filings[0];
    return first ? `Sent ${formatDue(first.sent_at, zone)}` : 'Done';
  }
  if (o.status === 'not_required') return 'Not required';
  if (o.status === 'exempt') return 'Exempt';
  if (o.status === 'out_of_scope') return 'No longer called for';
  return o.kind === 'asap' ? 'As soon as possible' : o.kind === 'annual' ? 'Annual log' : '—';
}

function Chevron({ open }: { open: boolean }) {
  return (
    <svg className={open ? 'chev chev--open' : 'chev'} width="12" height="12" viewBox="0 0 12 12" aria-hidden="true">
      <path d="M4 2.5 7.5 6 4 9.5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
