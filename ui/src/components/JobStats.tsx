import type { ReactNode } from 'react';

type Props = {
  /** The first figure: rows read, letters written. */
  label: string;
  count: ReactNode;
  countTestId: string;
  rate: string;
  eta: string;
  elapsed: string;
};

/** A long job's figures: how far, how fast, how long still, how long so far. */
export function JobStats({ label, count, countTestId, rate, eta, elapsed }: Props) {
  return (
    <dl className="iprogress__stats">
      <div>
        <dt>{label}</dt>
        <dd className="tabular" data-testid={countTestId}>
          {count}
        </dd>
      </div>
      <div>
        <dt>Speed</dt>
        <dd className="tabular">{rate}</dd>
      </div>
      <div>
        <dt>Time left</dt>
        <dd className="tabular">{eta}</dd>
      </div>
      <div>
        <dt>Elapsed</dt>
        <dd className="tabular">{elapsed}</dd>
      </div>
    </dl>
  );
}
