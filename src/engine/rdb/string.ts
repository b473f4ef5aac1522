// Strings in RDB files and DUMP payloads (type 0, RDB_TYPE_STRING).
//
// Written with rdbSaveStringObject: an int-encoded object through
// rdbSaveLongLongAsStringObject, any other through rdbSaveRawString. Both
// give the same bytes for the same string (an int-encoded value is always
// the canonical decimal, which rdbSaveRawString also encodes as an integer
// when it fits 32 bits and otherwise stores as its digits, too short for
// LZF), so every string goes through RdbWriter.rawString.
//
// Read with rdbLoadEncodedStringObject then tryObjectEncoding: the
// encoding (int, embstr, raw) follows from the bytes, as stringValue() sets it.

import { stringValue, type StringValue } from '../keyspace/value.ts';
import { RDB_TYPE_STRING } from './format.ts';
import type { ValueDecoder, ValueEncoder } from './values.ts';

export const stringEncoder: ValueEncoder<StringValue> = {
  rdbType: () => RDB_TYPE_STRING,
  write: (w, value) => w.rawString(value.bytes),
};

export const stringDecoder: ValueDecoder = {
  read: (r) => stringValue(r.string()),
};
