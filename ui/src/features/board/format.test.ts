import { describe, expect, it } from 'vitest';
import { share, span } from './format';

describe('span', () => {
  it('reads minutes, hours and days', () => {
    expect(span(0.25)).toBe('15 min');
    expect(span(6)).toBe('6.0 h');
    expect(span(72)).toBe('3.0 d');
  });
});

describe('share', () => {
  it('scales to the largest and keeps small values visible', () => {
    expect(share(5, 10)).toBe(0.5);
    expect(share(0.001, 100)).toBe(0.015);
    expect(share(0, 10)).toBe(0);
    expect(share(3, 0)).toBe(0);
  });
});
