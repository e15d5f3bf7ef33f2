import type { ErrorBody } from './bindings';
import { withWallTimes } from '../time';

function isErrorBody(e: unknown): e is ErrorBody {
  if (typeof e !== 'object' || e === null) return false;
  const o = e as Record<string, unknown>;
  return typeof o.code === 'string' && typeof o.message === 'string';
}

/** Turns whatever a command rejected with into an ErrorBody; the only place that does so. */
export function toErrorBody(e: unknown): ErrorBody {
  if (isErrorBody(e)) {
    const field = (e as { field?: unknown }).field;
    return { code: e.code, message: e.message, field: typeof field === 'string' ? field : null };
  }
  return { code: 'internal', message: e instanceof Error ? e.message : String(e), field: null };
}

/**
 * The text to show for an error. Validation messages from the backend read "field: what is
 * wrong"; under an input that already names the field, the prefix is dropped. RFC 3339
 * timestamps quoted in a message are shown as wall time, like everywhere else.
 */
export function errorText(e: ErrorBody, { inline = false }: { inline?: boolean } = {}): string {
  let text = e.message.trim();
  if (inline && e.field !== null && text.startsWith(`${e.field}: `)) {
    text = text.slice(e.field.length + 2);
  }
  text = withWallTimes(text);
  return text.length > 0 ? text.charAt(0).toUpperCase() + text.slice(1) : e.code;
}
