// Byte helpers: string2ll exactly as Redis 7.0.15 util.c, UTF-8 encoding as
// TextEncoder does it, and the latin1 byte<->char mapping.
import { describe, expect, it } from 'vitest';
import {
  bytesEqual,
  concatBytes,
  cString,
  fromLatin1,
  latin1,
  lowerAscii,
  string2ll,
  utf8,
} from '../../src/engine/bytes.ts';

const b = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** string2ll of Redis 7.0.15 util.c, transliterated with BigInt (LONG_STR_SIZE is 21). */
function string2llReference(s: Uint8Array): bigint | null {
  const slen = s.length;
  if (slen === 0 || slen >= 21) return null;
  if (slen === 1 && s[0] === 0x30) return 0n;
  let p = 0;
  let negative = false;
  if (s[0] === 0x2d) {
    negative = true;
    p++;
    if (p === slen) return null;
  }
  let v: bigint;
  if (s[p] >= 0x31 && s[p] <= 0x39) v = BigInt(s[p++] - 0x30);
  else return null;
  const ULLONG_MAX = (1n << 64n) - 1n;
  while (p < slen && s[p] >= 0x30 && s[p] <= 0x39) {
    if (v > ULLONG_MAX / 10n) return null;
    v *= 10n;
    if (v > ULLONG_MAX - BigInt(s[p] - 0x30)) return null;
    v += BigInt(s[p] - 0x30);
    p++;
  }
  if (p < slen) return null;
  if (negative) {
    if (v > 9223372036854775808n) return null;
    return -v;
  }
  if (v > 9223372036854775807n) return null;
  return v;
}

const parsed = (s: string) => {
  const v = string2ll(b(s));
  return v === null ? null : BigInt(v);
};

describe('string2ll', () => {
  it.each([
    ['0', 0n],
    ['1', 1n],
    ['-1', -1n],
    ['10', 10n],
    ['123456789', 123456789n],
    ['-2147483648', -2147483648n],
    ['9007199254740991', 9007199254740991n],
    ['9007199254740993', 9007199254740993n],
    ['-9007199254740993', -9007199254740993n],
    ['9223372036854775807', 9223372036854775807n],
    ['-9223372036854775808', -9223372036854775808n],
  ])('parses %j as %s', (text, value) => {
    expect(parsed(text)).toBe(value);
  });

  it.each([
    [''],
    ['-'],
    ['-0'],
    ['01'],
    ['00'],
    ['-01'],
    ['+1'],
    [' 1'],
    ['1 '],
    ['1a'],
    ['a1'],
    ['1.0'],
    ['1e3'],
    ['--1'],
    ['0x10'],
    ['9223372036854775808'],
    ['-9223372036854775809'],
    ['18446744073709551615'],
    ['18446744073709551616'],
    ['99999999999999999999'],
    ['-99999999999999999999'],
    ['100000000000000000000'],
    ['123456789012345678901'],
  ])('refuses %j', (text) => {
    expect(string2ll(b(text))).toBeNull();
  });

  it('returns a plain number for values within 2^53', () => {
    expect(string2ll(b('-42'))).toBe(-42);
    expect(string2ll(b('9007199254740991'))).toBe(9007199254740991);
  });

  it('returns the exact value at the 64-bit limits', () => {
    expect(BigInt(string2ll(b('9223372036854775807'))!)).toBe(9223372036854775807n);
    expect(BigInt(string2ll(b('-9223372036854775808'))!)).toBe(-9223372036854775808n);
  });

  it('parses only the given byte range', () => {
    const bytes = b('x-1234y');
    expect(string2ll(bytes, 1, 6)).toBe(-1234);
    expect(string2ll(bytes, 2, 4)).toBe(12);
    expect(string2ll(bytes, 0, 6)).toBeNull();
    expect(string2ll(bytes, 3, 3)).toBeNull();
  });

  it('agrees with the C code on every string of 0 to 3 chars over "0", "1", "9", "-", "+", " " and "a"', () => {
    const alphabet = ['0', '1', '9', '-', '+', ' ', 'a'];
    const all = [''];
    for (let len = 1; len <= 3; len++) {
      for (const prefix of all.filter((s) => s.length === len - 1)) for (const c of alphabet) all.push(prefix + c);
    }
    for (const s of all) expect(parsed(s), JSON.stringify(s)).toBe(string2llReference(b(s)));
  });

  it('agrees with the C code on 20,000 random digit strings up to 21 chars, around the limits', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return Math.floor((seed / 4294967296) * n);
    };
    const bases = ['9223372036854775807', '9223372036854775808', '-9223372036854775808', '-9223372036854775809', '18446744073709551615'];
    for (let i = 0; i < 20_000; i++) {
      let s: string;
      if (i % 4 === 0) {
        // Perturb one digit of a value near a limit.
        const base = bases[rand(bases.length)];
        const at = rand(base.length);
        s = base.slice(0, at) + String(rand(10)) + base.slice(at + 1);
      } else {
        const len = rand(22);
        s = rand(3) === 0 ? '-' : '';
        for (let j = 0; j < len; j++) s += String(rand(10));
        if (rand(20) === 0) s = s.slice(0, rand(s.length + 1)) + 'x' + s.slice(rand(s.length + 1));
      }
      expect(parsed(s), JSON.stringify(s)).toBe(string2llReference(b(s)));
    }
  });
});

describe('utf8', () => {
  const samples = [
    '',
    'hello',
    '\x00\x7f',
    '\x80\xff',
    'é',
    'ß∂ƒ©',
    '€',
    '\u07ff\u0800\uffff',
    '中文字符',
    '😀',
    '𝄞 music',
    '\u{10ffff}',
    '\u{10000}',
    'a\ud800b', // lone high surrogate
    'a\udc00b', // lone low surrogate
    '\ud800',
    '\udfff',
    '\ud83d', // a high surrogate at the very end
    '\ude00\ud83d', // reversed pair
    '\ud83d\ud83d\ude00', // high, then a proper pair
    '\ud83d\ude00\ude00', // pair, then a lone low
    '\ufffd\ufeff',
  ];

  it.each(samples.map((s) => [JSON.stringify(s), s]))('encodes %s as Buffer.from(str, "utf8") does', (_, s) => {
    expect(utf8(s)).toEqual(new Uint8Array(Buffer.from(s, 'utf8')));
  });

  it('encodes as TextEncoder does, lone surrogates becoming U+FFFD', () => {
    const encoder = new TextEncoder();
    for (const s of samples) expect(utf8(s), JSON.stringify(s)).toEqual(encoder.encode(s));
    expect(utf8('\ud800')).toEqual(Uint8Array.from([0xef, 0xbf, 0xbd]));
  });

  it('encodes 5,000 random strings of UTF-16 code units as TextEncoder does', () => {
    const encoder = new TextEncoder();
    let seed = 99;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return Math.floor((seed / 4294967296) * n);
    };
    const pools = [[0, 0x80], [0x80, 0x800], [0x800, 0xd800], [0xd800, 0xdc00], [0xdc00, 0xe000], [0xe000, 0x10000]];
    for (let i = 0; i < 5000; i++) {
      const units: number[] = [];
      const len = rand(12);
      for (let j = 0; j < len; j++) {
        const [lo, hi] = pools[rand(pools.length)];
        units.push(lo + rand(hi - lo));
      }
      const s = String.fromCharCode(...units);
      expect(utf8(s), JSON.stringify(s)).toEqual(encoder.encode(s));
    }
  });

  it('returns a plain Uint8Array', () => {
    expect(utf8('x')).toBeInstanceOf(Uint8Array);
  });
});

describe('latin1 and fromLatin1', () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);

  it('maps every byte 0..255 to the char with that code', () => {
    const text = latin1(all);
    expect(text.length).toBe(256);
    for (let i = 0; i < 256; i++) expect(text.charCodeAt(i)).toBe(i);
  });

  it('round-trips all 256 byte values', () => {
    expect(fromLatin1(latin1(all))).toEqual(all);
  });

  it('round-trips input longer than its 8192-byte chunks', () => {
    const big = Uint8Array.from({ length: 20_001 }, (_, i) => (i * 7 + (i >> 8)) & 0xff);
    expect(fromLatin1(latin1(big))).toEqual(big);
  });

  it('decodes only the given range', () => {
    expect(latin1(b('abcdef'), 1, 4)).toBe('bcd');
    expect(latin1(b('abcdef'), 3)).toBe('def');
    expect(latin1(b('abcdef'), 2, 2)).toBe('');
  });

  it('agrees with Buffer latin1 decoding', () => {
    expect(latin1(all)).toBe(Buffer.from(all).toString('latin1'));
  });
});

describe('small helpers', () => {
  it('lowerAscii lowers only A-Z', () => {
    expect(lowerAscii(b('PiNg'))).toBe('ping');
    expect(lowerAscii(b('COMMAND|COUNT'))).toBe('command|count');
    expect(lowerAscii(b('\xc9@[`{'))).toBe('\xc9@[`{');
  });

  it('cString stops at the first NUL', () => {
    expect(cString(b('ab\x00cd'))).toEqual(b('ab'));
    expect(cString(b('abc'))).toEqual(b('abc'));
    expect(cString(b('\x00'))).toEqual(b(''));
  });

  it('concatBytes joins parts in order', () => {
    expect(concatBytes([b('ab'), b(''), b('\x00\xff'), b('c')])).toEqual(b('ab\x00\xffc'));
    expect(concatBytes([])).toEqual(new Uint8Array(0));
  });

  it('bytesEqual compares length and every byte', () => {
    expect(bytesEqual(b('abc'), b('abc'))).toBe(true);
    expect(bytesEqual(b('abc'), b('abd'))).toBe(false);
    expect(bytesEqual(b('abc'), b('ab'))).toBe(false);
    expect(bytesEqual(b(''), b(''))).toBe(true);
  });
});
