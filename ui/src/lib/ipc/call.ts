// The one place that invokes the backend: every command (generated in bindings.ts) comes through
// here, and every rejection comes out as an ErrorBody. Commands run on worker threads in the
// backend, so nothing here waits for anything else: reads answer during an import.
import { invoke } from '@tauri-apps/api/core';
import { toErrorBody } from './errors';

export async function call<T>(command: string, req: unknown): Promise<T> {
  try {
    return await invoke<T>(command, { req });
  } catch (e) {
    throw toErrorBody(e);
  }
}
