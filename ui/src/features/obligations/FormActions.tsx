import type { ReactNode } from 'react';
import { Button } from '../../components/Button';

type Props = { busy: boolean; onCancel: () => void; cancelTestId?: string; submitTestId: string; children: ReactNode };

/** The Cancel and submit buttons at the foot of the cockpit's forms; `children` is the submit's label. */
export function FormActions({ busy, onCancel, cancelTestId, submitTestId, children }: Props) {
  return (
    <div className="form-actions form-actions--end">
      <Button variant="ghost" onClick={onCancel} testId={cancelTestId}>
        Cancel
      </Button>
      <Button type="submit" variant="primary" busy={busy} testId={submitTestId}>
        {children}
      </Button>
    </div>
  );
}
