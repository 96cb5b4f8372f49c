/**
 * Chinese text → full-text search terms (design.md: jieba in Node, `tsvector` with no parser of
 * the database's own, so it works on PGlite and stock PostgreSQL without extensions).
 *
 * Why positions are character offsets: jieba's search mode emits overlapping words
 * (公共场所 → 公共, 场所, 公共场所), so numbering tokens 1, 2, 3 … as `to_tsvector` would makes
 * `phraseto_tsquery` miss phrases that span a compound (场所卫生). Every token here is stored at
 * the offset of its first character, and a query phrase says how many characters apart its words
 * start (`'场所' <2> '卫生'`). A compound such as 跨省通办 therefore matches only text that has
 * 跨省 immediately followed by 通办, never a text with 跨省 or 通办 somewhere.
 *
 * Each Chinese character is stored too, at its own offset, so a query can also ask for its exact
 * characters in a row (`'出' <1> '生' <1> '证' <1> '明'`): a substring match that does not depend
 * on the text having been segmented the way the query was. (PostgreSQL evaluates an OR inside a
 * phrase by the widest branch, so alternatives are OR-ed as whole phrases, never inside one.)
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

let jieba: Jieba | undefined;

/** Words of government-service Chinese that jieba's general dictionary splits (or joins) wrongly. */
const USER_WORDS = [
  '跨省通办', '通办', '一件事', '网约车', '公积金', '医保', '参保', '个体户', '工商户', '刻章', '危化品', '排污',
  '取水', '不动产', '施工许可', '营业执照', '出生医学证明', '户口', '上户口', '劳务派遣', '网吧', '驾校', '小吃店',
  '开饭店', '开餐馆', '低保', '环评', '发票', '申领', '缴存', '注销', '备案', '核发',
];

function segmenter(): Jieba {
  if (!jieba) {
    jieba = Jieba.withDict(dict);
    jieba.loadDict(Buffer.from(USER_WORDS.map((w) => `${w} 20000 n`).join('\n')));
  }
  return jieba;
}

/** Full-width → half-width, lower case, and one space for any run of blanks. */
export function normalise(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

const WORDLIKE = /^[\p{L}\p{N}]+$/u;

export interface Token {
  word: string;
  /** Offset of the first character in the normalised text. */
  at: number;
}

/** The precise segmentation, each word with its offset; punctuation and blanks dropped. */
export function words(text: string): Token[] {
  const out: Token[] = [];
  let at = 0;
  for (const w of segmenter().cut(text, true)) {
    if (WORDLIKE.test(w)) out.push({ word: w, at });
    at += w.length;
  }
  return out;
}

const HAN = /\p{Script=Han}/u;

/** Every search-mode token (words, the dictionary words inside them, single Chinese characters) at its offset. */
export function searchTokens(text: string): Token[] {
  const seen = new Set<string>();
  const out: Token[] = [];
  for (const { word, at } of words(text)) {
    const chars = [...word].length === word.length && word.length > 1 ? [...word].filter((c) => HAN.test(c)) : [];
    for (const sub of [...subwords(word), ...chars]) {
      for (let i = word.indexOf(sub); i >= 0; i = word.indexOf(sub, i + 1)) {
        const key = `${sub}@${at + i}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ word: sub, at: at + i });
      }
    }
  }
  return out;
}

/** The word and its dictionary sub-words (search mode), e.g. 许可证 → 许可, 许可证. */
function subwords(word: string): string[] {
  if (word.length <= 2) return [word];
  const subs = segmenter().cutForSearch(word, true).filter((s) => WORDLIKE.test(s));
  return subs.includes(word) ? subs : [...subs, word];
}

export type Weight = 'A' | 'B' | 'C' | 'D';
/** tsvector positions are 1…16383. */
const MAX_POSITION = 16_383;
/** Characters left between fields so no phrase spans two of them. */
const FIELD_GAP = 16;

/**
 * The `tsvector` literal for weighted fields (name A, result B, department C, legal basis D).
 * Tokens are letters and digits only, so the literal needs no escaping.
 */
export function tsvectorLiteral(fields: { text: string; weight: Weight }[]): string {
  const positions = new Map<string, string[]>();
  let base = 0;
  for (const f of fields) {
    const t = normalise(f.text);
    for (const { word, at } of searchTokens(t)) {
      const p = Math.min(base + at + 1, MAX_POSITION);
      const list = positions.get(word) ?? [];
      if (list.length < 256) list.push(`${p}${f.weight}`); // PostgreSQL keeps at most 256 positions per lexeme
      positions.set(word, list);
    }
    base += t.length + FIELD_GAP;
  }
  return [...positions.entries()].map(([w, ps]) => `'${w}':${ps.join(',')}`).join(' ');
}

/** Words that carry no meaning in a request (我想办…需要什么材料); kept in phrases, dropped from the loose match. */
export const STOPWORDS = new Set([
  '我', '我们', '想', '想要', '要', '需要', '怎么', '怎样', '如何', '在', '哪里', '哪儿', '去', '到', '办', '办理', '手续',
  '什么', '哪些', '材料', '的', '了', '个', '一个', '能', '可以', '吗', '呢', '啊', '吧', '请问', '流程', '咨询', '给',
  '和', '与', '及', '或', '是', '有', '没有', '该', '这个', '那个', '些', '一下', '多久', '多少', '钱', '时间',
]);

function quote(word: string): string {
  return `'${word}'`;
}

/** The characters of a text in a row, as a phrase (an exact substring match); '' when it has none. */
export function charPhrase(text: string): string {
  const parts: Token[] = [];
  let at = 0;
  for (const ch of text) {
    if (/[\p{L}\p{N}]/u.test(ch)) parts.push({ word: ch, at });
    at += ch.length;
  }
  if (parts.length === 0 || parts.some((p) => !HAN.test(p.word))) return '';
  let phrase = quote(parts[0]!.word);
  for (let i = 1; i < parts.length; i++) phrase = `${phrase} <${parts[i]!.at - parts[i - 1]!.at}> ${quote(parts[i]!.word)}`;
  return phrase;
}

/** A query word, or its characters in a row (a text segmented differently still matches, but only where they stand together). */
function alternatives(word: string): string {
  const chars = word.length > 1 ? charPhrase(word) : '';
  return chars === '' ? quote(word) : `(${quote(word)} | ${chars})`;
}

export interface SearchQueries {
  /** The query's words in order, each as many characters after the last as in the query. */
  phrase: string;
  /** Every meaningful word, anywhere in the text; the last one as a prefix (typing in progress). */
  all: string;
  /** Any meaningful word: the fallback when nothing matches all of them. */
  any: string;
}

/** tsquery literals for a user's query; empty strings when it has no words. */
export function searchQueries(q: string): SearchQueries {
  const text = normalise(q);
  const ws = words(text);
  if (ws.length === 0) return { phrase: '', all: '', any: '' };
  let byWords = quote(ws[0]!.word);
  for (let i = 1; i < ws.length; i++) byWords = `${byWords} <${ws[i]!.at - ws[i - 1]!.at}> ${quote(ws[i]!.word)}`;
  const byChars = ws.length > 1 || [...ws[0]!.word].length > 1 ? charPhrase(text) : '';
  const phrase = byChars === '' || byChars === byWords ? byWords : `(${byWords}) | (${byChars})`;
  const content = ws.filter((w) => !STOPWORDS.has(w.word));
  const terms = content.map((w, i) => (i === content.length - 1 && w.word.length === 1 ? `${quote(w.word)}:*` : alternatives(w.word)));
  return { phrase, all: terms.join(' & '), any: terms.join(' | ') };
}

/** A tsquery for an exact phrase (a synonym's expansion). */
export function phraseQuery(text: string): string {
  return charPhrase(normalise(text)) || searchQueries(text).phrase;
}
