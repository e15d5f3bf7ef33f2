import type { Counts } from '../../lib/ipc/bindings';
import { dataTypeLabel } from '../../lib/labels';
import { Card } from '../../components/Card';

/** How many people each kind of data was exposed for, from the list's data-elements column. */
export function ElementCounts({ counts }: { counts: Counts }) {
  const entries = Object.entries(counts.by_element).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const max = entries[0]?.[1] ?? 0;
  return (
    <Card title="Data elements" actions={<span className="muted small">people per element</span>} className="ind-card">
      {entries.length === 0 ? (
        <p className="muted small">The list has no data-elements column, or it is empty. The incident’s data types are set in Facts.</p>
      ) : (
        <ul className="ind-bars">
          {entries.map(([element, n]) => (
            <li key={element} className="ind-bar ind-bar--static" data-testid="ind-element" data-element={element} data-count={n}>
              <span className="ind-bar__label">
                <span className="ind-bar__name ind-bar__name--strong">{dataTypeLabel(element)}</span>
              </span>
              <span className="ind-bar__track" aria-hidden="true">
                <span className="ind-bar__fill" style={{ width: `${max > 0 ? Math.max(1, (n / max) * 100) : 0}%` }} />
              </span>
              <span className="ind-bar__count">{n.toLocaleString('en-US')}</span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
