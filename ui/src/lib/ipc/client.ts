// The window's side of the backend: the generated commands (bindings.ts, one typed function
// per command, each taking its request) and the few helpers around them.
import { commands } from './bindings';
import type { IncidentPatch, JobProgress, Progress, Reminder } from './bindings';

export const api = commands;

/** Subscribes to the progress of the long job `job` (the id given when it started); returns the unsubscribe function. */
export async function onJobProgress(job: string, handler: (p: Progress) => void): Promise<() => void> {
  const { listen } = await import('@tauri-apps/api/event');
  return listen<JobProgress>('job-progress', (e) => {
    if (e.payload.job === job) handler(e.payload.progress);
  });
}

/** A fresh id for a long job (import today, mail merge tomorrow): its progress events carry it, and cancelJob takes it. */
let jobs = 0;
export function newJobId(): string {
  jobs += 1;
  return `job-${Date.now().toString(36)}-${jobs}`;
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

/** The system file picker for any file (a proof of sending); resolves to its path, or null when cancelled. */
export async function pickFile(): Promise<string | null> {
  const { open } = await import('@tauri-apps/plugin-dialog');
  const picked = await open({ multiple: false, directory: false });
  return typeof picked === 'string' ? picked : null;
}
