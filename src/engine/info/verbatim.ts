// addReplyVerbatim: a bulk string in RESP2; in RESP3 a verbatim string
// with its three-letter format ("=<len>\r\ntxt:<text>\r\n").
import type { ReplyWriter } from '../resp/reply-writer.ts';

export function writeVerbatim(out: ReplyWriter, text: string, format = 'txt'): void {
  if (out.protocol === 3) out.latin1(`=${text.length + format.length + 1}\r\n${format}:${text}\r\n`);
  else out.bulkText(text);
}
