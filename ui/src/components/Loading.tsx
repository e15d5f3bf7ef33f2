import type { ReactNode } from 'react';
import type { ErrorBody } from '../lib/ipc/bindings';
import { ErrorBanner } from './ErrorBanner';

/** A muted "Loading …" line, announced politely. */
export function Loading({ children }: { children: ReactNode }) {
  return (
    <p className="muted" role="status">
      {children}
    </p>
  );
}

type PendingProps = {
  error: ErrorBody | null;
  errorTestId?: string;
  /** Offered as "Try again" on the error; none when absent. */
  onRetry?: (() => unknown) | undefined;
  /** The loading line. */
  children: ReactNode;
};

/** What stands in for data not there yet: the error of its load, else the loading line. */
export function Pending({ error, errorTestId, onRetry, children }: PendingProps) {
  return error ? <ErrorBanner error={error} testId={errorTestId} onRetry={onRetry} /> : <Loading>{children}</Loading>;
}
