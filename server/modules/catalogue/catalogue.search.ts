/**
 * Search that understands people: the query's own words as a phrase, then all its meaningful
 * words anywhere, then colloquial wording from `search_synonyms` (开饭店 → 食品经营许可), ranked
 * with ts_rank and boosts for exact and prefix matches of the code and the name. Only when none of
 * that finds anything does it fall back to any one meaningful word.
 */
import type { ItemSearchQuery, ItemSearchResult, ItemType } from '../../../shared/contracts/catalogue.js';
import type { Ctx } from '../../core/ctx.js';
import { regionPath } from '../regions/index.js';
import { normalise, phraseQuery, searchQueries } from './catalogue.tokens.js';
import * as repo from './catalogue.repository.js';

const CODE_LIKE = /^[0-9a-z][0-9a-z._-]*$/;

/** The tsquery terms for a query: its own and those of every synonym phrase it contains. */
export async function searchTerms(ctx: Ctx, q: string): Promise<{ terms: repo.SearchTerms; any: string }> {
  const text = normalise(q);
  const own = searchQueries(text);
  const synonyms = await repo.synonymsIn(ctx.db, text);
  const expansions = [...new Set(synonyms.map((s) => s.expands_to))].map(phraseQuery).filter((x) => x !== '');
  return {
    terms: {
      text,
      phrase: own.phrase,
      loose: own.all,
      synonyms: expansions.map((x) => `(${x})`).join(' | '),
      codeLike: CODE_LIKE.test(text),
    },
    any: own.any,
  };
}

/** `GET /items`: ranked search, or the whole list in code order without `q`. Public. */
export async function searchItems(ctx: Ctx, query: ItemSearchQuery): Promise<ItemSearchResult> {
  const filters: repo.SearchFilters = {
    regionPath: query.region ? await regionPath(ctx, query.region) : undefined,
    kind: query.kind,
    department: query.department,
    type: query.type,
  };
  const q = query.q ? normalise(query.q) : '';
  let rows: repo.SearchRow[];
  if (q === '') {
    rows = await repo.listItems(ctx.db, filters, query.limit, query.offset);
  } else {
    const { terms, any } = await searchTerms(ctx, q);
    rows = await repo.searchItems(ctx.db, terms, filters, query.limit, query.offset);
    if (rows.length === 0 && query.offset === 0 && any !== '' && any !== terms.loose) {
      rows = await repo.searchItems(ctx.db, { ...terms, loose: any }, filters, query.limit, 0);
    }
  }
  return {
    items: rows.map((r) => ({
      itemCode: r.item_code,
      name: r.name,
      itemType: r.item_type as ItemType,
      department: r.competent_department_name,
      departmentKind: r.competent_department_kind,
      ...(q === '' ? {} : { score: Math.round(r.score * 1000) / 1000 }),
    })),
    total: rows[0]?.total ?? (query.offset > 0 ? await countBeyond(ctx, query) : 0),
  };
}

/** The total when the page asked for lies beyond the last hit (the window count has no row to ride on). */
async function countBeyond(ctx: Ctx, query: ItemSearchQuery): Promise<number> {
  return (await searchItems(ctx, { ...query, offset: 0, limit: 1 })).total;
}
