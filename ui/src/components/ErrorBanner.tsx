import type { ReactNode } from 'react';
import type { ErrorBody } from '../lib/ipc/bindings';
import { errorText } from '../lib/ipc/errors';
import { Banner } from './Banner';

/** An ErrorBody shown as a banner; renders nothing without an error. */
export function ErrorBanner({ error, testId, action }: { error: ErrorBody | null; testId?: string; action?: ReactNode }) {
  if (!error) return null;
  return (
    <Banner tone="error" testId={testId} action={action}>
      <span data-code={error.code}>{errorText(error)}</span>
    </Banner>
  );
}
