import { useCallback, useState, type FormEvent } from 'react';
import type { ErrorBody, FilePreview, SavedMapping } from '../../lib/ipc/bindings';
import { api } from '../../lib/ipc/client';
import { errorText, toErrorBody } from '../../lib/ipc/errors';
import { useLoad } from '../../lib/useLoad';
import { formatDue } from '../../lib/time';
import { Button } from '../../components/Button';
import { applySavedMapping, columnOfError, fieldLabel, initialSelection, toMapping, unappliedText, type Unapplied } from './mapping';

type Props = {
  preview: FilePreview;
  selection: string[];
  /** The incident's zone, for when a mapping was saved. */
  zone: string;
  /** A whole new selection: a saved mapping, or the one detected from the header. */
  onApply: (selection: string[]) => void;
  /** A `mapping.<field>` error about one column, shown under that column's select. */
  onColumnError: (index: number, message: string) => void;
};

type Applied = {
  name: string;
  selection: string[];
  unapplied: Unapplied[];
  /** Saved from this step just now (rather than chosen from the list). */
  fresh: boolean;
};

const sameSelection = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((f, i) => f === b[i]);

/** The mapping step's saved mappings: apply one to this file, or save the current columns by name. */
export function SavedMappings({ preview, selection, zone, onApply, onColumnError }: Props) {
  const list = useLoad(useCallback(() => api.savedMappings(), []));
  const [chosen, setChosen] = useState('');
  const [applied, setApplied] = useState<Applied | null>(null);

  const mappings = list.data ?? [];
  const chosenMapping = mappings.find((m) => m.name === chosen) ?? null;

  function choose(name: string) {
    setChosen(name);
    const m = mappings.find((s) => s.name === name);
    if (!m) {
      setApplied(null);
      onApply(initialSelection(preview.header, preview.mapping));
      return;
    }
    const { selection: next, unapplied } = applySavedMapping(preview.header, m.mapping, preview.fields);
    setApplied({ name, selection: next, unapplied, fresh: false });
    onApply(next);
  }

  const edited = applied !== null && !sameSelection(applied.selection, selection);

  return (
    <div className="isaved" role="group" aria-label="Saved mappings">
      <div className="isaved__part">
        <label className="isaved__label" htmlFor="mapping-saved">
          Saved mapping
        </label>
        <select
          id="mapping-saved"
          className="input input--sm select isaved__select"
          value={chosen}
          disabled={list.data === null}
          aria-describedby="mapping-saved-note"
          onChange={(e) => choose(e.target.value)}
          data-testid="mapping-saved"
        >
          <option value="">{list.data === null && !list.error ? 'Loading…' : 'Detected from the header'}</option>
          {mappings.map((m) => (
            <option key={m.name} value={m.name}>
              {m.name}
            </option>
          ))}
        </select>
        <div className="isaved__note" id="mapping-saved-note" role="status" data-testid="mapping-saved-note">
          {list.error ? (
            <span className="isaved__bad">
              Saved mappings could not be read: {errorText(list.error)}{' '}
              <Button size="sm" variant="link" onClick={() => void list.reload()}>
                Try again
              </Button>
            </span>
          ) : applied && chosenMapping ? (
            <AppliedNote applied={applied} saved={chosenMapping} zone={zone} edited={edited} />
          ) : list.data !== null && mappings.length === 0 ? (
            'None saved yet: save this one for the next file from the same source.'
          ) : (
            'The columns were matched by their headers.'
          )}
        </div>
      </div>
      <SaveForm
        preview={preview}
        selection={selection}
        names={mappings.map((m) => m.name)}
        onColumnError={onColumnError}
        onSaved={async (saved) => {
          await list.reload();
          setChosen(saved.name);
          setApplied({ name: saved.name, selection: [...selection], unapplied: [], fresh: true });
        }}
      />
    </div>
  );
}

function AppliedNote({ applied, saved, zone, edited }: { applied: Applied; saved: SavedMapping; zone: string; edited: boolean }) {
  const total = Object.values(saved.mapping.columns).filter((c) => c !== undefined).length;
  const used = total - applied.unapplied.length;
  const missing = applied.unapplied.filter((u) => u.why === 'missing');
  const taken = applied.unapplied.filter((u) => u.why === 'taken');
  const unknown = applied.unapplied.filter((u) => u.why === 'unknown');
  const meta = (
    <span className="isaved__meta">
      Saved {formatDue(saved.saved_at, zone)} by {saved.saved_by}.
    </span>
  );
  if (applied.fresh) {
    return (
      <>
        These columns{edited ? ', changed since,' : ''} are the saved mapping “{saved.name}”. {meta}
      </>
    );
  }
  return (
    <>
      <span className={applied.unapplied.length > 0 ? 'isaved__warn' : undefined} data-testid="mapping-saved-applied" data-unapplied={applied.unapplied.length}>
        {used === total ? `All ${total} ${total === 1 ? 'field' : 'fields'} applied.` : `${used} of ${total} fields applied.`}
        {missing.length > 0 && ` Not in this file: ${missing.map(unappliedText).join(', ')}.`}
        {taken.length > 0 && ` Column already used: ${taken.map(unappliedText).join(', ')}.`}
        {unknown.length > 0 && ` Not a field any more: ${unknown.map(unappliedText).join(', ')}.`}
        {edited && ' Changed since.'}
      </span>{' '}
      {meta}
    </>
  );
}

type SaveProps = {
  preview: FilePreview;
  selection: string[];
  /** Names already saved: saving under one of them replaces it. */
  names: string[];
  onColumnError: (index: number, message: string) => void;
  onSaved: (saved: SavedMapping) => Promise<void>;
};

function SaveForm({ preview, selection, names, onColumnError, onSaved }: SaveProps) {
  const [name, setName] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<{ onName: boolean; text: string } | null>(null);
  const [done, setDone] = useState(false);

  const replaces = names.includes(name.trim());
  const nothing = selection.every((f) => f === '');

  async function save(e: FormEvent) {
    e.preventDefault();
    setDone(false);
    setError(null);
    if (name.trim() === '') {
      setError({ onName: true, text: 'Give the mapping a name, e.g. the system the file comes from.' });
      return;
    }
    setSaving(true);
    try {
      const saved = await api.saveMapping({ name: name.trim(), mapping: toMapping(preview.header, selection) });
      setName('');
      setDone(true);
      await onSaved(saved);
    } catch (err) {
      place(toErrorBody(err));
    } finally {
      setSaving(false);
    }
  }

  function place(err: ErrorBody) {
    if (err.code === 'validation' && err.field === 'name') {
      setError({ onName: true, text: errorText(err, { inline: true }) });
      return;
    }
    const field = err.code === 'validation' && err.field?.startsWith('mapping.') ? err.field.slice('mapping.'.length) : null;
    const col = columnOfError(err.field, selection);
    if (field !== null && col !== null) {
      onColumnError(col, errorText(err, { inline: true }));
      setError({ onName: false, text: `Not saved: see the ${fieldLabel(field)} column.` });
    }
    else if (field !== null) {
      const text = errorText(err, { inline: true });
      setError({ onName: false, text: `${fieldLabel(field)}: ${text.charAt(0).toLowerCase()}${text.slice(1)}` });
    }
    else setError({ onName: false, text: errorText(err) });
  }

  const errId = 'mapping-save-name-error';
  const hintId = 'mapping-save-name-hint';
  return (
    <form className="isaved__part" onSubmit={save} noValidate>
      <label className="isaved__label" htmlFor="mapping-save-name">
        Save this mapping as…
      </label>
      <div className="input-row">
        <input
          id="mapping-save-name"
          className="input input--sm isaved__name"
          type="text"
          value={name}
          maxLength={100}
          placeholder="e.g. Forensics export"
          autoComplete="off"
          aria-invalid={error?.onName ? true : undefined}
          aria-describedby={[error ? errId : '', hintId].filter(Boolean).join(' ')}
          onChange={(e) => {
            setName(e.target.value);
            setDone(false);
            if (error?.onName) setError(null);
          }}
          data-testid="mapping-save-name"
        />
        <Button size="sm" type="submit" busy={saving} disabled={nothing} testId="mapping-save">
          {saving ? 'Saving…' : replaces ? 'Replace' : 'Save'}
        </Button>
      </div>
      {error && (
        <p className="field__error" id={errId} role="alert" data-testid="mapping-save-error">
          {error.text}
        </p>
      )}
      <p className="isaved__note" id={hintId} role="status">
        {done ? (
          <span className="isaved__done" data-testid="mapping-save-done">
            ✓ Saved — use it for the next file from this source.
          </span>
        ) : nothing ? (
          'Map at least one column to save the mapping.'
        ) : replaces ? (
          `Replaces the saved mapping “${name.trim()}”.`
        ) : (
          'Remembers which header fills which field, for files of the same shape.'
        )}
      </p>
    </form>
  );
}
