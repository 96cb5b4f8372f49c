/**
 * Anti-renaming (冀政办发〔2020〕7号: a cancelled approval may not come back by splitting, merging
 * or renaming it): how closely a new item's name and legal basis match a cancelled item's. Pure.
 *
 * Names are compared as written and by their core — the name without the generic act at its end
 * (许可, 审批, 核准, 备案, 登记 …), which is exactly what a renaming swaps. A match is any of:
 * character-bigram Jaccard ≥ 0.6, normalised edit similarity ≥ 0.85, or one name (or core) of at
 * least 4 characters contained in the other (a split keeps the old name and adds a qualifier; a
 * merger joins old names). Legal bases match when they cite the same article of the same law.
 */

export const JACCARD_THRESHOLD = 0.6;
export const EDIT_THRESHOLD = 0.85;
/** Containment counts only for names of at least this many characters (出生 is in too many names). */
export const MIN_CONTAINED = 4;

/**
 * Generic acts at the end of an item name, longest first. Stripped repeatedly, so
 * 建设工程施工许可证核发 → 建设工程施工许可证 → 建设工程施工.
 */
const GENERIC_ENDINGS = ['许可证核发', '许可证', '核发', '许可', '审批', '核准', '审核', '审查', '批准', '备案', '登记', '注册', '确认', '办理', '申领', '签发', '证'];

/** Width-folded, without spaces and punctuation (brackets too, their content kept). */
export function normaliseName(name: string): string {
  return name.normalize('NFKC').replace(/[\s\p{P}\p{S}]/gu, '');
}

/** The name without its generic act; never shorter than 2 characters. */
export function coreName(name: string): string {
  let core = normaliseName(name);
  for (let changed = true; changed; ) {
    changed = false;
    for (const end of GENERIC_ENDINGS) {
      if (core.endsWith(end) && core.length - end.length >= 2) {
        core = core.slice(0, -end.length);
        changed = true;
        break;
      }
    }
  }
  return core;
}

export function bigrams(s: string): Set<string> {
  const chars = [...s];
  if (chars.length < 2) return new Set(chars);
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
  return out;
}

export function jaccard(a: string, b: string): number {
  const x = bigrams(a);
  const y = bigrams(b);
  if (x.size === 0 && y.size === 0) return 1;
  let both = 0;
  for (const g of x) if (y.has(g)) both += 1;
  return both / (x.size + y.size - both);
}

/** Levenshtein distance over characters (code points). */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[y.length]!;
}

/** 1 − distance ÷ the longer length: 1 for equal strings, 0 for nothing in common. */
export function editSimilarity(a: string, b: string): number {
  const n = Math.max([...a].length, [...b].length);
  return n === 0 ? 1 : 1 - editDistance(a, b) / n;
}

export interface NameMatch {
  by: 'bigram' | 'edit' | 'contains';
  /** The highest of the similarities computed (1 for containment). */
  score: number;
}

/** Whether two item names are close enough to be one item renamed, split or merged. */
export function nameMatch(a: string, b: string): NameMatch | null {
  const pairs: [string, string][] = [
    [normaliseName(a), normaliseName(b)],
    [coreName(a), coreName(b)],
  ];
  for (const [x, y] of pairs) {
    const [short, long] = x.length <= y.length ? [x, y] : [y, x];
    if ([...short].length >= MIN_CONTAINED && long.includes(short)) return { by: 'contains', score: 1 };
  }
  const j = Math.max(...pairs.map(([x, y]) => jaccard(x, y)));
  const e = Math.max(...pairs.map(([x, y]) => editSimilarity(x, y)));
  const round = (v: number) => Math.round(v * 1000) / 1000;
  if (j >= JACCARD_THRESHOLD) return { by: 'bigram', score: round(Math.max(j, e)) };
  if (e >= EDIT_THRESHOLD) return { by: 'edit', score: round(e) };
  return null;
}

const DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** 三十五 → 35, 一百零二 → 102, 十二 → 12, 35 → 35; null when it is not a number. */
export function chineseNumber(s: string): number | null {
  if (/^\d+$/.test(s)) return Number(s);
  let total = 0;
  let digit: number | null = null;
  for (const ch of s) {
    if (ch in DIGITS) digit = DIGITS[ch]!;
    else if (ch in UNITS) {
      total += (digit ?? 1) * UNITS[ch]!;
      digit = null;
    } else return null;
  }
  return s.length === 0 ? null : total + (digit ?? 0);
}

/** The law as cited, without the state's name in front: 《中华人民共和国食品安全法》 ≡ 《食品安全法》. */
function lawName(title: string): string {
  return normaliseName(title).replace(/^中华人民共和国/, '');
}

/**
 * The (law, article) pairs a legal basis cites: `食品安全法#35`. Articles follow their law until
 * the next 《…》; a law cited without an article gives nothing (too coarse to tell items apart).
 */
export function legalCitations(basis: string): Set<string> {
  const out = new Set<string>();
  const re = /《([^》]+)》([^《]*)/g;
  for (let m = re.exec(basis); m; m = re.exec(basis)) {
    const law = lawName(m[1]!);
    for (const a of m[2]!.matchAll(/第([零〇一二两三四五六七八九十百千\d]+)条/g)) {
      const n = chineseNumber(a[1]!);
      if (n !== null) out.add(`${law}#${n}`);
    }
  }
  return out;
}

/** The citations two legal bases share, readable (`《食品安全法》第35条`). */
export function sharedCitations(a: string, b: string): string[] {
  const y = legalCitations(b);
  return [...legalCitations(a)].filter((c) => y.has(c)).map((c) => {
    const [law, article] = c.split('#');
    return `《${law}》第${article}条`;
  });
}

export interface RevivalMatch {
  name: NameMatch | null;
  sharedCitations: string[];
}

/** How a draft matches one cancelled item, or null when it does not. */
export function revivalMatch(draft: { name: string; legalBasis: string }, cancelled: { name: string; legalBasis: string }): RevivalMatch | null {
  const name = nameMatch(draft.name, cancelled.name);
  const shared = sharedCitations(draft.legalBasis, cancelled.legalBasis);
  return name || shared.length ? { name, sharedCitations: shared } : null;
}
