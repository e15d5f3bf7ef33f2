import { describe, expect, it } from 'vitest';
import { errorText, toErrorBody } from './errors';

describe('errors from the backend', () => {
  it('passes an ErrorBody through and wraps anything else as internal', () => {
    expect(toErrorBody({ code: 'validation', message: 'title: is required', field: 'title' })).toEqual({
      code: 'validation',
      message: 'title: is required',
      field: 'title',
    });
    expect(toErrorBody(new Error('boom'))).toEqual({ code: 'internal', message: 'boom', field: null });
    expect(toErrorBody('plain')).toEqual({ code: 'internal', message: 'plain', field: null });
  });

  it('drops the field name beside its input and capitalises', () => {
    const e = { code: 'validation', message: 'discovered_at: cannot be before detected_at', field: 'discovered_at' } as const;
    expect(errorText(e, { inline: true })).toBe('Cannot be before detected_at');
    expect(errorText(e)).toBe('Discovered_at: cannot be before detected_at');
  });
});
