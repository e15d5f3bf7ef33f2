// The only module that talks to the Tauri backend. One typed function per command; every
// rejection comes out as an ErrorBody.
import { invoke } from '@tauri-apps/api/core';
import type {
  AppStatus,
  AuditReport,
  CustomObligation,
  DecisionInput,
  FactsDraft,
  FactsPreview,
  FilingInput,
  Incident,
  IncidentFacts,
  InternalClock,
  InternalClockSettings,
  NewCustomObligation,
  Obligation,
  ObligationChange,
  Reminder,
  Batch,
  Counts,
  DuplicatePair,
  Mapping,
  RowError,
  SavedMapping,
  ScanResult,
  FilePreview,
  ImportOptions,
  ImportReport,
  Individual,
  Page,
  PageQuery,
  Progress,
  IncidentDetail,
  IncidentPatch,
  NewIncident,
  NewTimelineEntry,
  SetupInput,
  StateCoverage,
  TimelineEntry,
  Vocabulary,
} from './bindings';
import { toErrorBody } from './errors';

// An import (and its dry-run check) holds the store until it ends, and a synchronous command
// sent meanwhile would wait for it on the app's main thread, freezing the window, the progress
// events and the Stop button with it. So commands sent during an import wait here instead.
let importRunning: Promise<void> | null = null;
/** Commands that never touch the store, free to run during an import. */
const STORE_FREE = new Set(['cancel_import', 'preview_import_file', 'vocabulary']);

function holdingStore<T>(running: Promise<T>): Promise<T> {
  const settled = running.then(
    () => undefined,
    () => undefined,
  );
  importRunning = settled;
  void settled.then(() => {
    if (importRunning === settled) importRunning = null;
  });
  return running;
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  while (importRunning !== null && !STORE_FREE.has(command)) await importRunning;
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw toErrorBody(e);
  }
}

export const api = {
  appStatus: () => call<AppStatus>('app_status'),
  setup: (input: SetupInput) => call<AppStatus>('setup', { input }),
  unlock: (passphrase: string | null) => call<AppStatus>('unlock', { passphrase }),
  vocabulary: () => call<Vocabulary>('vocabulary'),
  listIncidents: () => call<Incident[]>('list_incidents'),
  createIncident: (input: NewIncident) => call<Incident>('create_incident', { input }),
  getIncident: (id: string) => call<IncidentDetail>('get_incident', { id }),
  updateIncident: (id: string, patch: IncidentPatch) => call<Incident>('update_incident', { id, patch }),
  addTimelineEntry: (incidentId: string, input: NewTimelineEntry) =>
    call<TimelineEntry>('add_timeline_entry', { incidentId, input }),
  verifyAudit: () => call<AuditReport>('verify_audit'),
  getFacts: (id: string) => call<IncidentFacts>('get_facts', { id }),
  /** What a draft would change; writes nothing (facts editor preview and what-if sandbox). */
  previewDraft: (id: string, draft: FactsDraft) => call<FactsPreview>('preview_draft', { id, draft }),
  saveDraft: (id: string, draft: FactsDraft) => call<ObligationChange[]>('save_draft', { id, draft }),
  listObligations: (id: string) => call<Obligation[]>('list_obligations', { id }),
  decideObligation: (incidentId: string, obligationId: string, input: DecisionInput) =>
    call<Obligation>('decide_obligation', { incidentId, obligationId, input }),
  recordFiling: (incidentId: string, obligationId: string, input: FilingInput) =>
    call<Obligation>('record_filing', { incidentId, obligationId, input }),
  listCustomObligations: (id: string) => call<CustomObligation[]>('list_custom_obligations', { id }),
  addCustomObligation: (incidentId: string, input: NewCustomObligation) =>
    call<CustomObligation>('add_custom_obligation', { incidentId, input }),
  retireCustomObligation: (incidentId: string, customId: string, reason: string) =>
    call<CustomObligation>('retire_custom_obligation', { incidentId, customId, reason }),
  internalClocks: (id: string) => call<InternalClock[]>('internal_clocks', { id }),
  getClockSettings: () => call<InternalClockSettings>('get_clock_settings'),
  setClockSettings: (settings: InternalClockSettings) => call<InternalClockSettings>('set_clock_settings', { settings }),
  reminderLog: () => call<Reminder[]>('reminder_log'),
  /** Saves the open deadlines as an .ics file; resolves to its path. */
  exportIcs: (id: string) => call<string>('export_ics', { id }),
  saveCheckpoint: () => call<string>('save_checkpoint'),
  /** Header, first rows and detected mapping of a file; checks and writes nothing. */
  previewImportFile: (path: string) => call<FilePreview>('preview_import_file', { path }),
  /**
   * Runs on a worker; progress arrives as `import-progress` events (see onImportProgress). Other
   * commands sent before it ends wait for it (the store is busy).
   */
  importIndividuals: (incidentId: string, path: string, options: ImportOptions) =>
    holdingStore(call<ImportReport>('import_individuals', { incidentId, path, options })),
  cancelImport: () => call<void>('cancel_import'),
  individualCounts: (id: string) => call<Counts>('individual_counts', { id }),
  individualsPage: (id: string, query: PageQuery) => call<Page>('individuals_page', { id, query }),
  /** Per US state with affected residents: how many its breach law covers, given what each person had exposed. */
  stateCoverage: (id: string) => call<StateCoverage[]>('state_coverage', { id }),
  searchIndividuals: (id: string, query: string) => call<Individual[]>('search_individuals', { id, query }),
  importBatches: (id: string) => call<Batch[]>('import_batches', { id }),
  rollbackImport: (incidentId: string, batch: string) => call<ObligationChange[]>('rollback_import', { incidentId, batch }),
  /** Saves an import's error report (row, column, reason) as CSV in the export folder; resolves to its path. */
  exportImportErrors: (fileName: string, errors: RowError[]) => call<string>('export_import_errors', { fileName, errors }),
  savedMappings: () => call<SavedMapping[]>('saved_mappings'),
  saveMapping: (name: string, mapping: Mapping) => call<SavedMapping>('save_mapping', { name, mapping }),
  /** Looks for probable duplicates (same name and date of birth, or same e-mail) and queues them. */
  scanDuplicates: (id: string) => call<ScanResult>('scan_duplicates', { id }),
  duplicateQueue: (id: string, decided: boolean) => call<DuplicatePair[]>('duplicate_queue', { id, decided }),
  /** merge = true: the later record stops counting (both stay on record); false: kept apart. */
  decideDuplicate: (incidentId: string, pair: number, merge: boolean) =>
    call<ObligationChange[]>('decide_duplicate', { incidentId, pair, merge }),
};

/** Subscribes to import progress; returns the unsubscribe function. */
export async function onImportProgress(handler: (p: Progress) => void): Promise<() => void> {
  const { listen } = await import('@tauri-apps/api/event');
  return listen<Progress>('import-progress', (e) => handler(e.payload));
}

/** The system file picker for a spreadsheet; resolves to its path, or null when cancelled. */
export async function pickSpreadsheet(): Promise<string | null> {
  const { open } = await import('@tauri-apps/plugin-dialog');
  const picked = await open({ multiple: false, directory: false, filters: [{ name: 'Spreadsheets', extensions: ['csv', 'txt', 'tsv', 'xlsx'] }] });
  return typeof picked === 'string' ? picked : null;
}

/** Subscribes to reminders pushed by the backend; returns the unsubscribe function. */
export async function onReminders(handler: (r: Reminder[]) => void): Promise<() => void> {
  const { listen } = await import('@tauri-apps/api/event');
  return listen<Reminder[]>('reminders', (e) => handler(e.payload));
}

/** Everything a change to an incident leaves alone; spread a few fields over it. */
export const emptyPatch: IncidentPatch = {
  title: null,
  summary: null,
  severity: null,
  status: null,
  timezone: null,
  occurred_at: null,
  detected_at: null,
  discovered_at: null,
  aware_at: null,
  determined_at: null,
  discovery_gap_reason: null,
  roles: null,
};
