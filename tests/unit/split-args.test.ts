// splitArgs: sdssplitargs of Redis 7.0.15 (src/sds.c), used for inline
// commands by the server and for typed lines by redis-cli.
import { describe, expect, it } from 'vitest';
import { splitArgs } from '../../src/engine/resp/split-args.ts';

const b = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const split = (s: string) => splitArgs(b(s));
const args = (...xs: string[]): Uint8Array[] => xs.map(b);

/**
 * A line-by-line transliteration of sdssplitargs from Redis 7.0.15 sds.c,
 * walking a NUL-terminated copy of the input with a pointer, used as the
 * reference the implementation is compared with on random lines.
 */
function sdssplitargsReference(input: Uint8Array): Uint8Array[] | null {
  const line = new Uint8Array(input.length + 1); // C string: NUL-terminated
  line.set(input);
  const at = (i: number) => (i < line.length ? line[i] : 0);
  const isspace = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d);
  const isHex = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
  const hex = (c: number) => (c <= 0x39 ? c - 0x30 : c >= 0x61 ? c - 0x61 + 10 : c - 0x41 + 10);
  let p = 0;
  const vector: Uint8Array[] = [];
  for (;;) {
    while (at(p) && isspace(at(p))) p++;
    if (!at(p)) return vector;
    let inq = false;
    let insq = false;
    let done = false;
    const current: number[] = [];
    while (!done) {
      if (inq) {
        if (at(p) === 0x5c && at(p + 1) === 0x78 && isHex(at(p + 2)) && isHex(at(p + 3))) {
          current.push(hex(at(p + 2)) * 16 + hex(at(p + 3)));
          p += 3;
        } else if (at(p) === 0x5c && at(p + 1)) {
          p++;
          const c = at(p);
          current.push(c === 0x6e ? 0x0a : c === 0x72 ? 0x0d : c === 0x74 ? 0x09 : c === 0x62 ? 0x08 : c === 0x61 ? 0x07 : c);
        } else if (at(p) === 0x22) {
          if (at(p + 1) && !isspace(at(p + 1))) return null;
          done = true;
        } else if (!at(p)) {
          return null;
        } else {
          current.push(at(p));
        }
      } else if (insq) {
        if (at(p) === 0x5c && at(p + 1) === 0x27) {
          p++;
          current.push(0x27);
        } else if (at(p) === 0x27) {
          if (at(p + 1) && !isspace(at(p + 1))) return null;
          done = true;
        } else if (!at(p)) {
          return null;
        } else {
          current.push(at(p));
        }
      } else {
        switch (at(p)) {
          case 0x20:
          case 0x0a:
          case 0x0d:
          case 0x09:
          case 0x00:
            done = true;
            break;
          case 0x22:
            inq = true;
            break;
          case 0x27:
            insq = true;
            break;
          default:
            current.push(at(p));
        }
      }
      if (at(p)) p++;
    }
    vector.push(Uint8Array.from(current));
  }
}

describe('splitArgs: plain words', () => {
  it('splits words on spaces', () => {
    expect(split('SET key value')).toEqual(args('SET', 'key', 'value'));
  });

  it('ignores leading, trailing and repeated blanks', () => {
    expect(split('   GET    key   ')).toEqual(args('GET', 'key'));
    expect(split('\t\r\n GET\t\tkey\r\n')).toEqual(args('GET', 'key'));
  });

  it('returns [] for an empty or blank line', () => {
    expect(split('')).toEqual([]);
    expect(split('    ')).toEqual([]);
    expect(split(' \t\r\n\v\f ')).toEqual([]);
  });

  it('keeps bytes above 0x7f as they are', () => {
    expect(split('SET k\xc3\xa9 \xff\x80')).toEqual(args('SET', 'k\xc3\xa9', '\xff\x80'));
  });

  it('skips \\v and \\f between words (isspace) but keeps them inside an unquoted word', () => {
    // Unquoted words end only at ' ', \n, \r, \t and NUL; the blank skipping uses isspace().
    expect(split('a\vb')).toEqual(args('a\vb'));
    expect(split('a\fb')).toEqual(args('a\fb'));
    expect(split('\v\fa \v b')).toEqual(args('a', 'b'));
    expect(split('a\v b\f')).toEqual(args('a\v', 'b\f'));
    // Observed from redis-server 7.0.15: inline "ECHO a\vb" answers "$3\r\na\vb\r\n".
    expect(split('ECHO a\vb')).toEqual(args('ECHO', 'a\vb'));
  });

  it('ends the line at a NUL byte, as the C string does', () => {
    expect(split('a b\x00c d')).toEqual(args('a', 'b'));
    expect(split('\x00a b')).toEqual([]);
    expect(split('ab\x00')).toEqual(args('ab'));
  });
});

describe('splitArgs: double quotes', () => {
  it('keeps spaces inside double quotes', () => {
    expect(split('SET "a key" "a value"')).toEqual(args('SET', 'a key', 'a value'));
  });

  it('gives an empty argument for ""', () => {
    expect(split('""')).toEqual(args(''));
    expect(split('SET "" ""')).toEqual(args('SET', '', ''));
  });

  it('decodes \\n \\r \\t \\b \\a', () => {
    expect(split('"\\n\\r\\t\\b\\a"')).toEqual(args('\n\r\t\b\x07'));
  });

  it('decodes \\xHH in upper and lower case', () => {
    expect(split('"\\x00\\xff\\xAb\\x41"')).toEqual([Uint8Array.from([0x00, 0xff, 0xab, 0x41])]);
  });

  it('keeps the x of a \\x not followed by two hex digits', () => {
    expect(split('"\\xZZ"')).toEqual(args('xZZ'));
    expect(split('"\\x4"')).toEqual(args('x4'));
    expect(split('"\\x"')).toEqual(args('x'));
    expect(split('"\\x4g"')).toEqual(args('x4g'));
  });

  it('takes \\" and \\\\ as the char itself, and any other escaped char as itself', () => {
    expect(split('"say \\"hi\\""')).toEqual(args('say "hi"'));
    expect(split('"a\\\\b"')).toEqual(args('a\\b'));
    expect(split('"\\z\\\'\\ "')).toEqual(args("z' "));
  });

  it('keeps single quotes inside double quotes', () => {
    expect(split('"it\'s"')).toEqual(args("it's"));
  });

  it('accepts any isspace byte after the closing quote', () => {
    for (const sep of [' ', '\t', '\n', '\r', '\v', '\f']) {
      expect(split(`"a"${sep}b`), JSON.stringify(sep)).toEqual(args('a', 'b'));
    }
  });

  it('accepts a NUL right after the closing quote, as the end of the line', () => {
    expect(split('"a"\x00junk')).toEqual(args('a'));
  });

  it('refuses a closing quote followed by a non-space', () => {
    expect(split('"foo"bar')).toBeNull();
    expect(split('"foo""bar"')).toBeNull();
    expect(split('"foo"\'bar\'')).toBeNull();
  });

  it('refuses unterminated double quotes', () => {
    expect(split('"abc')).toBeNull();
    expect(split('SET "abc')).toBeNull();
    expect(split('"abc\\"')).toBeNull();
    expect(split('"abc\\')).toBeNull();
    expect(split('"ab\x00c"')).toBeNull();
  });
});

describe('splitArgs: single quotes', () => {
  it('keeps everything inside single quotes literally', () => {
    expect(split("'a \"b\" \\n \\x41'")).toEqual(args('a "b" \\n \\x41'));
  });

  it("decodes only \\' inside single quotes", () => {
    expect(split("'it\\'s'")).toEqual(args("it's"));
  });

  it("reads '\\\\' as a backslash then an escaped quote, so the quote is never closed", () => {
    expect(split("'\\\\'")).toBeNull();
    expect(split("'\\\\' x'")).toEqual(args("\\' x"));
  });

  it('gives an empty argument for two single quotes', () => {
    expect(split("''")).toEqual(args(''));
  });

  it('refuses a closing quote followed by a non-space', () => {
    expect(split("'a'b")).toBeNull();
  });

  it('refuses unterminated single quotes', () => {
    expect(split("'abc")).toBeNull();
    expect(split("'abc\\'")).toBeNull();
  });
});

describe('splitArgs: quotes in the middle of a word', () => {
  it('starts quoting at a quote in the middle of a word and joins the parts', () => {
    // Observed with redis-cli 7.0.15: `a"b c"` sends the one argument "ab c".
    expect(split('a"b c"')).toEqual(args('ab c'));
    expect(split("a'b c'")).toEqual(args('ab c'));
    expect(split('ab"" x')).toEqual(args('ab', 'x'));
    expect(split('SET k"\\x41"')).toEqual(args('SET', 'kA'));
  });

  it('refuses a word that goes on after its closing quote', () => {
    expect(split('a"b c"d')).toBeNull();
    expect(split("a'b'c")).toBeNull();
  });

  it('refuses a quote opened in the middle of a word and never closed', () => {
    expect(split('ab"cd')).toBeNull();
    expect(split("ab'cd")).toBeNull();
  });
});

describe('splitArgs: agreement with the C code', () => {
  it('agrees with a transliteration of sdssplitargs on the hand-written cases', () => {
    const cases = [
      'a', 'a b', '"a"', "'a'", 'a"b c"', 'a"b c"d', '"\\x41"', '"\\x4"', "'\\''", "'\\\\'", '"', "'", '\\', '"\\', '""""',
      '" "', 'x "" y', "x '' y", '\v"a"\f', 'a\v"b"', '"a"\v', "'a'\f", 'a\x00"', '"\\\x00"', '\\"a"',
    ];
    for (const c of cases) expect(split(c), JSON.stringify(c)).toEqual(sdssplitargsReference(b(c)));
  });

  it('agrees with a transliteration of sdssplitargs on 20,000 random lines', () => {
    const alphabet = ['a', 'b', 'x', '4', 'F', 'g', ' ', '\t', '\n', '\r', '\v', '\f', '"', "'", '\\', '\x00', '\xff', '\x07'];
    let seed = 0x2545f491;
    const rand = (n: number) => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    for (let i = 0; i < 20_000; i++) {
      let line = '';
      const len = rand(14);
      for (let j = 0; j < len; j++) line += alphabet[rand(alphabet.length)];
      expect(split(line), JSON.stringify(line)).toEqual(sdssplitargsReference(b(line)));
    }
  });
});
