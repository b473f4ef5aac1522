// Redis's glob-style matcher (stringmatchlen in util.c), used by KEYS and,
// later, by SCAN MATCH, PSUBSCRIBE and CONFIG GET. Written from the C
// behaviour, including its corners:
//
// - `*` any run of bytes, `?` one byte, `[...]` a set, `[^...]` its
//   complement, `a-z` a range inside a set (a reversed range `z-a` is
//   swapped), `\x` the byte x (inside a set too);
// - a `[` with no closing `]` reads to the end of the pattern and the set
//   ends there; a trailing `\` is a literal backslash;
// - bytes are C `char`s, which are signed on the x86-64 and arm64 builds
//   Redis ships for Debian amd64: in a range a byte >= 0x80 counts as
//   negative, so `[a-\xff]` covers \xff and \x00..a, not a..\xff;
// - the pattern is an sds string, so a read one byte past its end sees the
//   terminating NUL (the C code relies on that in a few places);
// - once a `*` has tried every position of the rest of the string without a
//   match, every earlier `*` gives up too (skipLongerMatches), which keeps
//   patterns like `*a*a*a*b` from taking exponential time.

/** The byte as a signed C char. */
const sc = (b: number): number => (b >= 0x80 ? b - 0x100 : b);

/** tolower() for the C locale, on a signed char value. */
const lower = (c: number): number => (c >= 0x41 && c <= 0x5a ? c + 32 : c);

const STAR = 0x2a;
const QUESTION = 0x3f;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const CARET = 0x5e;
const BACKSLASH = 0x5c;
const DASH = 0x2d;

/** stringmatchlen(pattern, string, nocase): true when `text` matches `pattern`. */
export function stringMatch(pattern: Uint8Array, text: Uint8Array, nocase = false): boolean {
  const state = { skipLongerMatches: false };
  return matchFrom(pattern, 0, text, 0, nocase, state);
}

function matchFrom(
  pat: Uint8Array,
  pi: number,
  str: Uint8Array,
  si: number,
  nocase: boolean,
  state: { skipLongerMatches: boolean },
): boolean {
  // The pattern byte at an index; the sds terminator (0) just past the end.
  const p = (i: number): number => (i < pat.length ? pat[i] : 0);
  let plen = pat.length - pi;
  let slen = str.length - si;
  const eq = (a: number, b: number): boolean => (nocase ? lower(sc(a)) === lower(sc(b)) : a === b);

  while (plen > 0 && slen > 0) {
    switch (p(pi)) {
      case STAR: {
        while (plen > 0 && p(pi + 1) === STAR) {
          pi++;
          plen--;
        }
        if (plen === 1) return true;
        while (slen > 0) {
          if (matchFrom(pat, pi + 1, str, si, nocase, state)) return true;
          if (state.skipLongerMatches) return false;
          si++;
          slen--;
        }
        state.skipLongerMatches = true;
        return false;
      }
      case QUESTION:
        si++;
        slen--;
        break;
      case OPEN: {
        pi++;
        plen--;
        const not = p(pi) === CARET;
        if (not) {
          pi++;
          plen--;
        }
        let match = false;
        for (;;) {
          if (p(pi) === BACKSLASH && plen >= 2) {
            pi++;
            plen--;
            if (p(pi) === str[si]) match = true;
          } else if (p(pi) === CLOSE) {
            break;
          } else if (plen === 0) {
            // Unterminated set: step back so the advance below lands on the end.
            pi--;
            plen++;
            break;
          } else if (plen >= 3 && p(pi + 1) === DASH) {
            let start = sc(p(pi));
            let end = sc(p(pi + 2));
            let c = sc(str[si]);
            if (start > end) [start, end] = [end, start];
            if (nocase) {
              start = lower(start);
              end = lower(end);
              c = lower(c);
            }
            pi += 2;
            plen -= 2;
            if (c >= start && c <= end) match = true;
          } else if (eq(p(pi), str[si])) {
            match = true;
          }
          pi++;
          plen--;
        }
        if (not) match = !match;
        if (!match) return false;
        si++;
        slen--;
        break;
      }
      default:
        // A backslash makes the next byte literal; a trailing one is itself.
        if (p(pi) === BACKSLASH && plen >= 2) {
          pi++;
          plen--;
        }
        if (!eq(p(pi), str[si])) return false;
        si++;
        slen--;
        break;
    }
    pi++;
    plen--;
    if (slen === 0) {
      while (p(pi) === STAR) {
        pi++;
        plen--;
      }
      break;
    }
  }
  return plen === 0 && slen === 0;
}
