import { useState, type ReactNode } from 'react';
import type { Incident, Obligation } from '../../lib/ipc/bindings';
import { exemptionKindLabel, humanise } from '../../lib/labels';
import { formatDue } from '../../lib/time';
import { api } from '../../lib/ipc/client';
import { errorText, toErrorBody } from '../../lib/ipc/errors';
import { Button } from '../../components/Button';
import { ConfidenceBadge, KvRow as Row, SourceLink } from './bits';
import { DecisionForm } from './DecisionForm';
import { FilingForm } from './FilingForm';

type Props = { incident: Incident; obligation: Obligation; onChanged: () => Promise<void> };

type Open = null | 'filing' | 'not_required' | 'required' | 'confirm';

/** Why the obligation exists, where it comes from, how to file, what was decided and sent. */
export function ObligationDetail({ incident, obligation: o, onChanged }: Props) {
  const [open, setOpen] = useState<Open>(null);
  const [offer, setOffer] = useState<Offer | null>(null);
  const zone = incident.timezone;
  const done = async () => {
    setOpen(null);
    await onChanged();
  };
  const notRequired = o.decision?.decision === 'not_required';
  const x = o.exemption;
  const proposed = x !== null && x.needs_confirmation && !x.confirmed && o.decision?.decision !== 'required';

  return (
    <div className="odetail" data-testid="obligation-detail" data-id={o.id}>
      {x && (
        <div className={proposed ? 'exit exit--proposed' : 'exit'} data-testid="obligation-exemption" data-kind={x.kind} data-confirmed={x.confirmed ? 'true' : 'false'}>
          <p className="exit__head">
            <strong>{proposed ? 'Exemption proposed' : 'Not required'}</strong> — {exemptionKindLabel(x.kind)} under <span data-testid="exemption-citation">{x.citation}</span>{' '}
            <ConfidenceBadge confidence={x.confidence} />
            {x.confirmed && <span className="exit__confirmed"> · confirmed</span>}
          </p>
          <p className="prose" data-testid="exemption-explanation">
            {x.explanation}
          </p>
          {x.requires.length > 0 && (
            <p className="exit__requires">
              In return: {x.requires.map((r) => r.summary.replace(/\.$/, '')).join('; ')}. Each is an obligation of its own in this list.
            </p>
          )}
          {proposed && (
            <p className="exit__note">
              {x.kind === 'risk_of_harm'
                ? 'This exit rests on a judgement: the clock keeps running until a person confirms it.'
                : 'Breachdesk holds this exit’s law at less than high confidence: the clock keeps running until a person confirms it.'}
            </p>
          )}
          {x.source_url && <SourceLink url={x.source_url} testId="exemption-source" />}
        </div>
      )}
      <div className="odetail__grid">
        <div className="odetail__main">
          <Section title="Why">
            <p className="prose" data-testid="obligation-explanation">
              {o.explanation}
            </p>
          </Section>
          <Section title="Legal basis">
            <dl className="kv">
              <Row label="Citation">
                <span data-testid="obligation-citation">{o.citation}</span>
              </Row>
              {o.source_url && (
                <Row label="Source">
                  <SourceLink url={o.source_url} testId="obligation-source" />
                </Row>
              )}
              <Row label="Rule">
                <span className="mono">{o.rule_id}</span> <span className="muted">version {o.rule_version}</span>
              </Row>
              <Row label="Confidence">
                <ConfidenceBadge confidence={o.confidence} always />
              </Row>
              {o.anchor && (
                <Row label="Timed against">
                  <span className="mono" data-testid="obligation-anchor">
                    {o.anchor}
                  </span>
                </Row>
              )}
            </dl>
          </Section>
        </div>
        <div className="odetail__side">
          <Section title="How to file">
            <dl className="kv">
              <Row label="Channel">{o.channel ?? <span className="muted">Not specified</span>}</Row>
              <Row label="Address">{o.address ? <span className="prose">{o.address}</span> : <span className="muted">Not specified</span>}</Row>
              <Row label="Owner">
                {humanise(o.owner_role)}
                {o.owner_name ? ` — ${o.owner_name}` : <span className="muted"> — not assigned</span>}
              </Row>
              {o.frozen_at && (
                <Row label="Due time">
                  <span title="The first notice was recorded: later changes to the facts no longer move the deadline.">Frozen {formatDue(o.frozen_at, zone)}</span>
                </Row>
              )}
            </dl>
          </Section>
        </div>
      </div>

      {(o.decision || o.filings.length > 0) && (
        <div className="odetail__history">
          {o.decision && (
            <Section title="Decision">
              <div className="record-item" data-testid="obligation-decision" data-decision={o.decision.decision}>
                <p className="record-item__head">
                  <strong>{o.decision.exemption_id ? `Exemption confirmed (${o.decision.exemption_id})` : o.decision.decision === 'not_required' ? 'Not required' : 'Required'}</strong> — approved by{' '}
                  {o.decision.approved_by}
                </p>
                <p className="prose">{o.decision.rationale}</p>
                {o.decision.exemption_id && o.exemption?.id !== o.decision.exemption_id && (
                  <p className="record-item__note" data-testid="decision-stale">
                    This exit no longer applies to the facts, so the confirmation no longer counts: the notice is required.
                  </p>
                )}
                <p className="record-item__meta">
                  Recorded by {o.decision.decided_by}, {formatDue(o.decision.decided_at, zone)}
                </p>
              </div>
            </Section>
          )}
          {o.filings.length > 0 && (
            <Section title={o.filings.length === 1 ? 'Notice sent' : `Notices sent (${o.filings.length})`}>
              <ul className="stack stack--tight">
                {o.filings.map((f) => (
                  <li key={f.id} className="record-item" data-testid="obligation-filing">
                    <p className="record-item__head">
                      <strong>{formatDue(f.sent_at, zone)}</strong>
                      {f.channel && <> via {f.channel}</>}
                      {f.reference && (
                        <>
                          {' '}
                          — ref. <span className="mono">{f.reference}</span>
                        </>
                      )}
                    </p>
                    {f.note && <p className="prose">{f.note}</p>}
                    <p className="record-item__meta">
                      Recorded by {f.recorded_by}, {formatDue(f.recorded_at, zone)}
                    </p>
                  </li>
                ))}
              </ul>
            </Section>
          )}
        </div>
      )}

      {open === null && (
        <div className="odetail__actions">
          {proposed && x && (
            <Button variant="primary" size="sm" onClick={() => setOpen('confirm')} testId="confirm-exemption">
              Confirm exemption
            </Button>
          )}
          <Button variant={proposed ? 'secondary' : 'primary'} size="sm" onClick={() => setOpen('filing')} testId="record-filing">
            Record notice sent
          </Button>
          {notRequired ? (
            <Button size="sm" onClick={() => setOpen('required')} testId="mark-required">
              Mark required again
            </Button>
          ) : (
            <Button size="sm" onClick={() => setOpen('not_required')} testId="mark-not-required">
              Mark not required
            </Button>
          )}
        </div>
      )}
      {open === 'filing' && (
        <FilingForm
          incident={incident}
          obligation={o}
          onDone={async () => {
            setOffer('offer');
            await done();
          }}
          onCancel={() => setOpen(null)}
        />
      )}
      {offer !== null && <CheckpointOffer state={offer} onState={setOffer} />}
      {(open === 'not_required' || open === 'required') && (
        <DecisionForm incidentId={incident.id} obligation={o} decision={open} onDone={done} onCancel={() => setOpen(null)} />
      )}
      {open === 'confirm' && x && <DecisionForm incidentId={incident.id} obligation={o} decision="not_required" exemptionId={x.id} onDone={done} onCancel={() => setOpen(null)} />}
    </div>
  );
}

type Offer = 'offer' | 'busy' | { saved: string } | { error: string };

/**
 * After a notice is recorded: offers a signed checkpoint of the audit log, to keep outside
 * Breachdesk (with counsel, in the incident file), so the record of this filing can be proved later.
 */
function CheckpointOffer({ state, onState }: { state: Offer; onState: (s: Offer | null) => void }) {
  const save = async () => {
    onState('busy');
    try {
      onState({ saved: await api.saveCheckpoint() });
    } catch (e) {
      onState({ error: errorText(toErrorBody(e)) });
    }
  };
  if (typeof state === 'object' && 'saved' in state) {
    return (
      <p className="checkpoint checkpoint--saved" role="status" data-testid="checkpoint-saved">
        Signed checkpoint saved to <span className="mono">{state.saved}</span>. Keep a copy outside this computer.
      </p>
    );
  }
  return (
    <div className="checkpoint" data-testid="checkpoint-offer">
      <p>
        Notice recorded. Save a signed checkpoint of the audit log now? Kept outside Breachdesk, it proves later that this record was not rewritten.
      </p>
      {typeof state === 'object' && 'error' in state && <p className="field__error">{state.error}</p>}
      <div className="checkpoint__actions">
        <Button size="sm" variant="primary" busy={state === 'busy'} onClick={save} testId="checkpoint-save">
          Save checkpoint
        </Button>
        <Button size="sm" variant="ghost" onClick={() => onState(null)} testId="checkpoint-dismiss">
          Not now
        </Button>
      </div>
    </div>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="odetail__section">
      <h4 className="odetail__title">{title}</h4>
      {children}
    </section>
  );
}
