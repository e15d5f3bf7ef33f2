// The only module that talks to the Tauri backend. One typed function per command; every
// rejection comes out as an ErrorBody.
import { invoke } from '@tauri-apps/api/core';
import type {
  AppStatus,
  AuditReport,
  Incident,
  IncidentDetail,
  IncidentPatch,
  NewIncident,
  NewTimelineEntry,
  SetupInput,
  TimelineEntry,
  Vocabulary,
} from './bindings';
import { toErrorBody } from './errors';

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
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
};

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
