/**
 * `npm run bench [-- NAME]`: runs every benchmark in bench/*.bench.ts, or the one named.
 * Each prints its figures for people, then as its last line one JSON object
 * `{"bench": NAME, "figures": {...}}` for machines (CI logs, docs/benchmarks.md).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export type Figures = Record<string, number | string>;

export interface Benchmark {
  name: string;
  description: string;
  run(): Promise<Figures>;
}

const BENCH_DIR = import.meta.dirname;

/** Every bench/*.bench.ts, by its exported name, in file-name order. */
export async function discover(dir: string = BENCH_DIR): Promise<Benchmark[]> {
  const files = readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort();
  const found: Benchmark[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as Partial<Benchmark>;
    if (typeof mod.name !== 'string' || typeof mod.description !== 'string' || typeof mod.run !== 'function') {
      throw new Error(`bench/${file} must export name, description and run()`);
    }
    found.push({ name: mod.name, description: mod.description, run: mod.run });
  }
  return found;
}

/** Figures as aligned lines: numbers with thousands separators, strings as they are. */
export function formatFigures(figures: Figures): string {
  const width = Math.max(0, ...Object.keys(figures).map((k) => k.length));
  return Object.entries(figures)
    .map(([k, v]) => `  ${k.padEnd(width)}  ${typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 2 }) : v}`)
    .join('\n');
}

async function main(args: string[]): Promise<number> {
  const all = await discover();
  const wanted = args[0];
  const chosen = wanted ? all.filter((b) => b.name === wanted) : all;
  if (chosen.length === 0) {
    console.error(`no benchmark named "${wanted}". Available:`);
    for (const b of all) console.error(`  ${b.name.padEnd(12)} ${b.description}`);
    return 1;
  }
  for (const b of chosen) {
    console.log(`\n== ${b.name}: ${b.description}`);
    const started = performance.now();
    const figures = await b.run();
    console.log(formatFigures(figures));
    console.log(`  (${((performance.now() - started) / 1000).toFixed(1)} s in all)`);
    console.log(JSON.stringify({ bench: b.name, figures }));
  }
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
