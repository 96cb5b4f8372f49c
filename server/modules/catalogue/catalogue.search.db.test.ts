import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEnv, type TestEnv } from '../../../test/support.js';
import type { Ctx } from '../../core/ctx.js';
import { seedCatalogue } from '../../db/seed/catalogue/index.js';
import { ensureStandardDepartments } from '../regions/index.js';
import { searchItems } from './catalogue.search.js';
import { SEARCH_CASES } from './catalogue.search-cases.js';

let env: TestEnv;
let ctx: Ctx;

beforeAll(async () => {
  env = await testEnv();
  ctx = env.ctx({ kind: 'console', operator: 'test' });
  for (const r of ['130000', '130100', '130102', '133100']) await ensureStandardDepartments(ctx, r);
  await seedCatalogue(ctx);
});
afterAll(async () => env?.close());

describe('search quality', () => {
  it('has at least 60 colloquial and exact queries', () => {
    expect(SEARCH_CASES.length).toBeGreaterThanOrEqual(60);
  });

  it('finds an expected item in the top 3 for at least 90 % of them', async () => {
    const misses: string[] = [];
    for (const c of SEARCH_CASES) {
      const r = await searchItems(ctx, { q: c.q, limit: 3, offset: 0 });
      const top = r.items.map((i) => i.itemCode);
      if (!c.expect.some((e) => top.includes(e))) misses.push(`${c.q} → [${r.items.map((i) => i.name).join('，')}]，应为 ${c.expect.join('/')}`);
    }
    const hitRate = 1 - misses.length / SEARCH_CASES.length;
    if (misses.length) console.log(`search misses (${misses.length}/${SEARCH_CASES.length}):\n  ${misses.join('\n  ')}`);
    expect(hitRate, `misses:\n${misses.join('\n')}`).toBeGreaterThanOrEqual(0.9);
  });

  it('does not let a synonym pull its items into unrelated queries', async () => {
    const r = await searchItems(ctx, { q: '取水许可', limit: 50, offset: 0 });
    expect(r.items.map((i) => i.name)).not.toContain('食品经营许可');
    expect(r.items[0]!.name).toBe('取水许可');
  });
});
