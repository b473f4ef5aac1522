// Formats a reply exactly as redis-cli prints it on a terminal
// (cliFormatReplyTTY in redis-cli.c). Output is a string of byte values
// (one char per byte): statuses and errors are printed raw, bulk strings
// quoted and escaped as sdscatrepr does.

import type { Reply } from '../engine/resp/reply-reader.ts';
import { cString, latin1, utf8 } from '../engine/bytes.ts';

export { repr } from '../engine/bytes.ts';
import { repr } from '../engine/bytes.ts';

function isMultiline(r: Reply): boolean {
  switch (r.type) {
    case 'array':
    case 'set':
    case 'push':
      if (r.items.length === 0) return false;
      if (r.items.length > 1) return true;
      return isMultiline(r.items[0]);
    case 'map':
      if (r.items.length === 0) return false;
      if (r.items.length > 2) return true;
      return isMultiline(r.items[1]);
    default:
      return false;
  }
}

const EMPTY: Record<string, string> = {
  array: '(empty array)\n',
  map: '(empty hash)\n',
  set: '(empty set)\n',
  push: '(empty push)\n',
};

export function formatReply(r: Reply, prefix = ''): string {
  switch (r.type) {
    // hiredis keeps these as C strings: a NUL ends what printf shows.
    case 'error':
      return `(error) ${latin1(cString(r.text))}\n`;
    case 'status':
      return latin1(cString(r.text)) + '\n';
    case 'integer':
      return `(integer) ${r.value}\n`;
    case 'double':
      return `(double) ${r.text}\n`;
    case 'bignum':
      // Not yet checked against redis-cli (no 7.0 command replies with a big number).
      return repr(utf8(r.text)) + '\n';
    case 'bulk':
      return repr(r.value) + '\n';
    case 'verbatim':
      return latin1(r.value) + '\n';
    case 'nil':
      return '(nil)\n';
    case 'bool':
      return r.value ? '(true)\n' : '(false)\n';
    case 'attribute':
      return '';
    case 'array':
    case 'map':
    case 'set':
    case 'push': {
      const items = r.items;
      if (items.length === 0) return EMPTY[r.type];
      const isMap = r.type === 'map';
      const count = isMap ? items.length / 2 : items.length;
      const width = String(count).length;
      const childPrefix = prefix + ' '.repeat(width + 2);
      const sep = r.type === 'set' ? '~' : isMap ? '#' : ')';
      let out = '';
      for (let i = 0; i < items.length; i++) {
        const index = (isMap ? i / 2 : i) + 1;
        out += (i === 0 ? '' : prefix) + String(index).padStart(width) + sep + ' ';
        out += formatReply(items[i], childPrefix);
        if (isMap) {
          i++;
          out = out.slice(0, -1) + ' => ';
          if (isMultiline(items[i])) out += '\n' + childPrefix;
          out += formatReply(items[i], childPrefix);
        }
      }
      return out;
    }
  }
}

/**
 * cliFormatReplyRaw: what redis-cli prints, even on a terminal, for the
 * commands whose reply is text to read (INFO, CLIENT LIST, ...; see
 * printsRaw): strings as they are, errors without "(error)", elements one
 * per line. Nothing is added at the end (INFO's own CRLF ends the output).
 */
export function formatReplyRaw(r: Reply): string {
  switch (r.type) {
    case 'nil':
    case 'attribute':
      return '';
    case 'error':
      return latin1(r.text) + '\n';
    case 'status':
      return latin1(r.text);
    case 'bulk':
    case 'verbatim':
      return latin1(r.value);
    case 'bool':
      return r.value ? '(true)' : '(false)';
    case 'integer':
      return String(r.value);
    case 'double':
    case 'bignum':
      return r.text;
    case 'array':
    case 'set':
    case 'push':
      return r.items.map(formatReplyRaw).join('\n');
    case 'map': {
      const pairs: string[] = [];
      for (let i = 0; i + 1 < r.items.length; i += 2) pairs.push(formatReplyRaw(r.items[i]) + ' ' + formatReplyRaw(r.items[i + 1]));
      return pairs.join('\n');
    }
  }
}

/** cliSendCommand's output_raw: commands whose replies redis-cli prints raw on a terminal too. */
export function printsRaw(argv: readonly string[]): boolean {
  const argc = argv.length;
  const [c, a] = [argv[0]?.toLowerCase(), argv[1]?.toLowerCase()];
  if (c === 'info' || c === 'lolwut') return true;
  if (argc >= 2 && c === 'debug' && (a === 'htstats' || a === 'htstats-key' || a === 'client-eviction')) return true;
  if (argc >= 2 && c === 'memory' && (a === 'malloc-stats' || a === 'doctor')) return true;
  if (argc === 2 && c === 'cluster' && (a === 'nodes' || a === 'info')) return true;
  if (argc >= 2 && c === 'client' && (a === 'list' || a === 'info')) return true;
  if (argc === 3 && c === 'latency' && a === 'graph') return true;
  if (argc === 2 && c === 'latency' && a === 'doctor') return true;
  return argc >= 2 && c === 'proxy' && a === 'info';
}
