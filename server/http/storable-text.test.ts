import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { unstorableText } from './storable-text.js';

describe('unstorableText', () => {
  it('names each field holding NUL or a lone surrogate, and each key holding one', () => {
    const body = {
      form: { entityName: 'a\u0000b', note: '正常文字', emoji: '店铺😀', half: 'x\uD800', tail: '\uDC00y' },
      list: ['ok', 'bad\u0000'],
      ['k\u0000']: 1,
      n: 5,
      nothing: null,
    };
    expect(unstorableText(body, '').map((i) => i.path)).toEqual(['form.entityName', 'form.half', 'form.tail', 'list.1', 'k\\0']);
  });

  it('passes any well-formed text without NUL, whatever it is', () => {
    const storable = fc.string({ unit: 'grapheme' }).filter((s) => !s.includes('\0'));
    fc.assert(fc.property(fc.dictionary(storable, fc.oneof(storable, fc.array(storable), fc.integer())), (v) => unstorableText(v, 'body').length === 0));
  });

  it('refuses exactly the text with a NUL or a lone surrogate, checked code unit by code unit', () => {
    // 'binary' strings hold any code point, lone surrogate halves and NUL included; a NUL or a
    // lone half dropped into the middle of one, too
    const text = fc.oneof(fc.string({ unit: 'binary' }), fc.tuple(fc.string({ unit: 'binary' }), fc.constantFrom('\0', '\uD83D', '\uDE00'), fc.string()).map((p) => p.join('')));
    fc.assert(fc.property(text, (s) => (unstorableText({ s }, 'body').length === 1) === (s.includes('\0') || !isWellFormed(s))));
  });
});

/** Whether `s` has no lone surrogate, walked code point by code point (independently of the regex). */
function isWellFormed(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return false;
  }
  return true;
}

describe('unstorableText on what is not JSON', () => {
  it('does not walk a buffer or a stream-like object, only plain objects and those without Object.prototype', () => {
    const nullProto = Object.assign(Object.create(null) as Record<string, unknown>, { q: 'x\u0000' });
    expect(unstorableText({ file: Buffer.from('a\u0000b'), n: nullProto }, '').map((i) => i.path)).toEqual(['n.q']);
  });
});
