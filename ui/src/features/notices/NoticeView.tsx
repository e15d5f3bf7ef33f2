import { useCallback, useState } from 'react';
import type { Channel, Incident, Notice, NoticeEvent } from '../../lib/ipc/bindings';
import { api, pickFile } from '../../lib/ipc/client';
import { useLoad } from '../../lib/useLoad';
import { useAction, useTask } from '../../lib/useAction';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Loading } from '../../components/Loading';
import { useSession } from '../shell';
import { Findings } from './Findings';
import { Pages } from './Pages';
import { NOTICE_STATUS_LABEL } from './labels';
import { TextInput } from './TextInput';
import { MergeSection, isPopulation } from './MergeSection';

const CHANNELS: Record<Channel, string> = { mail: 'Mail', email: 'E-mail', portal: 'Portal', fax: 'Fax', press: 'Press', phone: 'Phone' };

type Props = { notice: Notice; incident?: Incident; onChanged: () => Promise<void> };

/** One notice: its pages, the checker beside them, the next step of the workflow, and its history. */
export function NoticeView({ notice, incident, onChanged }: Props) {
  const id = notice.id;
  const pages = useLoad(useCallback(() => api.noticePages({ id }), [id]));
  const [exported, setExported] = useState<string | null>(null);
  const exporting = useTask();
  const exportPdf = () => exporting.run(async () => setExported(await api.exportNoticePdf({ id })));
  return (
    <>
    <div className="notice-view" data-testid="notice-view" data-id={notice.id} data-status={notice.status}>
      <div className="notice-view__preview">
        {pages.data ? <Pages pages={pages.data.pages} text={pages.data.text} /> : <Loading>Rendering pages…</Loading>}
        {pages.error && <ErrorBanner error={pages.error} onRetry={pages.reload} />}
      </div>
      <div className="notice-view__side stack">
        <Card
          title={
            <>
              <span className="mono">{notice.id}</span> · {notice.obligation_key}
            </>
          }
          actions={
            <span className={`notice-status notice-status--${notice.status}`} data-testid="notice-status">
              {NOTICE_STATUS_LABEL[notice.status]}
            </span>
          }
        >
          <dl className="notice-kv">
            <dt>To</dt>
            <dd data-testid="notice-addressee">{notice.addressee}</dd>
            <dt>Template</dt>
            <dd>
              {notice.template_title} <span className="muted">({notice.template_id} v{notice.template_version})</span>
            </dd>
            <dt>Why this template</dt>
            <dd data-testid="notice-variant">{notice.variant_reason}</dd>
            <dt>Dated</dt>
            <dd>{notice.dated}</dd>
            <dt>PDF</dt>
            <dd>
              {notice.pages} {notice.pages === 1 ? 'page' : 'pages'}, {notice.paper === 'a4' ? 'A4' : 'Letter'} · SHA-256{' '}
              <code className="mono hash" title={notice.pdf_sha256}>
                {notice.pdf_sha256.slice(0, 16)}…
              </code>
            </dd>
            {notice.approved_by && (
              <>
                <dt>Approved by</dt>
                <dd data-testid="notice-approved-by">{notice.approved_by}</dd>
              </>
            )}
            {notice.amends && (
              <>
                <dt>Amends</dt>
                <dd className="mono">{notice.amends}</dd>
              </>
            )}
          </dl>
          <div className="form-actions">
            <Button
              size="sm"
              testId="notice-export"
              busy={exporting.busy}
              onClick={() => void exportPdf()}
            >
              Save PDF…
            </Button>
            {exported && (
              <span className="muted small" data-testid="notice-exported">
                Saved to <code className="path">{exported}</code>
              </span>
            )}
          </div>
          {exporting.error && <ErrorBanner error={exporting.error} />}
        </Card>
        <Card title="Checker" testId="notice-checker">
          <Findings report={notice.report} />
        </Card>
        <NextStep key={notice.status} notice={notice} onChanged={onChanged} />
        <Card title="History" testId="notice-history">
          <ol className="notice-history">
            {notice.events.map((e) => (
              <HistoryItem key={e.id} e={e} />
            ))}
          </ol>
        </Card>
      </div>
    </div>
    {incident && isPopulation(notice) && <MergeSection notice={notice} incidentId={incident.id} zone={incident.timezone} onChanged={onChanged} />}
    </>
  );
}

function HistoryItem({ e }: { e: NoticeEvent }) {
  const detail = [
    e.by_name && `by ${e.by_name}`,
    e.channel && `${CHANNELS[e.channel as Channel] ?? e.channel}`,
    e.via && `via ${e.via}`,
    e.reference && `${e.event === 'confirmed' ? 'confirmation' : 'reference'} ${e.reference}`,
    e.recipients != null && e.event === 'sent' && `${e.recipients} recipient${e.recipients === 1 ? '' : 's'}`,
    e.note,
  ].filter(Boolean);
  return (
    <li className={`notice-history__item notice-history__item--${e.event}`} data-testid="notice-event" data-event={e.event}>
      <span className="notice-history__event">{e.event}</span> <span className="muted small">{e.at.replace('T', ' ').slice(0, 16)} · recorded by {e.recorded_by}</span>
      {detail.length > 0 && <div className="small">{detail.join(' · ')}</div>}
      {e.proofs.map((p) => (
        <div key={p.id} className="small proof" data-testid="notice-proof">
          Proof: {p.file_name} ({Math.max(1, Math.round(p.bytes / 1024))} KB) · SHA-256 <code className="mono hash">{p.sha256.slice(0, 16)}…</code>
        </div>
      ))}
    </li>
  );
}

function ProofPicker({ proofs, setProofs }: { proofs: string[]; setProofs: (p: string[]) => void }) {
  const [typed, setTyped] = useState('');
  const add = (p: string) => {
    const v = p.trim();
    if (v && !proofs.includes(v)) setProofs([...proofs, v]);
    setTyped('');
  };
  return (
    <div className="field">
      <label className="field__label" htmlFor="proof-path">
        Proof files <span className="muted">(portal receipt, certificate of mailing; kept encrypted with their SHA-256)</span>
      </label>
      <div className="input-row">
        <input id="proof-path" className="input" value={typed} placeholder="/path/to/receipt.pdf" onChange={(e) => setTyped(e.target.value)} data-testid="proof-path" />
        <Button size="sm" onClick={() => add(typed)} disabled={!typed.trim()} testId="proof-add">
          Add
        </Button>
        <Button size="sm" variant="ghost" onClick={() => void pickFile().then((p) => p && add(p))}>
          Choose…
        </Button>
      </div>
      {proofs.length > 0 && (
        <ul className="proof-list" data-testid="proof-list">
          {proofs.map((p) => (
            <li key={p}>
              <code className="path">{p}</code>{' '}
              <button type="button" className="btn btn--link btn--sm" onClick={() => setProofs(proofs.filter((x) => x !== p))}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The workflow's next step: approve a draft, record an approved notice as sent, record the confirmation. */
function NextStep({ notice, onChanged }: Props) {
  const { userName } = useSession();
  const action = useAction();
  const [by, setBy] = useState(userName ?? '');
  const [at, setAt] = useState('');
  const [channel, setChannel] = useState<Channel>('portal');
  const [reference, setReference] = useState('');
  const [recipients, setRecipients] = useState('1');
  const [via, setVia] = useState('');
  const [proofs, setProofs] = useState<string[]>([]);
  // The step's card is keyed by the status: a step that succeeds gives way to the next one.
  const submit = (f: () => Promise<unknown>) =>
    void action.run(
      async () => {
        await f();
        await onChanged();
      },
      { clearError: true },
    );

  if (notice.status === 'draft') {
    return (
      <Card title="Approve" testId="notice-approve-card">
        <p className="muted small">
          {isPopulation(notice)
            ? 'Approval binds the merge: the SHA-256 of every print file and of the manifest, and every variant passing its checker. Merge first (below).'
            : 'Approval binds the SHA-256 of this exact PDF. Any later change to the notice, its template or its data voids it.'}
        </p>
        <TextInput id="approve-by" label={<>Approved by</>} value={by} onChange={setBy} testId="approve-by" />
        {action.error && <ErrorBanner error={action.error} testId="notice-action-error" />}
        <div className="form-actions">
          <Button variant="primary" disabled={!notice.report.ok || !by.trim()} busy={action.busy} testId="notice-approve" onClick={() => submit(() => api.approveNotice({ id: notice.id, by }))}>
            Approve
          </Button>
          {!notice.report.ok && <span className="muted small">Resolve the blocking findings first.</span>}
        </div>
      </Card>
    );
  }
  if (notice.status === 'approved') {
    return (
      <Card title="Record as sent" testId="notice-sent-card">
        <div className="form-grid">
          <TextInput id="sent-at" label={<>Sent at <span className="muted">(incident's zone)</span></>} value={at} onChange={setAt} testId="sent-at" type="datetime-local" />
          <div className="field">
            <label className="field__label" htmlFor="sent-channel">
              Channel
            </label>
            <select id="sent-channel" className="input" value={channel} onChange={(e) => setChannel(e.target.value as Channel)} data-testid="sent-channel">
              {(Object.keys(CHANNELS) as Channel[]).map((c) => (
                <option key={c} value={c}>
                  {CHANNELS[c]}
                </option>
              ))}
            </select>
          </div>
          <TextInput id="sent-reference" label={<>Reference <span className="muted">(transaction or job number)</span></>} value={reference} onChange={setReference} testId="sent-reference" />
          <TextInput id="sent-recipients" label={<>Recipients</>} value={recipients} onChange={setRecipients} testId="sent-recipients" type="number" min={1} />
          <div className="field">
            <label className="field__label" htmlFor="sent-via">
              Portal or vendor
            </label>
            <input id="sent-via" className="input" value={via} placeholder="HHS OCR breach portal" onChange={(e) => setVia(e.target.value)} data-testid="sent-via" />
          </div>
        </div>
        <ProofPicker proofs={proofs} setProofs={setProofs} />
        {action.error && <ErrorBanner error={action.error} testId="notice-action-error" />}
        <div className="form-actions">
          <Button
            variant="primary"
            busy={action.busy}
            testId="notice-record-sent"
            onClick={() =>
              submit(() =>
                api.recordNoticeSent({
                  id: notice.id,
                  input: { sent_at: at, channel, reference, recipients: Number(recipients) || null, via: via.trim() || null, note: null, proofs },
                }),
              )
            }
          >
            Record as sent
          </Button>
          <span className="muted small">{notice.person_record == null ? 'Files the obligation: its due time freezes.' : 'A letter to one person leaves the obligation open.'}</span>
        </div>
      </Card>
    );
  }
  return (
    <Card title={notice.status === 'sent' ? 'Record the confirmation' : 'Add a confirmation'} testId="notice-confirm-card">
      <div className="form-grid">
        <TextInput id="confirm-number" label={<>Confirmation number</>} value={reference} onChange={setReference} testId="confirm-number" />
        <TextInput id="confirm-at" label={<>Acknowledged at</>} value={at} onChange={setAt} testId="confirm-at" type="datetime-local" />
      </div>
      <ProofPicker proofs={proofs} setProofs={setProofs} />
      {action.error && <ErrorBanner error={action.error} testId="notice-action-error" />}
      <div className="form-actions">
        <Button variant="primary" busy={action.busy} testId="notice-confirm" onClick={() => submit(() => api.confirmNotice({ id: notice.id, input: { number: reference, at, note: null, proofs } }))}>
          Record confirmation
        </Button>
      </div>
    </Card>
  );
}
