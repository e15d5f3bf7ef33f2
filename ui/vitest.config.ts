import { defineConfig } from 'vitest/config';

// Unit tests of the window's pure TypeScript (urgency, time, the chart's scale, error mapping).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
