import { describe, expect, it } from 'vitest';
import { ITEMS } from '../../db/seed/catalogue/items.js';
import { chineseNumber, coreName, editSimilarity, jaccard, legalCitations, nameMatch, revivalMatch, sharedCitations } from './delegation.similarity.js';

describe(nameMatch.name, () => {
  // 冀政办发〔2020〕7号: no comeback by splitting, merging or renaming
  it.each([
    ['a renaming of the act', '娱乐场所经营许可', '娱乐场所经营审批', 'contains'],
    ['a longer official name', '食品经营许可', '食品经营许可证核发', 'contains'],
    ['a split that keeps the name', '食品经营许可', '食品经营许可（餐饮服务）', 'contains'],
    ['a merger of two cancelled names', '公共场所卫生许可', '食品经营许可和公共场所卫生许可', 'contains'],
    ['a reworded object and act', '户外广告设置许可', '户外广告设施设置审批', 'bigram'],
    ['full-width and spacing differences', '旅行社业务经营许可', '旅行社 业务经营许可', 'contains'],
    ['two characters swapped in a long name', '互联网上网服务营业场所经营许可', '互联网上网服务经营场所营业许可', 'bigram'],
  ])('matches %s: %s ~ %s', (_what, a, b, by) => {
    expect(nameMatch(a, b)).toMatchObject({ by });
    expect(nameMatch(b, a)).toMatchObject({ by });
  });

  it.each([
    ['different objects of the same act', '食品经营许可', '食品生产许可'],
    ['different registrations', '结婚登记', '离婚登记'],
    ['different kinds of transport', '道路货物运输经营许可', '道路旅客运输经营许可'],
    ['different planning permits', '建设工程规划许可', '建设用地规划许可'],
    ['different stages of a company', '企业设立登记', '企业变更登记'],
    ['a short core inside a longer name', '出生登记', '出生医学证明办理'],
  ])('does not match %s: %s ≁ %s', (_what, a, b) => {
    expect(nameMatch(a, b)).toBeNull();
  });

  it('mistakes no two items of the demo catalogue for one another', () => {
    const pairs = ITEMS.flatMap((a, i) => ITEMS.slice(i + 1).map((b) => [a.name, b.name] as const));
    expect(pairs.length).toBeGreaterThan(1000);
    expect(pairs.filter(([a, b]) => nameMatch(a, b) !== null)).toEqual([]);
  });
});

describe('the measures', () => {
  it('strips the generic act from a name, repeatedly, keeping at least two characters', () => {
    expect(coreName('建设工程施工许可证核发')).toBe('建设工程施工');
    expect(coreName('居住证签发')).toBe('居住');
    expect(coreName('登记')).toBe('登记');
  });

  it('computes bigram Jaccard and edit similarity', () => {
    expect(jaccard('食品经营许可', '食品经营许可')).toBe(1);
    expect(jaccard('食品经营', '食品生产')).toBeCloseTo(1 / 5);
    expect(editSimilarity('娱乐场所经营许可', '娱乐场所经营审批')).toBeCloseTo(0.75);
    expect(editSimilarity('', '')).toBe(1);
  });
});

describe(chineseNumber.name, () => {
  it.each([
    ['三十五', 35],
    ['十二', 12],
    ['一百零二', 102],
    ['二百零一', 201],
    ['四十', 40],
    ['35', 35],
    ['第', null],
  ])('%s → %s', (s, n) => expect(chineseNumber(s)).toBe(n));
});

describe(legalCitations.name, () => {
  it('pairs each law with its articles, the state name dropped and numerals read', () => {
    expect([...legalCitations('《中华人民共和国城乡规划法》第三十七条、第三十八条')]).toEqual(['城乡规划法#37', '城乡规划法#38']);
    expect([...legalCitations('《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》（国家市场监督管理总局令第78号）')]).toEqual(['食品安全法#35']);
    expect([...legalCitations('依据《娱乐场所管理条例》')]).toEqual([]);
  });

  it('finds the same article however it is written', () => {
    expect(sharedCitations('《中华人民共和国食品安全法》第三十五条', '《食品安全法》第35条第一款')).toEqual(['《食品安全法》第35条']);
    expect(sharedCitations('《食品安全法》第三十五条', '《食品安全法》第三十六条')).toEqual([]);
  });
});

describe(revivalMatch.name, () => {
  const cancelled = { name: '娱乐场所经营许可', legalBasis: '《娱乐场所管理条例》第九条' };
  it.each([
    ['a renamed item on another basis', { name: '娱乐场所经营审批', legalBasis: '《河北省文化市场管理条例》' }, { name: { by: 'contains' }, sharedCitations: [] }],
    ['a new name on the same article', { name: '歌舞游艺场所开业核准', legalBasis: '《娱乐场所管理条例》第九条' }, { name: null, sharedCitations: ['《娱乐场所管理条例》第9条'] }],
    ['an unrelated item', { name: '营业性演出许可', legalBasis: '《营业性演出管理条例》第六条' }, null],
  ])('%s', (_what, draft, expected) => {
    const m = revivalMatch(draft, cancelled);
    if (expected === null) expect(m).toBeNull();
    else expect(m).toMatchObject(expected);
  });
});
