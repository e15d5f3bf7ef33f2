import { useCallback, useState } from 'react';
import type { Monitoring, Narrative } from '../../lib/ipc/bindings';
import { api } from '../../lib/ipc/client';
import { useLoad } from '../../lib/useLoad';
import { useTask } from '../../lib/useAction';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { ErrorBanner } from '../../components/ErrorBanner';

type TextKey = {
  [K in keyof Narrative]: Narrative[K] extends string | null ? K : never;
}[keyof Narrative];

/** The narrative fields shown, in the order a letter reads them. */
const TEXTS: { key: TextKey; label: string; long?: boolean; date?: boolean }[] = [
  { key: 'what_happened', label: 'What happened', long: true },
  { key: 'how_discovered', label: 'How it was discovered', long: true },
  { key: 'breach_start', label: 'Breach began', date: true },
  { key: 'breach_end', label: 'Breach ended', date: true },
  { key: 'investigation', label: 'Investigation', long: true },
  { key: 'mitigation', label: 'Mitigation', long: true },
  { key: 'prevention', label: 'Prevention', long: true },
  { key: 'what_you_can_do', label: 'What people can do', long: true },
  { key: 'consequences', label: 'Likely consequences (GDPR)', long: true },
  { key: 'measures', label: 'Measures taken or proposed (GDPR)', long: true },
  { key: 'le_delay_statement', label: 'Law-enforcement delay statement' },
  { key: 'individual_notice_dates', label: 'Individual notice sent (outside Breachdesk)' },
];

const NO_MONITORING: Monitoring = { provider: '', months: 12, enroll_url: null, enroll_by: null, phone: null };

/** What the incident's notices say in words; templates that need a field name it when it is empty. */
export function NarrativeCard({ incidentId, onSaved }: { incidentId: string; onSaved: () => Promise<void> }) {
  const load = useLoad(useCallback(() => api.getNarrative({ id: incidentId }), [incidentId]));
  if (load.error) return <ErrorBanner error={load.error} onRetry={load.reload} />;
  if (!load.data) return null;
  return <NarrativeForm incidentId={incidentId} initial={load.data} onSaved={onSaved} />;
}

function NarrativeForm({ incidentId, initial, onSaved }: { incidentId: string; initial: Narrative; onSaved: () => Promise<void> }) {
  const [n, setN] = useState<Narrative>(initial);
  const [open, setOpen] = useState(false);
  const task = useTask();
  const [saved, setSaved] = useState(false);
  const filled = TEXTS.filter((t) => n[t.key]).length;
  const set = (key: TextKey, v: string) => setN({ ...n, [key]: v.trim() ? v : null });
  const monitoring = n.monitoring;
  const setMonitoring = (m: Partial<Monitoring> | null) => setN({ ...n, monitoring: m === null ? null : { ...(monitoring ?? NO_MONITORING), ...m } });
  const save = async () => {
    setSaved(false);
    await task.run(async () => {
      await api.setNarrative({ id: incidentId, narrative: n });
      setSaved(true);
      await onSaved();
    });
  };
  return (
    <Card
      title="What the notices say"
      testId="narrative-card"
      actions={
        <Button size="sm" variant="ghost" onClick={() => setOpen(!open)} testId="narrative-toggle">
          {open ? 'Close' : `Edit (${filled} of ${TEXTS.length} written)`}
        </Button>
      }
    >
      {!open ? (
        <p className="muted small">The incident's account in words, shared by every notice: what happened, what is being done, the monitoring offer. Empty fields fall back to the templates' careful defaults, or stop a notice that needs them.</p>
      ) : (
        <>
          <div className="form-grid">
            {TEXTS.map((t) => (
              <div className={t.long ? 'field span-2' : 'field'} key={t.key}>
                <label className="field__label" htmlFor={`nar-${t.key}`}>
                  {t.label}
                </label>
                {t.long ? (
                  <textarea id={`nar-${t.key}`} className="input textarea" rows={3} value={n[t.key] ?? ''} onChange={(e) => set(t.key, e.target.value)} data-testid={`nar-${t.key}`} />
                ) : (
                  <input id={`nar-${t.key}`} className="input" type={t.date ? 'date' : 'text'} value={n[t.key] ?? ''} onChange={(e) => set(t.key, e.target.value)} data-testid={`nar-${t.key}`} />
                )}
              </div>
            ))}
            <div className="field span-2">
              <label className="checkbox">
                <input type="checkbox" checked={monitoring !== null} onChange={(e) => setMonitoring(e.target.checked ? {} : null)} data-testid="nar-monitoring" /> Credit monitoring is offered at no cost
              </label>
            </div>
            {monitoring && (
              <>
                <div className="field">
                  <label className="field__label" htmlFor="nar-mon-provider">
                    Provider
                  </label>
                  <input id="nar-mon-provider" className="input" value={monitoring.provider} onChange={(e) => setMonitoring({ provider: e.target.value })} />
                </div>
                <div className="field">
                  <label className="field__label" htmlFor="nar-mon-months">
                    Months
                  </label>
                  <input id="nar-mon-months" className="input" type="number" min={1} value={monitoring.months} onChange={(e) => setMonitoring({ months: Number(e.target.value) || 0 })} />
                </div>
                <div className="field">
                  <label className="field__label" htmlFor="nar-mon-url">
                    Enrolment web address
                  </label>
                  <input id="nar-mon-url" className="input" value={monitoring.enroll_url ?? ''} onChange={(e) => setMonitoring({ enroll_url: e.target.value || null })} />
                </div>
                <div className="field">
                  <label className="field__label" htmlFor="nar-mon-by">
                    Enrol by
                  </label>
                  <input id="nar-mon-by" className="input" type="date" value={monitoring.enroll_by ?? ''} onChange={(e) => setMonitoring({ enroll_by: e.target.value || null })} />
                </div>
              </>
            )}
          </div>
          {task.error && <ErrorBanner error={task.error} testId="narrative-error" />}
          <div className="form-actions">
            <Button variant="primary" busy={task.busy} onClick={() => void save()} testId="narrative-save">
              Save
            </Button>
            {saved && <span className="ok-text small">Saved. Drafts re-render with it; approved notices that change lose their approval.</span>}
          </div>
        </>
      )}
    </Card>
  );
}
