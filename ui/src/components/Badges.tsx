import { humanise } from '../lib/labels';

/** SEV-0 … SEV-3, coloured by urgency. */
export function SeverityBadge({ severity }: { severity: string }) {
  const level = /^SEV-([0-3])$/.exec(severity)?.[1] ?? 'x';
  return <span className={`sev sev--${level}`}>{severity}</span>;
}

/** Where an incident stands in its lifecycle. */
export function StatusPill({ status, testId }: { status: string; testId?: string }) {
  return (
    <span className={`status status--${status}`} data-testid={testId} data-status={status}>
      <span className="status__dot" aria-hidden="true" />
      {humanise(status)}
    </span>
  );
}
