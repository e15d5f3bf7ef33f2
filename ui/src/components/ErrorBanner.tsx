import type { ReactNode } from 'react';
import type { ErrorBody } from '../lib/ipc/bindings';
import { errorText } from '../lib/ipc/errors';
import { Banner } from './Banner';
import { Button } from './Button';

type Props = {
  error: ErrorBody | null;
  testId?: string;
  action?: ReactNode;
  /** Offers a small "Try again" button (when no other action is given) that calls this. */
  onRetry?: () => unknown;
  retryDisabled?: boolean;
};

/** An ErrorBody shown as a banner; renders nothing without an error. */
export function ErrorBanner({ error, testId, action, onRetry, retryDisabled }: Props) {
  if (!error) return null;
  const retry = onRetry && (
    <Button size="sm" onClick={() => void onRetry()} disabled={retryDisabled}>
      Try again
    </Button>
  );
  return (
    <Banner tone="error" testId={testId} action={action ?? retry}>
      <span data-code={error.code}>{errorText(error)}</span>
    </Banner>
  );
}
