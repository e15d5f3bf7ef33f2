import { useCallback, useMemo, useState } from 'react';
import type { Incident, Notice, Obligation } from '../../lib/ipc/bindings';
import { api } from '../../lib/ipc/client';
import { useLoad } from '../../lib/useLoad';
import { useTask } from '../../lib/useAction';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Loading } from '../../components/Loading';
import { NoticeView } from './NoticeView';
import { NarrativeCard } from './NarrativeCard';
import { NOTICE_STATUS_LABEL } from './labels';

/** `initialNotice`: the notice to show first (opened from the board). */
type Props = { incident: Incident; initialNotice?: string | undefined };

const label = (o: Obligation) => `${o.label ?? `${o.jurisdiction} ${o.recipient.replace(/_/g, ' ')}`} · ${o.rule_id}`;

/** The incident's notices: draft one for an obligation, then preview, check, approve, record sent. */
export function NoticesTab({ incident, initialNotice }: Props) {
  const id = incident.id;
  const notices = useLoad(useCallback(() => api.listNotices({ id }), [id]));
  const obligations = useLoad(useCallback(() => api.listObligations({ id }), [id]));
  const [selected, setSelected] = useState<string | null>(initialNotice ?? null);
  // Drafting the notice already shown loads it again.
  const [drafts, setDrafts] = useState(0);
  const { reload: reloadNotices } = notices;
  const { reload: reloadObligations } = obligations;
  const reloadLists = useCallback(async () => {
    await Promise.all([reloadNotices(), reloadObligations()]);
  }, [reloadNotices, reloadObligations]);

  const open = (n: Notice) => setSelected(n.id);
  const drafted = async (n: Notice) => {
    setSelected(n.id);
    setDrafts((d) => d + 1);
    await notices.reload();
  };

  const list = notices.data ?? [];
  return (
    <div className="notices-tab stack" data-testid="notices-tab">
      <div className="notices-tab__top">
        <DraftForm obligations={obligations.data ?? []} incident={incident} onDrafted={drafted} />
        <Card title="Notices" testId="notice-list">
          {notices.error && <ErrorBanner error={notices.error} onRetry={notices.reload} />}
          {!notices.data && !notices.error && <Loading>Loading notices…</Loading>}
          {notices.data && list.length === 0 && <p className="muted">No notices yet. Draft one for an obligation.</p>}
          {list.length > 0 && (
            <table className="table notice-table">
              <thead>
                <tr>
                  <th>Notice</th>
                  <th>Obligation</th>
                  <th>To</th>
                  <th>Checker</th>
                  <th>Status</th>
                </tr>
              </thead>
              <tbody>
                {list.map((n) => (
                  <tr
                    key={n.id}
                    className={n.id === selected ? 'notice-table__row notice-table__row--selected' : 'notice-table__row'}
                    onClick={() => open(n)}
                    data-testid="notice-row"
                    data-id={n.id}
                    data-obligation={n.obligation_key}
                  >
                    <td>
                      <button type="button" className="btn btn--link btn--sm mono" onClick={() => open(n)}>
                        {n.id}
                      </button>
                    </td>
                    <td className="mono small">{n.obligation_key}</td>
                    <td>{n.addressee}</td>
                    <td>{n.report.ok ? <span className="ok-text">OK</span> : <span className="block-text">Blocked</span>}</td>
                    <td>
                      <span className={`notice-status notice-status--${n.status}`}>{NOTICE_STATUS_LABEL[n.status]}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      </div>
      <NarrativeCard incidentId={incident.id} onSaved={reloadLists} />
      {selected && <SelectedNotice key={`${selected}-${drafts}`} id={selected} incident={incident} onChanged={reloadLists} />}
    </div>
  );
}

/** The notice chosen in the list, loaded (and re-rendered if its inputs changed) when chosen. */
function SelectedNotice({ id, incident, onChanged }: { id: string; incident: Incident; onChanged: () => Promise<void> }) {
  const notice = useLoad(useCallback(() => api.getNotice({ id }), [id]));
  const { reload } = notice;
  const changed = useCallback(async () => {
    await Promise.all([reload(), onChanged()]);
  }, [reload, onChanged]);
  if (notice.error) return <ErrorBanner error={notice.error} onRetry={notice.reload} testId="notice-error" />;
  if (!notice.data) return <Loading>Rendering the notice…</Loading>;
  return <NoticeView key={notice.data.pdf_sha256 + notice.data.status} notice={notice.data} incident={incident} onChanged={changed} />;
}

function DraftForm({ obligations, incident, onDrafted }: { obligations: Obligation[]; incident: Incident; onDrafted: (n: Notice) => Promise<void> }) {
  const open = useMemo(() => obligations.filter((o) => o.in_scope && o.status !== 'not_required'), [obligations]);
  const [key, setKey] = useState('');
  const [person, setPerson] = useState('');
  const task = useTask();
  const chosen = open.find((o) => o.rule_id === key);
  const toPeople = chosen?.recipient === 'individuals';
  const draft = () =>
    task.run(async () => {
      const n = await api.draftNotice({
        incident_id: incident.id,
        input: { obligation: key, template: null, person: toPeople && person.trim() ? Number(person) : null, paper: null, amends: null },
      });
      await onDrafted(n);
    });
  return (
    <Card title="Draft a notice" testId="notice-draft">
      <div className="field">
        <label className="field__label" htmlFor="draft-obligation">
          Obligation
        </label>
        <select id="draft-obligation" className="input" value={key} onChange={(e) => setKey(e.target.value)} data-testid="draft-obligation">
          <option value="">Choose…</option>
          {open.map((o) => (
            <option key={o.id} value={o.rule_id}>
              {label(o)}
            </option>
          ))}
        </select>
      </div>
      {toPeople && (
        <div className="field">
          <label className="field__label" htmlFor="draft-person">
            Record number <span className="muted">(empty: the notice to everyone the obligation covers, merged letter by letter; a number: one letter to that person)</span>
          </label>
          <input id="draft-person" className="input" inputMode="numeric" value={person} onChange={(e) => setPerson(e.target.value)} data-testid="draft-person" />
        </div>
      )}
      {task.error && <ErrorBanner error={task.error} testId="draft-error" />}
      <div className="form-actions">
        <Button variant="primary" disabled={!key} busy={task.busy} testId="draft-submit" onClick={() => void draft()}>
          Draft
        </Button>
      </div>
    </Card>
  );
}
