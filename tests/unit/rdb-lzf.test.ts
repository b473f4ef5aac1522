// LZF as Redis builds liblzf: the compressor's output must equal the C
// one's byte for byte (these vectors are DUMP payloads of redis-server
// 7.0.15), the decompressor must invert it, and random bytes must never
// make the decompressor hang or throw.
import { describe, expect, it } from 'vitest';
import { lzfCompress, lzfDecompress } from '../../src/engine/rdb/lzf.ts';
import { fromHex, hex } from './rdb-fixtures.ts';

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** Inputs and the DUMP payload redis-server 7.0.15 gave for `SET k <input>` (type 0, C3 clen len, LZF bytes, footer). */
const REAL_DUMPS: Array<[string, Uint8Array, string]> = [
  ['40 a (redis-facts.md 9.3)', ascii('a'.repeat(40)), '00c309280161' + '61e01b00016161' + '0a00'],
  [
    'a sentence said twice',
    ascii('the quick brown fox jumps over the lazy dog, the quick brown fox jumps over the lazy dog'),
    '00c33540581f74686520717569636b2062726f776e20666f78206a756d7073206f7665722074201e086c617a7920646f672c600de01c2c016f670a00f379e2b3291b46c7',
  ],
  ['"ab" 500 times', ascii('ab'.repeat(500)), '00c31343e802616261e0ff01e0ff01e0ff01e0c2010161620a00b47609dbfd1d6016'],
  ['5000 x', ascii('x'.repeat(5000)), '00c33f5388017878e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0eb000178780a001280f9916a275e75'],
  [
    'the numbers 0 to 199',
    ascii(Array.from({ length: 200 }, (_, i) => String(i)).join('')),
    '00c341d041ea1f30313233343536373839313031313132313331343135313631373138313932301f32313232323332343235323632373238323933303331333233333334333533361f33373338333934303431343234333434343534363437343834393530353135321f35333534353535363537353835393630363136323633363436353636363736381f36393730373137323733373437353736373737383739383038313832383338340c3835383638373838383939303920900039206c0039204800392024003920b3003040b620a520942083207220612050203f202e401b200001323120d520d620d720d820d920da0431393132304019003220e1153331323431323531323631323731323831323931333040340033211020ee1234313335313336313337313338313339313430404f0334323134212f20fb0f35313436313437313438313439313530406a0635323135333135214e21080c3631353731353831353931363040850936323136333136343136216d2115093731363831363931373040a00c37323137333137343137353137218c2122063831373931383040bb0f3832313833313834313835313836313821ab212f211e003020d6212410313933313934313935313936313937313921ca00390a00ef2e0cc63a85ad24',
  ],
];

/** The LZF bytes out of such a payload: after 00 C3 and two RDB lengths. */
function lzfPart(payload: Uint8Array): { clen: number; len: number; bytes: Uint8Array } {
  let p = 2;
  const len = () => {
    const b = payload[p];
    if (b >> 6 === 0) return (p++, b & 63);
    if (b >> 6 === 1) return ((p += 2), ((b & 63) << 8) | payload[p - 1]);
    const v = (payload[p + 1] << 24) | (payload[p + 2] << 16) | (payload[p + 3] << 8) | payload[p + 4];
    p += 5;
    return v >>> 0;
  };
  const clen = len();
  const n = len();
  return { clen, len: n, bytes: payload.subarray(p, p + clen) };
}

describe('lzfCompress', () => {
  it.each(REAL_DUMPS)('compresses %s exactly as redis-server 7.0.15 did', (_name, input, payloadHex) => {
    const real = lzfPart(fromHex(payloadHex));
    expect(real.len).toBe(input.length);
    const mine = lzfCompress(input, input.length - 4);
    expect(mine && hex(mine)).toBe(hex(real.bytes));
  });

  it('returns null for empty input and when the output would not fit', () => {
    expect(lzfCompress(new Uint8Array(0), 10)).toBeNull();
    const random = Uint8Array.from({ length: 200 }, ((r) => () => Math.floor(r() * 256))(rng(3)));
    expect(lzfCompress(random, random.length - 4)).toBeNull();
    // The same bytes fit when the output may be longer than the input.
    expect(lzfCompress(random, random.length + 16)).not.toBeNull();
  });

  it('never writes past outLen, whatever outLen is', () => {
    const input = ascii('abcabcabcabc-xyzxyzxyz-abcabc'.repeat(5));
    const full = lzfCompress(input, 10_000)!;
    for (let outLen = 1; outLen <= full.length + 3; outLen++) {
      const got = lzfCompress(input, outLen);
      if (got) {
        expect(got.length).toBeLessThanOrEqual(outLen);
        expect(hex(got)).toBe(hex(full));
      }
    }
    // The C code stops early rather than check every byte: it needs a little room beyond the result.
    expect(lzfCompress(input, full.length + 4)).not.toBeNull();
  });

  it('round-trips through lzfDecompress for inputs of many shapes and sizes', () => {
    const r = rng(42);
    const shapes: Array<(n: number) => Uint8Array> = [
      (n) => Uint8Array.from({ length: n }, () => Math.floor(r() * 256)),
      (n) => Uint8Array.from({ length: n }, () => (r() < 0.9 ? 0x61 : Math.floor(r() * 256))),
      (n) => Uint8Array.from({ length: n }, (_, i) => 'abcdefgh'.charCodeAt((i * 3) % 8)),
      (n) => Uint8Array.from({ length: n }, (_, i) => (i % 300 < 150 ? i & 0xff : Math.floor(r() * 4))),
      (n) => new Uint8Array(n),
    ];
    let compressed = 0;
    for (const size of [1, 2, 3, 4, 5, 20, 21, 33, 64, 100, 264, 265, 1000, 8193, 20000, 70000]) {
      for (const shape of shapes) {
        const input = shape(size);
        const out = lzfCompress(input, input.length + Math.ceil(input.length / 32) + 8); // a literal run costs 1 byte per 32
        expect(out, `size ${size}`).not.toBeNull();
        const back = lzfDecompress(out!, input.length);
        expect('out' in back && back.length === input.length && hex(back.out) === hex(input), `size ${size}`).toBe(true);
        if (out!.length < input.length) compressed++;
      }
    }
    expect(compressed).toBeGreaterThan(30);
  });
});

describe('lzfDecompress', () => {
  it('reports E2BIG when the output is longer than announced, EINVAL on a reference before the start or a cut input', () => {
    const good = lzfCompress(ascii('a'.repeat(40)), 36)!;
    expect(lzfDecompress(good, 39)).toEqual({ error: 'E2BIG' });
    expect(lzfDecompress(Uint8Array.of(0x20, 0x00), 10)).toEqual({ error: 'EINVAL' }); // back-reference at offset 1 of nothing
    expect(lzfDecompress(Uint8Array.of(0x05, 0x61), 10)).toEqual({ error: 'EINVAL' }); // literal run of 6 with one byte
    expect(lzfDecompress(Uint8Array.of(0x00, 0x61, 0xe0), 10)).toEqual({ error: 'EINVAL' }); // long reference cut short
    const shorter = lzfDecompress(good, 41);
    expect('out' in shorter && shorter.length).toBe(40); // Redis compares the length and refuses
  });

  it('never throws or hangs on random input, and never writes more than announced', () => {
    const r = rng(99);
    for (let i = 0; i < 20000; i++) {
      const n = Math.floor(r() * 40);
      const input = Uint8Array.from({ length: n }, () => Math.floor(r() * 256));
      const outLen = Math.floor(r() * 300);
      const got = lzfDecompress(input, outLen);
      if ('out' in got) expect(got.length).toBeLessThanOrEqual(outLen);
      else expect(['E2BIG', 'EINVAL']).toContain(got.error);
    }
  });
});
