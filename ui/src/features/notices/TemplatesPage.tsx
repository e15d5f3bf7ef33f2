import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Preview, Template } from '../../lib/ipc/bindings';
import { api } from '../../lib/ipc/client';
import { toErrorBody } from '../../lib/ipc/errors';
import { useLoad } from '../../lib/useLoad';
import { useTask } from '../../lib/useAction';
import { PageHeader } from '../../components/PageHeader';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Loading } from '../../components/Loading';
import { Findings } from './Findings';
import { Pages } from './Pages';
import { hunks, lineDiff } from './diff';
import { TEMPLATE_KIND_LABEL } from './labels';

const PREVIEW_DELAY_MS = 400;

/** The template library: every template, its versions, an editor with a live preview on real data, and the diff against the seeded text. */
export function TemplatesPage() {
  const templates = useLoad(useCallback(() => api.listTemplates(), []));
  const incidents = useLoad(useCallback(() => api.listIncidents(), []));
  const [selected, setSelected] = useState<string | null>(null);
  const list = templates.data ?? [];
  const current = list.find((t) => t.id === selected) ?? null;
  return (
    <div className="page" data-testid="templates-page">
      <PageHeader title="Templates" meta={<span className="muted">Letters and filings. A template used by a notice is never changed: saving makes a new version.</span>} />
      {templates.error && <ErrorBanner error={templates.error} onRetry={templates.reload} />}
      {!templates.data && !templates.error && <Loading>Loading templates…</Loading>}
      <div className="templates">
        <nav className="templates__list" aria-label="Templates">
          {list.map((t) => (
            <button
              key={t.id}
              type="button"
              className={t.id === selected ? 'template-item template-item--active' : 'template-item'}
              onClick={() => setSelected(t.id)}
              data-testid="template-item"
              data-id={t.id}
            >
              <span className="template-item__title">{t.meta.title}</span>
              <span className="template-item__meta">
                {TEMPLATE_KIND_LABEL[t.meta.kind]} · v{t.version}
                {t.seeded ? '' : ' · edited'} · {t.meta.paper === 'a4' ? 'A4' : 'Letter'}
              </span>
            </button>
          ))}
        </nav>
        <div className="templates__editor">
          {current ? (
            <Editor key={current.id} template={current} incidents={incidents.data?.map((i) => ({ id: i.id, label: `${i.human_id} · ${i.title}` })) ?? []} onSaved={templates.reload} />
          ) : (
            <Card>
              <p className="muted">Choose a template to read, edit and preview it on an incident's data.</p>
            </Card>
          )}
        </div>
      </div>
    </div>
  );
}

type EditorProps = { template: Template; incidents: { id: string; label: string }[]; onSaved: () => Promise<void> };

function Editor({ template, incidents, onSaved }: EditorProps) {
  const [source, setSource] = useState(template.source);
  const [incident, setIncident] = useState(incidents[0]?.id ?? '');
  const [person, setPerson] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [view, setView] = useState<'preview' | 'diff'>('preview');
  const saving = useTask();
  const [saved, setSaved] = useState<number | null>(null);
  useEffect(() => {
    if (!incident && incidents[0]) setIncident(incidents[0].id);
  }, [incident, incidents]);

  // The live preview: rendered on the chosen incident's data a moment after typing stops.
  useEffect(() => {
    if (!incident) return;
    let stale = false;
    setPreviewing(true);
    const t = window.setTimeout(() => {
      api
        .previewTemplate({ incident, source, obligation: null, person: person.trim() ? Number(person) : null })
        .then((p) => !stale && setPreview(p))
        .catch((e) => !stale && setPreview({ pages: [], report: null, text: '', error: toErrorBody(e).message, variant_reason: '' }))
        .finally(() => !stale && setPreviewing(false));
    }, PREVIEW_DELAY_MS);
    return () => {
      stale = true;
      window.clearTimeout(t);
    };
  }, [incident, person, source]);

  const diff = useMemo(() => (template.seed_source != null ? lineDiff(template.seed_source, source) : null), [template.seed_source, source]);
  const changed = source !== template.source;
  const save = () =>
    saving.run(async () => {
      const t = await api.addTemplate({ source });
      setSaved(t.version);
      await onSaved();
    });

  return (
    <div className="template-editor" data-testid="template-editor" data-id={template.id}>
      <Card
        title={
          <>
            {template.meta.title} <span className="muted">v{template.version}</span>
          </>
        }
        actions={
          <Button variant="primary" size="sm" disabled={!changed} busy={saving.busy} onClick={() => void save()} testId="template-save">
            Save as version {Math.max(...template.versions, template.version) + 1}
          </Button>
        }
      >
        <p className="muted small">
          {template.meta.citation} · answers {template.meta.obligations.join(', ')}
          {template.meta.residence.length > 0 && ` · residents of ${template.meta.residence.join(', ')}`} · used by {template.used_by} notice{template.used_by === 1 ? '' : 's'} · versions {template.versions.join(', ')}
        </p>
        {saved != null && !changed && (
          <p className="ok-text small" data-testid="template-saved">
            Saved as version {saved}. Drafts that use this template follow it; approved notices that change lose their approval.
          </p>
        )}
        {saving.error && <ErrorBanner error={saving.error} testId="template-error" />}
        <textarea className="template-source mono" spellCheck={false} value={source} onChange={(e) => setSource(e.target.value)} data-testid="template-source" aria-label="Template text" />
      </Card>
      <Card title="Preview on real data" testId="template-preview">
        <div className="input-row preview-toolbar">
            <select className="input input--sm" value={incident} onChange={(e) => setIncident(e.target.value)} aria-label="Incident" data-testid="preview-incident">
              {incidents.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.label}
                </option>
              ))}
            </select>
            <input className="input input--sm" placeholder="Record no." value={person} onChange={(e) => setPerson(e.target.value)} aria-label="Record number of a person" data-testid="preview-person" />
            <div className="segmented" role="group" aria-label="Show">
              <button type="button" className={view === 'preview' ? 'segmented__btn segmented__btn--on' : 'segmented__btn'} onClick={() => setView('preview')}>
                Pages
              </button>
              <button type="button" className={view === 'diff' ? 'segmented__btn segmented__btn--on' : 'segmented__btn'} onClick={() => setView('diff')} disabled={!diff} data-testid="show-diff">
                Diff against seed
              </button>
            </div>
        </div>
        {!incident && <p className="muted">Open an incident first: the preview uses its data.</p>}
        {previewing && <span className="muted small" data-testid="preview-busy">Rendering…</span>}
        {preview?.error && (
          <div className="template-problem" data-testid="preview-error">
            {preview.error}
          </div>
        )}
        {preview?.variant_reason && <p className="muted small">Rendered for {preview.variant_reason}</p>}
        {view === 'diff' && diff ? (
          <pre className="diff" data-testid="template-diff">
            {hunks(diff).map((l, k) =>
              l.kind === 'gap' ? (
                <div key={k} className="diff__gap">
                  … {l.count} unchanged lines …
                </div>
              ) : (
                <div key={k} className={`diff__line diff__line--${l.kind}`}>
                  {l.kind === 'added' ? '+ ' : l.kind === 'removed' ? '- ' : '  '}
                  {l.text}
                </div>
              ),
            )}
            {diff.every((l) => l.kind === 'same') && <div className="muted">The same as the text Breachdesk ships.</div>}
          </pre>
        ) : (
          <div className="template-preview">
            {preview?.report && <Findings report={preview.report} testId="preview-findings" />}
            {preview && <Pages pages={preview.pages} testId="preview-pages" />}
          </div>
        )}
      </Card>
    </div>
  );
}
