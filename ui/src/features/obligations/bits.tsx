// Small pieces shared by the cockpit, the internal clocks, the what-if sandbox and the residence list.
import { useState, type ReactNode } from 'react';
import type { Confidence, ObligationStatus } from '../../lib/ipc/bindings';
import { confidenceLabel, humanise } from '../../lib/labels';
import { dueParts } from '../../lib/time';
import { formatCountdown, URGENCY_LABEL, type Urgency } from './urgency';

const STATUS_LABEL: Record<ObligationStatus, string> = {
  open: 'Open',
  due_soon: 'Due soon',
  overdue: 'Overdue',
  done: 'Done',
  exempt: 'Exempt',
  not_required: 'Not required',
  out_of_scope: 'Out of scope',
};

/** The backend's status of an obligation or internal clock. */
export function ObligationStatusPill({ status }: { status: ObligationStatus }) {
  return (
    <span className={`ostatus ostatus--${status}`} data-status={status}>
      <span className="ostatus__dot" aria-hidden="true" />
      {STATUS_LABEL[status]}
    </span>
  );
}

/**
 * Shown only when the rule's reading is not settled (medium or low confidence). `short` drops the
 * word "confidence" for tight rows; the tooltip still says it.
 */
export function ConfidenceBadge({ confidence, always = false, short = false }: { confidence: Confidence; always?: boolean; short?: boolean }) {
  if (!always && confidence === 'high') return null;
  const label = confidenceLabel(confidence);
  const uncertain = confidence === 'high' ? undefined : 'The reading of this rule is uncertain: have counsel confirm it.';
  return (
    <span
      className={`conf conf--${confidence}`}
      data-testid="confidence"
      data-confidence={confidence}
      title={short ? [label, uncertain].filter(Boolean).join('. ') : uncertain}
    >
      {short ? humanise(confidence) : label}
    </span>
  );
}

/** One line of a `.kv` list: a label and its value. */
export function KvRow({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="kv__row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/**
 * A source as text with a copy button: the app's webview has no permission to open a browser,
 * and following a link inside it would navigate the app away.
 */
export function SourceLink({ url, testId }: { url: string; testId?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = () => {
    navigator.clipboard?.writeText(url).then(
      () => {
        setCopied(true);
        window.setTimeout(() => setCopied(false), 1500);
      },
      () => setCopied(false),
    );
  };
  return (
    <span className="source">
      <span className="source__url" data-testid={testId} title="Copy the address to open it in your browser">
        {url}
      </span>
      <button type="button" className="btn btn--link btn--sm" onClick={copy}>
        {copied ? 'Copied' : 'Copy'}
      </button>
    </span>
  );
}

/** A due time as the incident's wall time with the zone abbreviation, date above time. */
export function DueStack({ due, zone }: { due: string; zone: string }) {
  const p = dueParts(due, zone);
  if (!p) return <span>{due}</span>;
  return (
    <time className="due" dateTime={due} title={due}>
      <span className="due__date">{p.date}</span>
      <span className="due__time">
        {p.time} <span className="due__zone">{p.zone}</span>
      </span>
    </time>
  );
}

type CountdownProps = {
  /** Milliseconds to the target; null when there is none. */
  msLeft: number | null;
  urgency: Urgency;
  /** Text when there is nothing to count down to. */
  idle?: string;
  /** Added to the urgency words under the countdown, e.g. "internal target". */
  note?: string;
};

/** The live countdown, coloured by urgency and always with words. */
export function Countdown({ msLeft, urgency, idle = '—', note }: CountdownProps) {
  const settled = urgency === 'done' || urgency === 'exempt' || urgency === 'not_required' || urgency === 'out_of_scope';
  const text = msLeft === null || settled ? idle : formatCountdown(msLeft);
  const words = msLeft === null ? (urgency === 'overdue' ? URGENCY_LABEL.overdue : 'No fixed time') : URGENCY_LABEL[urgency];
  return (
    <span className={`countdown u-${urgency}`}>
      <span className="countdown__value" data-testid="countdown" data-urgency={urgency}>
        {text}
      </span>
      {!settled && !(urgency === 'overdue' && msLeft !== null) && (
        <span className="countdown__note">
          {words}
          {note && msLeft !== null ? ` · ${note}` : ''}
        </span>
      )}
    </span>
  );
}
