// Which arguments of a command are keys, and how it uses them (db.c of
// Redis 7.0.15: getKeysFromCommandWithSpecs), and which are channels
// (getChannelsFromCommand). ACL checks each against a selector's patterns.
// Key specs are preferred; a command whose specs are unknown, incomplete or
// have variable flags (SORT, MIGRATE, SET, BITFIELD), or whose specs do not
// fit the arguments given, falls back to its getkeys procedure, as Redis does.

import { KEY, type AclCommand, type AclKeySpec } from './commands.ts';
import { atoi, cString, latin1, lowerAscii, string2ll } from '../bytes.ts';

/** One key argument: its position in argv and the CMD_KEY_* flags it is used with (0 when a procedure does not say). */
export interface KeyRef {
  readonly pos: number;
  readonly flags: number;
}

/** An argument as strcasecmp sees it: up to its first NUL, lower-cased. */
const word = (arg: Uint8Array): string => lowerAscii(cString(arg));

/** getKeysUsingKeySpecs: the keys, or null for a spec that is invalid for these arguments (or incomplete). */
function keysFromSpecs(cmd: AclCommand, argv: readonly Uint8Array[]): KeyRef[] | null {
  const argc = argv.length;
  const out: KeyRef[] = [];
  for (const spec of cmd.keySpecs) {
    if (spec.bits & KEY.NOT_KEY) continue;
    const begin = spec.begin;
    if (!begin || !spec.find) return null;
    let first = 0;
    if ('index' in begin) {
      first = begin.index;
    } else {
      const start = begin.startfrom > 0 ? begin.startfrom : argc + begin.startfrom;
      const end = begin.startfrom > 0 ? argc - 1 : 1;
      const keyword = begin.keyword.toLowerCase();
      for (let i = start; i !== end; i = start <= end ? i + 1 : i - 1) {
        if (i >= argc || i < 1) break;
        if (word(argv[i]) === keyword) {
          first = i + 1;
          break;
        }
      }
      if (!first) continue; // the keyword is not there: no keys from this spec
    }
    let last: number;
    let step: number;
    const find = spec.find;
    if ('lastkey' in find) {
      step = find.keystep;
      if (find.lastkey >= 0) last = first + find.lastkey;
      else if (!find.limit) last = argc + find.lastkey;
      else last = first + (Math.trunc((argc - first) / find.limit) + find.lastkey);
    } else {
      step = find.keystep;
      if (find.keynumidx >= argc) return null;
      const numkeys = first + find.keynumidx < argc ? string2ll(argv[first + find.keynumidx]) : null;
      if (numkeys === null || numkeys < 0) return null;
      first += find.firstkey;
      last = first + Number(numkeys) - 1;
    }
    if (last >= argc || last < first || first >= argc) return null;
    for (let i = first; i <= last; i += step) out.push({ pos: i, flags: spec.bits });
    if (spec.bits & KEY.INCOMPLETE) return null;
  }
  return out;
}

/** genericGetKeys: numkeys at `countAt` (atoi), keys from `firstAt`, then the destination at `storeAt` (0: none). */
function genericGetKeys(storeAt: number, countAt: number, firstAt: number, argv: readonly Uint8Array[]): KeyRef[] {
  const num = atoi(latin1(argv[countAt]));
  if (num < 1 || num > argv.length - firstAt) return [];
  const out: KeyRef[] = [];
  for (let i = 0; i < num; i++) out.push({ pos: firstAt + i, flags: 0 });
  if (storeAt) out.push({ pos: storeAt, flags: 0 });
  return out;
}


const eq = (arg: Uint8Array, name: string) => word(arg) === name;

/** The getkeys procedures of 7.0.15, by command. */
const PROCS: Readonly<Record<string, (argv: readonly Uint8Array[]) => KeyRef[]>> = {
  sintercard: (a) => genericGetKeys(0, 1, 2, a),
  zunionstore: (a) => genericGetKeys(1, 2, 3, a),
  zinterstore: (a) => genericGetKeys(1, 2, 3, a),
  zdiffstore: (a) => genericGetKeys(1, 2, 3, a),
  zunion: (a) => genericGetKeys(0, 1, 2, a),
  zinter: (a) => genericGetKeys(0, 1, 2, a),
  zintercard: (a) => genericGetKeys(0, 1, 2, a),
  zdiff: (a) => genericGetKeys(0, 1, 2, a),
  eval: (a) => genericGetKeys(0, 2, 3, a),
  evalsha: (a) => genericGetKeys(0, 2, 3, a),
  eval_ro: (a) => genericGetKeys(0, 2, 3, a),
  evalsha_ro: (a) => genericGetKeys(0, 2, 3, a),
  fcall: (a) => genericGetKeys(0, 2, 3, a),
  fcall_ro: (a) => genericGetKeys(0, 2, 3, a),
  lmpop: (a) => genericGetKeys(0, 1, 2, a),
  blmpop: (a) => genericGetKeys(0, 2, 3, a),
  zmpop: (a) => genericGetKeys(0, 1, 2, a),
  bzmpop: (a) => genericGetKeys(0, 2, 3, a),
  sort_ro: () => [{ pos: 1, flags: KEY.RO | KEY.ACCESS }],
  sort: sortGetKeys,
  migrate: migrateGetKeys,
  georadius: georadiusGetKeys,
  georadiusbymember: georadiusGetKeys,
  xread: xreadGetKeys,
  xreadgroup: xreadGetKeys,
  set: (a) => {
    // SET ... GET reads the old value.
    for (let i = 3; i < a.length; i++) if (word(a[i]) === 'get') return [{ pos: 1, flags: KEY.RW | KEY.ACCESS | KEY.UPDATE }];
    return [{ pos: 1, flags: KEY.OW | KEY.UPDATE }];
  },
  bitfield: bitfieldGetKeys,
};

/** sortGetKeys: the sorted key, and the last STORE's key (options skipped with their arguments, as SORT parses them). */
function sortGetKeys(argv: readonly Uint8Array[]): KeyRef[] {
  const out: KeyRef[] = [{ pos: 1, flags: KEY.RO | KEY.ACCESS }];
  let store: KeyRef | null = null;
  const skips: ReadonlyArray<[string, number]> = [['limit', 2], ['get', 1], ['by', 1]];
  for (let i = 2; i < argv.length; i++) {
    // Each skip word is tried in turn; STORE is looked for beside each of them (the first try finds it).
    for (const [name, skip] of skips) {
      if (eq(argv[i], name)) {
        i += skip;
        break;
      } else if (eq(argv[i], 'store') && i + 1 < argv.length) {
        store = { pos: i + 1, flags: KEY.OW | KEY.UPDATE };
        break;
      }
    }
  }
  if (store) out.push(store);
  return out;
}

/** migrateGetKeys: argv[3], or the keys after KEYS when argv[3] is empty. */
function migrateGetKeys(argv: readonly Uint8Array[]): KeyRef[] {
  let first = 3;
  let num = 1;
  const skips: Readonly<Record<string, number>> = { copy: 0, replace: 0, auth: 1, auth2: 2 };
  if (argv.length > 6) {
    for (let i = 6; i < argv.length; i++) {
      const w = word(argv[i]);
      if (w === 'keys') {
        if (cString(argv[3]).length > 0) num = 0;
        else {
          first = i + 1;
          num = argv.length - first;
        }
        break;
      }
      if (w in skips) i += skips[w];
    }
  }
  const out: KeyRef[] = [];
  for (let i = 0; i < num; i++) out.push({ pos: first + i, flags: KEY.RW | KEY.ACCESS | KEY.DELETE });
  return out;
}

function georadiusGetKeys(argv: readonly Uint8Array[]): KeyRef[] {
  let stored = -1;
  for (let i = 5; i < argv.length; i++) {
    const w = word(argv[i]);
    if ((w === 'store' || w === 'storedist') && i + 1 < argv.length) {
      stored = i + 1;
      i++;
    }
  }
  return stored === -1 ? [{ pos: 1, flags: 0 }] : [{ pos: 1, flags: 0 }, { pos: stored, flags: 0 }];
}

function xreadGetKeys(argv: readonly Uint8Array[]): KeyRef[] {
  let streams = -1;
  for (let i = 1; i < argv.length; i++) {
    const w = word(argv[i]);
    if (w === 'block' || w === 'count') i++;
    else if (w === 'group') i += 2;
    else if (w === 'noack') continue;
    else {
      if (w === 'streams') streams = i;
      break;
    }
  }
  const num = streams === -1 ? 0 : argv.length - streams - 1;
  if (streams === -1 || num === 0 || num % 2 !== 0) return [];
  const out: KeyRef[] = [];
  for (let i = streams + 1; i < argv.length - num / 2; i++) out.push({ pos: i, flags: 0 });
  return out;
}

/** bitfieldGetKeys: read-only when every operation is a GET (or OVERFLOW). */
function bitfieldGetKeys(argv: readonly Uint8Array[]): KeyRef[] {
  let readonly = true;
  for (let i = 2; i < argv.length; i++) {
    const rem = argv.length - i - 1;
    const w = word(argv[i]);
    if (w === 'get' && rem >= 2) i += 2;
    else if ((w === 'set' || w === 'incrby') && rem >= 3) {
      readonly = false;
      break;
    } else if (w === 'overflow' && rem >= 1) i += 1;
    else {
      readonly = false;
      break;
    }
  }
  return [{ pos: 1, flags: readonly ? KEY.RO | KEY.ACCESS : KEY.RW | KEY.ACCESS | KEY.UPDATE }];
}

/** doesCommandHaveKeys: a getkeys procedure, or a key spec that is not NOT_KEY. */
export function commandHasKeys(cmd: AclCommand): boolean {
  return cmd.fullname in PROCS || cmd.keySpecs.some((k) => !(k.bits & KEY.NOT_KEY));
}

/** getKeysFromCommandWithSpecs. */
export function commandKeys(cmd: AclCommand, argv: readonly Uint8Array[]): KeyRef[] {
  const specs: readonly AclKeySpec[] = cmd.keySpecs;
  const hasKeySpec = specs.some((k) => !(k.bits & KEY.NOT_KEY));
  const varFlags = specs.some((k) => k.bits & KEY.VARIABLE_FLAGS);
  if (hasKeySpec && !varFlags) {
    const keys = keysFromSpecs(cmd, argv);
    if (keys) return keys;
  }
  const proc = PROCS[cmd.fullname];
  return proc ? proc(argv) : [];
}

/** CMD_CHANNEL_* flags. */
export const CHANNEL = { PATTERN: 1, PUBLISH: 2, SUBSCRIBE: 4, UNSUBSCRIBE: 8 } as const;

/** commands_with_channels: flags, first position, and how many (-1: all the rest). */
const CHANNEL_SPECS: Readonly<Record<string, readonly [number, number, number]>> = {
  subscribe: [CHANNEL.SUBSCRIBE, 1, -1],
  ssubscribe: [CHANNEL.SUBSCRIBE, 1, -1],
  unsubscribe: [CHANNEL.UNSUBSCRIBE, 1, -1],
  sunsubscribe: [CHANNEL.UNSUBSCRIBE, 1, -1],
  psubscribe: [CHANNEL.PATTERN | CHANNEL.SUBSCRIBE, 1, -1],
  punsubscribe: [CHANNEL.PATTERN | CHANNEL.UNSUBSCRIBE, 1, -1],
  publish: [CHANNEL.PUBLISH, 1, 1],
  spublish: [CHANNEL.PUBLISH, 1, 1],
};

/** doesCommandHaveChannelsWithFlags. */
export function commandHasChannels(cmd: AclCommand, flags: number): boolean {
  const spec = CHANNEL_SPECS[cmd.fullname];
  return spec !== undefined && (spec[0] & flags) !== 0;
}

/** getChannelsFromCommand. */
export function commandChannels(cmd: AclCommand, argv: readonly Uint8Array[]): KeyRef[] {
  const spec = CHANNEL_SPECS[cmd.fullname];
  if (!spec) return [];
  const [flags, start, count] = spec;
  const stop = Math.min(count === -1 ? argv.length : start + count, argv.length);
  const out: KeyRef[] = [];
  for (let i = start; i < stop; i++) out.push({ pos: i, flags });
  return out;
}
