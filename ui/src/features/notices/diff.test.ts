import { describe, expect, it } from 'vitest';
import { hunks, lineDiff } from './diff';

describe('lineDiff', () => {
  it('keeps common lines and marks the edit', () => {
    const d = lineDiff('a\nb\nc', 'a\nB\nc\nd');
    expect(d).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'removed', text: 'b' },
      { kind: 'added', text: 'B' },
      { kind: 'same', text: 'c' },
      { kind: 'added', text: 'd' },
    ]);
  });
  it('finds nothing to change in equal texts', () => {
    expect(lineDiff('x\ny', 'x\ny').every((l) => l.kind === 'same')).toBe(true);
  });
  it('folds unchanged runs into gaps around the change', () => {
    const a = Array.from({ length: 20 }, (_, i) => `l${i}`).join('\n');
    const b = a.replace('l10', 'L10');
    const h = hunks(lineDiff(a, b), 2);
    expect(h[0]).toEqual({ kind: 'gap', count: 8 });
    expect(h.filter((l) => l.kind === 'added')).toEqual([{ kind: 'added', text: 'L10' }]);
    expect(h[h.length - 1]).toEqual({ kind: 'gap', count: 7 });
  });
});
