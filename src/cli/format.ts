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
