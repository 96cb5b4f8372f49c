import { describe, expect, it } from 'vitest';
import { discover, formatFigures } from './run.js';

describe('the benchmark runner', () => {
  it('finds every bench/*.bench.ts with a name, a description and run()', async () => {
    const benches = await discover();
    expect(benches.map((b) => b.name)).toContain('audit');
    for (const b of benches) {
      expect(b.description.length).toBeGreaterThan(10);
      expect(typeof b.run).toBe('function');
    }
    expect(new Set(benches.map((b) => b.name)).size).toBe(benches.length);
  }, 60_000); // imports every benchmark, and with it most of the server

  it('prints figures aligned, numbers grouped by thousands', () => {
    expect(formatFigures({ entries: 5000, pglite_write_entries_per_s: 2314.567, note: 'skipped' })).toBe(
      ['  entries                     5,000', '  pglite_write_entries_per_s  2,314.57', '  note                        skipped'].join('\n'),
    );
  });
});
