// The values a key can hold: a tagged union, one member per Redis type.
// Strings keep their bytes and the encoding OBJECT ENCODING reports, which
// follows Redis's rules (int, embstr up to 44 bytes, raw) because RDB and
// DUMP bytes depend on it. Collection types join as their groups land.

import { string2ll } from '../bytes.ts';
import type { HashValue } from './hash.ts';
import type { ListValue } from './list.ts';
import type { SetValue } from './set.ts';
import type { StreamValue } from './stream.ts';
import type { ZsetValue } from './zset.ts';

export type StringEncoding = 'int' | 'embstr' | 'raw';

export interface StringValue {
  readonly type: 'string';
  bytes: Uint8Array;
  encoding: StringEncoding;
}

export type RedisValue = StringValue | HashValue | ListValue | SetValue | ZsetValue | StreamValue;
export type RedisType = RedisValue['type'];

/** OBJ_ENCODING_EMBSTR_SIZE_LIMIT: strings up to this many bytes are embstr. */
export const EMBSTR_SIZE_LIMIT = 44;

/**
 * A string value as SET stores it after tryObjectEncoding: a decimal that
 * fits a long becomes int, a short string embstr, anything else raw.
 */
export function stringValue(bytes: Uint8Array): StringValue {
  if (bytes.length <= 20 && string2ll(bytes) !== null) return { type: 'string', bytes, encoding: 'int' };
  return { type: 'string', bytes, encoding: bytes.length <= EMBSTR_SIZE_LIMIT ? 'embstr' : 'raw' };
}

/** A string value changed in place (APPEND, SETRANGE): Redis makes it raw. */
export function rawStringValue(bytes: Uint8Array): StringValue {
  return { type: 'string', bytes, encoding: 'raw' };
}
