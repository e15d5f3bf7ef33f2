import { useCallback, useEffect, useState } from 'react';
import type { CodesReport, ErrorBody, LetterStatus, MergeReport, MergeRun, Notice, ReturnsReport, SendReport } from '../../lib/ipc/bindings';
import { api, pickFile } from '../../lib/ipc/client';
import { useLoad } from '../../lib/useLoad';
import { useTask } from '../../lib/useAction';
import { useJobRun, type LiveJob } from '../../lib/useJobRun';
import { useNow } from '../../lib/useNow';
import { etaMs, formatCount, formatElapsed, formatEta, formatRate, fraction, rowsPerSecond } from '../../lib/progress';
import { Button } from '../../components/Button';
import { JobStats } from '../../components/JobStats';
import { Card } from '../../components/Card';
import { ErrorBanner } from '../../components/ErrorBanner';
import { ChangeList } from '../facts';
import { TextInput } from './TextInput';

/** The letter statuses in the order a letter moves through them, with what each means. */
const STATUSES: { key: LetterStatus; label: string; hint: string; tone?: 'warn' }[] = [
  { key: 'queued', label: 'Queued', hint: 'Planned, not yet in a print file; or re-queued to a new address for a re-mail.' },
  { key: 'printed', label: 'Printed', hint: 'In a print-ready file of the merge.' },
  { key: 'mailed', label: 'Mailed', hint: 'The print file was recorded as mailed first class.' },
  { key: 'e-mailed', label: 'E-mailed', hint: 'Accepted by the SMTP relay (the person agreed to e-mail).' },
  { key: 'bounced', label: 'Bounced', hint: 'The e-mail was refused: it goes by first-class mail in the next re-mail.', tone: 'warn' },
  { key: 'returned', label: 'Returned', hint: 'Came back with a USPS reason (a deceased person: waiting for the next of kin’s address).', tone: 'warn' },
  { key: 're-mailed', label: 'Re-mailed', hint: 'Mailed again to a new address.' },
  { key: 'delivered', label: 'Delivered', hint: 'Delivered, as the vendor’s status file says.' },
  { key: 'substitute', label: 'Substitute', hint: 'No good address: counted toward substitute notice (HIPAA: 10 or more).', tone: 'warn' },
  { key: 'sending', label: 'Result unknown', hint: 'Handed to the relay by a send that stopped before the reply: never sent again on its own.', tone: 'warn' },
];

const PAGE = 50;

/** Whether a notice goes to a whole population, letter by letter. */
export function isPopulation(n: Notice): boolean {
  return n.person_record === null && n.obligation_key.endsWith('-individuals');
}

type Props = { notice: Notice; incidentId: string; zone: string; onChanged: () => Promise<void> };

/** A population's notice merged into one letter per person, and every letter tracked. */
export function MergeSection({ notice, incidentId, zone, onChanged }: Props) {
  const [version, setVersion] = useState(0);
  const bump = async () => {
    setVersion((v) => v + 1);
    await onChanged();
  };
  return (
    <div className="merge stack" data-testid="merge-section">
      <MergeCard notice={notice} incidentId={incidentId} version={version} onMerged={bump} />
      <LettersCard notice={notice} incidentId={incidentId} zone={zone} version={version} onChanged={bump} />
    </div>
  );
}

function MergeCard({ notice, incidentId, version, onMerged }: { notice: Notice; incidentId: string; version: number; onMerged: () => Promise<void> }) {
  const id = notice.id;
  const runs = useLoad(useCallback(() => api.mergeRuns({ id }), [id]));
  const reloadRuns = runs.reload;
  useEffect(() => {
    if (version > 0) void reloadRuns();
  }, [version, reloadRuns]);
  const job = useJobRun();
  const [outDir, setOutDir] = useState('');
  const [batch, setBatch] = useState('5000');
  const [perPerson, setPerPerson] = useState(false);
  const [eml, setEml] = useState(true);
  const [report, setReport] = useState<MergeReport | null>(null);
  const [error, setError] = useState<ErrorBody | null>(null);
  const codes = useTask();
  const [codesReport, setCodesReport] = useState<CodesReport | null>(null);
  const sent = notice.status === 'sent' || notice.status === 'confirmed';

  const merge = async () => {
    setError(null);
    const r = await job.run((j) =>
      api.mergeNotice({ id, job: j, input: { out_dir: outDir.trim(), per_person: perPerson, batch_size: Number(batch) || null, email_eml: eml } }),
    );
    if (r.ok) setReport(r.value);
    else setError(r.error);
    await onMerged();
  };
  const importCodes = () =>
    codes.run(async () => {
      const path = await pickFile();
      if (path) setCodesReport(await api.importCodes({ incident_id: incidentId, path }));
    });

  const last: MergeRun | undefined = runs.data?.[0];
  return (
    <Card
      title={sent ? 'Re-mail: letters to new addresses' : 'Mail merge: one letter per person'}
      testId="merge-card"
      actions={last && <span className={`notice-status notice-status--${last.approved ? 'approved' : last.finished ? 'sent' : 'draft'}`}>{last.approved ? 'Merge approved' : last.finished ? 'Merged' : 'Not finished'}</span>}
    >
      <p className="muted small">
        {sent
          ? 'Letters re-queued by a returns file (new addresses, the next of kin, bounced e-mails) go out again by first-class mail.'
          : 'Every person the obligation covers gets the variant the variant rule picks. Print files are in mailing order (ZIP, then name), with a manifest for the print vendor. Stopped or killed, merging again goes on where it stopped: no letter is written twice.'}
      </p>
      <div className="form-grid">
        <TextInput id="merge-out" label={<>Output folder <span className="muted">(empty: the export folder)</span></>} value={outDir} onChange={setOutDir} testId="merge-out" />
        <TextInput id="merge-batch" label={<>Letters per print file</>} value={batch} onChange={setBatch} testId="merge-batch" type="number" min={1} />
      </div>
      <div className="merge__options">
        <label className="check">
          <input type="checkbox" checked={eml} onChange={(e) => setEml(e.target.checked)} data-testid="merge-eml" /> E-mail letters as .eml files
        </label>
        <label className="check">
          <input type="checkbox" checked={perPerson} onChange={(e) => setPerPerson(e.target.checked)} data-testid="merge-per-person" /> Also one PDF per person
        </label>
      </div>
      {job.live ? (
        <MergeProgress live={job.live} onStop={() => void job.stop()} />
      ) : (
        <div className="form-actions">
          <Button variant="primary" testId="merge-run" onClick={() => void merge()}>
            {last && !last.finished ? 'Go on merging' : sent ? 'Merge the re-mail' : 'Merge'}
          </Button>
          {!sent && (
            <Button size="sm" testId="codes-import" busy={codes.busy} onClick={() => void importCodes()}>
              Import activation codes…
            </Button>
          )}
          {codesReport && (
            <span className="muted small" data-testid="codes-result">
              {formatCount(codesReport.imported)} codes imported · {formatCount(codesReport.unused)} unused
            </span>
          )}
        </div>
      )}
      {error && <ErrorBanner error={error} testId="merge-error" />}
      {codes.error && <ErrorBanner error={codes.error} />}
      {report && !report.finished && (
        <p className="banner banner--warning small" data-testid="merge-stopped">
          Stopped after {formatCount(report.written)} letters. What was written is kept: merge again to go on.
        </p>
      )}
      {report && <MergeSummary report={report} />}
      {!report && last && <RunSummary run={last} />}
    </Card>
  );
}

function MergeProgress({ live, onStop }: { live: LiveJob; onStop: () => void }) {
  const now = useNow(1000);
  const p = live.progress;
  const frac = fraction(p);
  const pct = frac === null ? null : Math.floor(frac * 100);
  return (
    <div className="iprogress" data-testid="merge-progress" data-done={p?.rows ?? 0}>
      <div className="iprogress__head">
        <p className="iprogress__title">{live.stopping ? 'Stopping after this batch…' : 'Merging letters…'}</p>
        <span className="iprogress__pct tabular">{pct === null ? '' : `${pct} %`}</span>
      </div>
      <div className="iprogress__bar" role="progressbar" aria-label="Merging letters" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct ?? undefined}>
        <span className="iprogress__fill" style={{ width: `${(frac ?? 0) * 100}%` }} />
      </div>
      <JobStats
        label="Letters"
        count={`${formatCount(p?.rows ?? 0)} of ${formatCount(p?.total_bytes ?? 0)}`}
        countTestId="merge-progress-letters"
        rate={formatRate(rowsPerSecond(live.samples), 'letters')}
        eta={formatEta(p ? etaMs(live.samples, p.total_bytes) : null)}
        elapsed={formatElapsed(now - live.startedAt)}
      />
      <div className="iprogress__foot">
        <p className="muted small">Each print file is recorded once written: stopping keeps those, and merging again writes only the rest.</p>
        <Button size="sm" onClick={onStop} busy={live.stopping} testId="merge-stop">
          Stop
        </Button>
      </div>
    </div>
  );
}

function MergeSummary({ report: r }: { report: MergeReport }) {
  return (
    <div className="merge__summary" data-testid="merge-summary" data-finished={r.finished} data-letters={r.letters} data-written={r.written}>
      <p>
        <strong>{formatCount(r.letters)}</strong> letters in {r.run}
        {r.resumed ? ' (resumed)' : ''}: {Object.entries(r.by_channel).map(([k, v]) => `${formatCount(v)} by ${k === 'none' ? 'no channel (substitute)' : k}`).join(' · ')}
      </p>
      <Variants variants={r.variants} />
      <Files files={r.files.filter((f) => f.kind === 'print' || f.kind === 'manifest')} dir={r.out_dir} />
    </div>
  );
}

function RunSummary({ run }: { run: MergeRun }) {
  return (
    <div className="merge__summary" data-testid="merge-last-run" data-finished={run.finished}>
      <p>
        Last merge <span className="mono">{run.id}</span> ({run.kind}): {formatCount(run.letters)} letters{run.finished ? '' : ', not finished'}
        {run.other_files > 0 ? ` · ${formatCount(run.other_files)} per-person and .eml files` : ''}
      </p>
      <Variants variants={run.variants} />
      <Files files={run.files} dir={run.out_dir} />
    </div>
  );
}

function Variants({ variants }: { variants: MergeReport['variants'] }) {
  return (
    <ul className="merge__variants" data-testid="merge-variants">
      {variants.map((v) => {
        const blocks = v.report.findings.filter((f) => f.severity === 'BLOCK').length;
        return (
          <li key={v.template} data-testid="merge-variant" data-ok={v.report.ok}>
            <span className={v.report.ok ? 'letter-status letter-status--delivered' : 'letter-status letter-status--returned'}>{v.report.ok ? 'passes' : `${blocks} BLOCK`}</span> {v.title}{' '}
            <span className="muted small">
              ({v.template}; {formatCount(v.letters)} letters; one checked for each of {v.residences.length} {v.residences.length === 1 ? 'residence' : 'residences'}
              {v.report.ok ? '' : `, record ${v.record} blocks`})
            </span>
          </li>
        );
      })}
    </ul>
  );
}

function Files({ files, dir }: { files: MergeReport['files']; dir: string }) {
  if (files.length === 0) return null;
  return (
    <table className="table merge__files">
      <caption className="muted small">
        In <code className="path">{dir}</code>
      </caption>
      <thead>
        <tr>
          <th>File</th>
          <th className="num">Letters</th>
          <th className="num">Pages</th>
          <th>SHA-256</th>
        </tr>
      </thead>
      <tbody>
        {files.map((f) => (
          <tr key={f.name} data-testid="merge-file" data-kind={f.kind}>
            <td className="mono small">{f.name}</td>
            <td className="num tabular">{formatCount(f.letters)}</td>
            <td className="num tabular">{f.kind === 'manifest' ? '' : formatCount(f.pages)}</td>
            <td>
              <code className="mono hash" title={f.sha256}>
                {f.sha256.slice(0, 16)}…
              </code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function LettersCard({ notice, incidentId, zone, version, onChanged }: Props & { version: number }) {
  const id = notice.id;
  const [status, setStatus] = useState<LetterStatus | null>(null);
  const [offset, setOffset] = useState(0);
  const people = useLoad(useCallback(() => api.noticePeople({ id, status, offset, limit: PAGE }), [id, status, offset]));
  const reloadPeople = people.reload;
  useEffect(() => {
    void reloadPeople();
  }, [status, offset, version, reloadPeople]);
  const returns = useTask();
  const [returnsPath, setReturnsPath] = useState('');
  const [returnsReport, setReturnsReport] = useState<ReturnsReport | null>(null);
  const evidence = useTask();
  const [evidencePath, setEvidencePath] = useState<string | null>(null);
  const email = useJobRun();
  const [sendReport, setSendReport] = useState<SendReport | null>(null);
  const [sendError, setSendError] = useState<ErrorBody | null>(null);
  const smtp = useLoad(useCallback(() => api.getSmtp(), []));

  const counts = people.data?.counts ?? {};
  const total = Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);
  if (people.data && total === 0) return null;

  const importReturns = (path: string) =>
    returns.run(async () => {
      setReturnsReport(await api.importReturns({ incident_id: incidentId, path }));
      await onChanged();
    });
  const send = async () => {
    setSendError(null);
    const r = await email.run((j) => api.sendNoticeEmail({ id, dry_run: false, job: j }));
    if (r.ok) setSendReport(r.value);
    else setSendError(r.error);
    await onChanged();
  };
  const queuedEmail = (counts.queued ?? 0) > 0;
  const approved = notice.status !== 'draft';
  return (
    <Card title="Letters, person by person" testId="letters-card">
      <ul className="ind-tiles" aria-label="Letters by status">
        <li className={['ind-tile', 'ind-tile--some', status === null ? 'ind-tile--active' : ''].join(' ')}>
          <button type="button" className="ind-tile__inner ind-tile__button" onClick={() => { setStatus(null); setOffset(0); }} data-testid="letters-all" data-count={total}>
            <span className="ind-tile__count">{formatCount(total)}</span>
            <span className="ind-tile__label">All letters</span>
          </button>
        </li>
        {STATUSES.filter((s) => s.key !== 'sending' || (counts.sending ?? 0) > 0).map((s) => {
          const n = counts[s.key] ?? 0;
          const active = status === s.key;
          const classes = ['ind-tile', n > 0 ? 'ind-tile--some' : '', n > 0 && s.tone ? `ind-tile--${s.tone}` : '', active ? 'ind-tile--active' : ''].filter(Boolean).join(' ');
          return (
            <li key={s.key} className={classes}>
              <button
                type="button"
                className="ind-tile__inner ind-tile__button"
                title={s.hint}
                disabled={n === 0 && !active}
                aria-pressed={active}
                onClick={() => {
                  setStatus(active ? null : s.key);
                  setOffset(0);
                }}
                data-testid={`letters-${s.key}`}
                data-count={n}
              >
                <span className="ind-tile__count">{formatCount(n)}</span>
                <span className="ind-tile__label">{s.label}</span>
              </button>
            </li>
          );
        })}
      </ul>
      {people.error && <ErrorBanner error={people.error} onRetry={people.reload} />}
      {people.data && (
        <>
          <table className="table letters-table" data-testid="letters-table" data-total={people.data.total}>
            <thead>
              <tr>
                <th>Letter</th>
                <th className="num">Record</th>
                <th>To</th>
                <th>By</th>
                <th>Status</th>
                <th>Why</th>
              </tr>
            </thead>
            <tbody>
              {people.data.letters.map((l) => (
                <tr key={l.id} data-testid="letter-row" data-status={l.status}>
                  <td className="mono small">{l.id}</td>
                  <td className="num tabular">{l.record}</td>
                  <td>
                    {l.addressee}
                    {l.has_code && <span className="muted small"> · code</span>}
                  </td>
                  <td>{l.channel === 'none' ? '—' : l.channel === 'email' ? 'E-mail' : 'Mail'}</td>
                  <td>
                    <span className={`letter-status letter-status--${l.status}`}>{STATUSES.find((s) => s.key === l.status)?.label ?? l.status}</span>
                  </td>
                  <td className="small">{l.reason ?? <span className="muted">{l.variant}</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="form-actions">
            <Button size="sm" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))} testId="letters-prev">
              Previous
            </Button>
            <span className="muted small tabular">
              {people.data.total === 0 ? 'none' : `${formatCount(offset + 1)}–${formatCount(Math.min(offset + PAGE, people.data.total))} of ${formatCount(people.data.total)}`}
            </span>
            <Button size="sm" disabled={offset + PAGE >= people.data.total} onClick={() => setOffset(offset + PAGE)} testId="letters-next">
              Next
            </Button>
          </div>
        </>
      )}
      <h3 className="card__subtitle">What came back</h3>
      <p className="muted small">
        The print vendor’s return/status file or an SMTP bounce list: CSV keyed by letter id (the README gives the columns). New addresses are re-queued for a re-mail, a deceased person’s letter goes to the next of kin, and returns with no new address count toward substitute notice.
      </p>
      <div className="form-actions">
        <input className="input" placeholder="returns.csv" value={returnsPath} onChange={(e) => setReturnsPath(e.target.value)} data-testid="returns-path" />
        <Button size="sm" testId="returns-import" busy={returns.busy} disabled={!returnsPath.trim()} onClick={() => void importReturns(returnsPath.trim())}>
          Import
        </Button>
        <Button
          size="sm"
          onClick={() =>
            void pickFile().then((p) => {
              if (p) void importReturns(p);
            })
          }
        >
          Choose file…
        </Button>
      </div>
      {returns.error && <ErrorBanner error={returns.error} testId="returns-error" />}
      {returnsReport && (
        <div className="merge__returns" data-testid="returns-result" data-substitute={returnsReport.substitute} data-requeued={returnsReport.requeued}>
          <p>
            {formatCount(returnsReport.rows)} rows: {formatCount(returnsReport.requeued)} re-queued to a new address, {formatCount(returnsReport.substitute)} toward substitute notice,{' '}
            {formatCount(returnsReport.next_of_kin)} to the next of kin. {formatCount(returnsReport.undeliverable)} people of the incident now have no usable address.
          </p>
          <ChangeList changes={returnsReport.changes} zone={zone} itemTestId="returns-change" />
        </div>
      )}
      <h3 className="card__subtitle">Proof and e-mail</h3>
      <div className="form-actions">
        <Button size="sm" testId="evidence-export" busy={evidence.busy} onClick={() => void evidence.run(async () => setEvidencePath(await api.exportNoticeEvidence({ id })))}>
          Export 164.414 evidence (CSV)
        </Button>
        {evidencePath && (
          <span className="muted small" data-testid="evidence-exported">
            Saved to <code className="path">{evidencePath}</code>
          </span>
        )}
        {email.live ? (
          <MergeProgress live={email.live} onStop={() => void email.stop()} />
        ) : (
          <Button size="sm" testId="email-send" disabled={!approved || !queuedEmail || !smtp.data} title={smtp.data ? undefined : 'No SMTP relay is configured: breachdesk config smtp'} onClick={() => void send()}>
            Send the e-mail letters{smtp.data ? ` via ${smtp.data.host}` : ''}
          </Button>
        )}
      </div>
      {evidence.error && <ErrorBanner error={evidence.error} />}
      {sendError && <ErrorBanner error={sendError} />}
      {sendReport && (
        <p className="small" data-testid="email-result">
          {formatCount(sendReport.sent)} e-mailed, {formatCount(sendReport.bounced)} bounced, {formatCount(sendReport.deferred)} deferred.
        </p>
      )}
    </Card>
  );
}
