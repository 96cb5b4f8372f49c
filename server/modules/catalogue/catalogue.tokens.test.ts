import { describe, expect, it } from 'vitest';
import { normalise, searchQueries, searchTokens, tsvectorLiteral, words } from './catalogue.tokens.js';

describe(words.name, () => {
  it('segments with offsets and drops punctuation', () => {
    expect(words('《食品》许可')).toEqual([
      { word: '食品', at: 1 },
      { word: '许可', at: 4 },
    ]);
    expect(words('食品经营许可').map((w) => w.at)).toEqual([0, 2, 4]);
  });
});

describe(searchTokens.name, () => {
  it('stores a compound and the words inside it at their own offsets', () => {
    const t = searchTokens('公共场所卫生许可');
    expect(t).toContainEqual({ word: '公共场所', at: 0 });
    expect(t).toContainEqual({ word: '公共', at: 0 });
    expect(t).toContainEqual({ word: '场所', at: 2 });
    expect(t).toContainEqual({ word: '卫生', at: 4 });
  });
});

describe(tsvectorLiteral.name, () => {
  it('weights fields and keeps a gap between them so no phrase spans two', () => {
    const v = tsvectorLiteral([{ text: '取水许可', weight: 'A' }, { text: '水法', weight: 'D' }]);
    expect(v).toContain("'取水':1A");
    expect(v).toMatch(/'水法':\d+D/);
    const at = Number(/'水法':(\d+)D/.exec(v)![1]);
    expect(at).toBeGreaterThan(4 + 1);
  });
});

describe(searchQueries.name, () => {
  it('makes a phrase of the query words, each as many characters apart as typed, or of its characters in a row', () => {
    expect(searchQueries('场所卫生').phrase).toBe("('场所' <2> '卫生') | ('场' <1> '所' <1> '卫' <1> '生')");
  });
  it('keeps a compound whole: 跨省通办 never reduces to 跨省 or 通办 alone', () => {
    const q = searchQueries('跨省通办');
    for (const part of [q.phrase, q.all, q.any]) {
      expect(part).not.toMatch(/^'跨省'$|\| '跨省' \||'通办' \|/);
      expect(part).toMatch(/'跨省通办'/);
    }
  });
  it('drops filler words from the loose match but not from the phrase', () => {
    const q = searchQueries('我想办理食品经营许可需要什么材料');
    expect(q.all).not.toMatch(/'我'|'需要'|'材料'/);
    expect(q.all).toMatch(/'食品'/);
    expect(q.phrase).toMatch(/'需要'/);
  });
  it('treats a trailing single character as a prefix (typing in progress)', () => {
    expect(searchQueries('食品经').all).toMatch(/'经':\*$/);
  });
  it('gives nothing for a query without words', () => {
    expect(searchQueries('，。！')).toEqual({ phrase: '', all: '', any: '' });
  });
});

describe(normalise.name, () => {
  it('folds full-width characters and case', () => {
    expect(normalise('ＨＢ－０１　食品')).toBe('hb-01 食品');
  });
});
