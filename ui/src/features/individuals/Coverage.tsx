// How many of a state's residents its breach law covers: the residence list's coverage column
// and the explanation it opens.
import type { Confidence, StateCoverage } from '../../lib/ipc/bindings';
import { confidenceLabel } from '../../lib/labels';
import { ConfidenceBadge, KvRow, SourceLink } from '../obligations';
import { residenceName } from './format';
import { InfoIcon } from './InfoIcon';

/** A state whose definition of personal information is encoded, with the confidence of that reading. */
export type EncodedCoverage = StateCoverage & { confidence: Confidence };

const encoded = (c: StateCoverage): c is EncodedCoverage => c.confidence !== '';

/** By jurisdiction, the states whose definition of personal information is encoded (the others count everyone). */
export function coverageByCode(list: StateCoverage[] | null): Map<string, EncodedCoverage> {
  return new Map((list ?? []).filter(encoded).map((c) => [c.jurisdiction, c]));
}

/** A US state: the residences the coverage column is for. */
export const isState = (code: string) => code.startsWith('US-');

type ToggleProps = { coverage: EncodedCoverage; open: boolean; detailId: string; onToggle: () => void };

/** "300 covered", quiet when that is everyone and a warning when fewer; opens the explanation. */
export function CoverageToggle({ coverage: c, open, detailId, onToggle }: ToggleProps) {
  const partial = c.covered < c.residents;
  const sentence = `${c.covered.toLocaleString('en-US')} of ${c.residents.toLocaleString('en-US')} residents of ${residenceName(c.jurisdiction)} are covered by its breach law`;
  return (
    <button
      type="button"
      className={['ind-cov', partial ? 'ind-cov--partial' : '', open ? 'ind-cov--open' : ''].filter(Boolean).join(' ')}
      onClick={onToggle}
      aria-expanded={open}
      aria-controls={detailId}
      aria-label={`${sentence} (${confidenceLabel(c.confidence).toLowerCase()}). Why?`}
      title={`${sentence}. Click for why.`}
      data-testid="ind-coverage-toggle"
    >
      <span className="ind-coverage" data-covered={c.covered} data-residents={c.residents} data-confidence={c.confidence}>
        {c.covered.toLocaleString('en-US')} covered
      </span>
      <span className="ind-cov__conf">
        <ConfidenceBadge confidence={c.confidence} short />
      </span>
      <InfoIcon className="ind-cov__icon" />
    </button>
  );
}

/** Why the count is what it is, the definition it comes from, and how sure that reading is. */
export function CoverageDetail({ coverage: c, id }: { coverage: EncodedCoverage; id: string }) {
  return (
    <div className="ind-cov-detail" id={id} data-testid="ind-coverage-detail">
      <p className="prose">{c.why}</p>
      <dl className="kv">
        <KvRow label="Definition">{c.citation}</KvRow>
        {c.source_url && (
          <KvRow label="Source">
            <SourceLink url={c.source_url} testId="ind-coverage-source" />
          </KvRow>
        )}
        <KvRow label="Confidence">
          <ConfidenceBadge confidence={c.confidence} always />
        </KvRow>
      </dl>
    </div>
  );
}
