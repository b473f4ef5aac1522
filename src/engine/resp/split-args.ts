// sdssplitargs: how Redis splits an inline command and how redis-cli splits
// a typed line. Double quotes take escapes (\n \r \t \b \a, \xHH, and
// \<any> for that char); single quotes take only \'. A closing quote must be
// followed by a space or the end of the line. Returns null on unbalanced
// quotes, which the server reports as a protocol error and redis-cli as
// "Invalid argument(s)".

function isSpace(b: number): boolean {
  // C isspace(): space, \t, \n, \v, \f, \r
  return b === 0x20 || (b >= 0x09 && b <= 0x0d);
}

function hexValue(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x61 && b <= 0x66) return b - 0x61 + 10;
  if (b >= 0x41 && b <= 0x46) return b - 0x41 + 10;
  return -1;
}

export function splitArgs(line: Uint8Array): Uint8Array[] | null {
  const args: Uint8Array[] = [];
  const n = line.length;
  // sdssplitargs walks a C string: a NUL ends the line.
  const nul = line.indexOf(0);
  const end = nul < 0 ? n : nul;
  let p = 0;
  const current: number[] = [];
  for (;;) {
    while (p < end && isSpace(line[p])) p++;
    if (p >= end) return args;
    // Fast path: a token without quotes is a plain slice of the line.
    let q = p;
    while (q < end) {
      const c = line[q];
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x22 || c === 0x27) break;
      q++;
    }
    if (q >= end || (line[q] !== 0x22 && line[q] !== 0x27)) {
      args.push(line.slice(p, q));
      p = q < end ? q + 1 : q;
      continue;
    }
    let inDouble = false;
    let inSingle = false;
    let done = false;
    current.length = 0;
    while (!done) {
      const c = p < end ? line[p] : 0;
      if (inDouble) {
        if (c === 0x5c /* \ */ && p + 3 < end && line[p + 1] === 0x78 /* x */ &&
            hexValue(line[p + 2]) >= 0 && hexValue(line[p + 3]) >= 0) {
          current.push(hexValue(line[p + 2]) * 16 + hexValue(line[p + 3]));
          p += 3;
        } else if (c === 0x5c && p + 1 < end) {
          p++;
          const e = line[p];
          current.push(e === 0x6e ? 0x0a : e === 0x72 ? 0x0d : e === 0x74 ? 0x09 : e === 0x62 ? 0x08 : e === 0x61 ? 0x07 : e);
        } else if (c === 0x22 /* " */) {
          // The closing quote must be followed by a space or nothing.
          if (p + 1 < end && !isSpace(line[p + 1])) return null;
          done = true;
        } else if (p >= end) {
          return null; // unterminated quotes
        } else {
          current.push(c);
        }
      } else if (inSingle) {
        if (c === 0x5c && p + 1 < end && line[p + 1] === 0x27 /* ' */) {
          p++;
          current.push(0x27);
        } else if (c === 0x27) {
          if (p + 1 < end && !isSpace(line[p + 1])) return null;
          done = true;
        } else if (p >= end) {
          return null;
        } else {
          current.push(c);
        }
      } else if (p >= end || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        // Unquoted tokens end only at these (not at \v or \f, unlike isspace).
        done = true;
      } else if (c === 0x22) {
        inDouble = true;
      } else if (c === 0x27) {
        inSingle = true;
      } else {
        current.push(c);
      }
      if (p < end) p++;
    }
    args.push(Uint8Array.from(current));
  }
}
