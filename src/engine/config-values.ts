// A node's configuration values as CONFIG GET and CONFIG SET see them, and
// those two algorithms as config.c of Redis 7.0.15 runs them.
//
// A parameter the engine reads has a NodeConfig field (config-table.ts):
// the field is what the engine reads, and it stays the truth. This store
// keeps the exact value beside it (a bigint where a number could lose
// digits) and notices when the field was changed from elsewhere (start-up
// directives, onSet hooks such as hz's cap, tests), taking the field's
// value then. Parameters without a field live here only.

import type { RedisNode } from './node.ts';
import type { Client } from './client.ts';
import { CONFIG_TABLE, type ConfigParam, type OnSet } from './config-table.ts';
import {
  formatBool, formatEnum, formatNumeric, parseBool, parseEnum, parseNumeric, splitWords, type ConfigResult,
} from './config-types.ts';
import { Err } from './errors.ts';
import { cString, fromLatin1, latin1, lowerAscii } from './bytes.ts';
import { stringMatch } from './glob.ts';

/** bool: boolean; enum: its number; numeric: the C long long; string and special: the text. */
export type Value = boolean | number | bigint | string;

/** One entry of Redis's dict of configs: a parameter under its name, or under its alias. */
export interface ConfigName {
  readonly name: string;
  readonly param: ConfigParam;
}

/**
 * Every name, in the order this engine lists them for a pattern: the
 * table's order, each alias after its parameter. Redis lists them in the
 * order of its dict, which follows a random per-process hash seed (two real
 * servers differ too); the golden cases compare such replies as sets of
 * pairs (~sortedpairs).
 */
export const CONFIG_NAMES: readonly ConfigName[] = CONFIG_TABLE.flatMap((param) =>
  param.alias ? [{ name: param.name, param }, { name: param.alias, param }] : [{ name: param.name, param }],
);

const BY_NAME: ReadonlyMap<string, ConfigName> = new Map(CONFIG_NAMES.map((n) => [n.name, n]));

/**
 * lookupConfig: the dict hashes the whole sds without regard to case, so a
 * name is found in any case, and not at all with a NUL byte in it.
 */
export function lookupConfig(name: Uint8Array): ConfigName | undefined {
  return BY_NAME.get(lowerAscii(name));
}

/** strpbrk(name, "[*?"): a glob pattern rather than a name. */
const GLOB_CHARS = new Set([0x5b, 0x2a, 0x3f]);

/** Reads a CONFIG SET value for the parameter (`current` is what a special setter merges with). */
function parseValue(p: ConfigParam, value: Uint8Array, current: Value | undefined): ConfigResult<Value> {
  const multi = p.flags.has('multi-arg');
  let r: ConfigResult<Value>;
  switch (p.type) {
    case 'bool':
      r = parseBool(value);
      break;
    case 'string':
      r = { ok: true, value: latin1(p.sds ? value : cString(value)) };
      break;
    case 'enum':
      r = parseEnum(p.values, multi ? splitWords(value) : [value], multi);
      break;
    case 'numeric':
      r = parseNumeric(p, value);
      break;
    case 'special':
      return p.codec.set(multi ? splitWords(value) : [value], typeof current === 'string' ? current : '');
  }
  if (!r.ok || !p.check) return r;
  // is_valid_fn; a string config's sees the value as a C string.
  const error =
    p.type === 'bool' ? p.check(r.value as boolean)
    : p.type === 'enum' ? p.check(r.value as number)
    : p.check(latin1(cString(value)));
  return error === null ? r : { ok: false, error };
}

/** The value as CONFIG GET prints it. */
function format(p: ConfigParam, v: Value): string {
  switch (p.type) {
    case 'bool':
      return formatBool(v as boolean);
    case 'enum':
      return formatEnum(p.values, v as number, p.flags.has('multi-arg'));
    case 'numeric':
      return formatNumeric(p, v as bigint);
    default:
      return v as string;
  }
}

/** What the engine reads in the NodeConfig field. */
function toField(p: ConfigParam, v: Value): unknown {
  if (p.type === 'numeric') return Number(v);
  if (p.type === 'enum') return format(p, v);
  return v;
}

/** The value a NodeConfig field holds, read back; undefined when it is not a value of the parameter. */
function fromField(p: ConfigParam, f: unknown): Value | undefined {
  switch (p.type) {
    case 'bool':
      return typeof f === 'boolean' ? f : undefined;
    case 'numeric':
      return typeof f === 'number' && Number.isFinite(f) ? BigInt(Math.trunc(f)) : undefined;
    case 'enum':
      return p.values.find(([name]) => name === f)?.[1];
    default:
      return typeof f === 'string' ? f : undefined;
  }
}

export class ConfigValues {
  private readonly values = new Map<ConfigParam, Value>();
  /** For a parameter with a field: the field's value when this store last wrote or read it. */
  private readonly mirrored = new Map<ConfigParam, unknown>();

  constructor(private readonly node: RedisNode) {
    for (const p of CONFIG_TABLE) {
      const text = p.initial ? p.initial(node) : p.default;
      // A special parameter's value is its text already (replicaof's "" is no value its setter takes).
      const parsed = p.type === 'special' ? { ok: true as const, value: text } : parseValue(p, fromLatin1(text), undefined);
      if (!parsed.ok) throw new Error(`config-table.ts: the default of ${p.name} does not read back: ${parsed.error}`);
      this.values.set(p, parsed.value);
      // Not written to the field: a field that already differs was set on purpose, and wins.
      if (p.field) this.mirrored.set(p, toField(p, parsed.value));
    }
  }

  private get fields(): Record<string, unknown> {
    return this.node.config as unknown as Record<string, unknown>;
  }

  /** The parameter's value now, taking its field's when someone else changed the field. */
  private current(p: ConfigParam): Value {
    if (p.field) {
      const f = this.fields[p.field];
      if (f !== this.mirrored.get(p)) {
        const v = fromField(p, f);
        if (v !== undefined) this.values.set(p, v);
        this.mirrored.set(p, f);
      }
    }
    return this.values.get(p)!;
  }

  private store(p: ConfigParam, v: Value): void {
    this.values.set(p, v);
    if (p.field) {
      this.fields[p.field] = toField(p, v);
      this.mirrored.set(p, this.fields[p.field]);
    }
  }

  /** The parameter's value as stored (bool, enum number, numeric bigint, text): what CONFIG REWRITE compares. */
  raw(p: ConfigParam): Value {
    return this.current(p);
  }

  /** The parameter's value as CONFIG GET prints it. */
  textOf(p: ConfigParam): string {
    return p.live ? p.live(this.node) : format(p, this.current(p));
  }

  /** The value of the parameter called `name` (its name or alias) as CONFIG GET prints it. */
  text(name: string): string {
    const found = BY_NAME.get(name);
    if (!found) throw new Error(`no config parameter '${name}'`);
    return this.textOf(found.param);
  }

  /**
   * configGetCommand: for each argument, a name (found in any case, and
   * answered under the spelling asked) or, when it has one of "[*?", a
   * pattern matched without regard to case against every name and alias
   * but the hidden ones. A name already answered is not repeated.
   */
  get(args: readonly Uint8Array[]): Array<[name: Uint8Array, value: string]> {
    const matches = new Map<string, [Uint8Array, ConfigParam]>();
    for (const arg of args) {
      // strpbrk and stringmatch read the argument as a C string.
      const pattern = cString(arg);
      if (!pattern.some((b) => GLOB_CHARS.has(b))) {
        const found = lookupConfig(arg);
        const key = lowerAscii(arg);
        if (found && !matches.has(key)) matches.set(key, [arg, found.param]);
        continue;
      }
      for (const n of CONFIG_NAMES) {
        if (n.param.flags.has('hidden') || matches.has(n.name)) continue;
        const name = fromLatin1(n.name);
        if (stringMatch(pattern, name, true)) matches.set(n.name, [name, n.param]);
      }
    }
    return [...matches.values()].map(([name, p]) => [name, this.textOf(p)]);
  }

  /**
   * configSetCommand for name/value pairs: null when all were set, else
   * the error reply. All or nothing: every name is looked up first (the
   * first unknown, immutable, protected or repeated one in argument order
   * fails the command), then every value is read (the first that does not
   * read fails it), then all are stored and the onSet hooks run; a hook
   * that fails puts every value back.
   */
  set(client: Client, args: readonly Uint8Array[]): string | null {
    const targets: ConfigName[] = [];
    for (let i = 0; i < args.length; i += 2) {
      const found = lookupConfig(args[i]);
      const asked = latin1(cString(args[i]));
      if (!found) return Err.configSetUnknown(asked);
      const p = found.param;
      if (p.flags.has('immutable')) return Err.configSetFailed(asked, Err.configImmutable);
      if (p.flags.has('protected') && !this.allowProtected(client)) return Err.configSetFailed(asked, Err.configProtected);
      // deny-loading: this engine loads its data before it serves any command, so never refused.
      // A name and its alias are two entries in Redis's dict, so both may be set (the last wins).
      if (targets.includes(found)) return Err.configSetFailed(asked, Err.configDuplicate);
      targets.push(found);
    }

    const next = new Map<ConfigParam, Value>();
    const changed: ConfigName[] = [];
    for (let k = 0; k < targets.length; k++) {
      const t = targets[k];
      const before = next.has(t.param) ? next.get(t.param)! : this.current(t.param);
      const r = parseValue(t.param, args[2 * k + 1], before);
      if (!r.ok) return Err.configSetFailed(t.name, r.error);
      next.set(t.param, r.value);
      if (isChange(t.param, before, r.value)) changed.push(t);
    }

    const old = new Map(targets.map((t) => [t.param, this.current(t.param)] as const));
    for (const [p, v] of next) this.store(p, v);

    const hooks: Array<[OnSet, ConfigName]> = [];
    for (const t of changed) {
      const hook = t.param.onSet;
      if (hook && !hooks.some(([h]) => h === hook)) hooks.push([hook, t]);
    }
    const log = this.node.options.log;
    for (const [hook, t] of hooks) {
      const error = hook(this.node, this);
      if (error === null) continue;
      log.warning(`Failed applying new configuration. Possibly related to new ${t.name} setting. Restoring previous settings.`);
      for (const [p, v] of old) this.store(p, v);
      for (const [h] of hooks) {
        const again = h(this.node, this);
        if (again !== null) log.warning(`Failed applying restored failed CONFIG SET command: ${again}`);
      }
      return Err.configSetFailed(t.name, error);
    }
    return null;
  }

  /**
   * A value given at start-up (redis.conf, `--name value`): immutable and
   * protected parameters take it too, and no onSet hook runs (the process
   * is not serving yet). Null, or why the value was refused.
   */
  setAtStartup(name: string, value: Uint8Array): string | null {
    const found = lookupConfig(fromLatin1(name));
    if (!found) return Err.configSetUnknown(name);
    const r = parseValue(found.param, value, this.current(found.param));
    if (!r.ok) return r.error;
    this.store(found.param, r.value);
    return null;
  }

  /** allowProtectedAction(enable-protected-configs): "yes", or "local" for a client on the loopback. */
  private allowProtected(client: Client): boolean {
    const mode = this.text('enable-protected-configs');
    return mode === 'yes' || (mode === 'local' && (client.peer.ip === '127.0.0.1' || client.peer.ip === '::1'));
  }
}

/**
 * Whether the setter reported a change (1, not 2), which is what runs the
 * onSet hook: a different value, or any value of a volatile parameter (a
 * file to read again), or any value of a special one that always says so.
 */
function isChange(p: ConfigParam, before: Value, after: Value): boolean {
  if (p.flags.has('volatile')) return true;
  if (p.type === 'special' && p.codec.unchangedIsChange) return true;
  return before !== after;
}

const VALUES = new WeakMap<RedisNode, ConfigValues>();

/**
 * The node's configuration values, made on first use with the defaults of
 * a fresh process (they do not outlive the process, as without CONFIG
 * REWRITE they do not in Redis). Kept beside the node rather than in it
 * until RedisNode holds them itself.
 */
export function configValues(node: RedisNode): ConfigValues {
  let v = VALUES.get(node);
  if (!v) {
    v = new ConfigValues(node);
    VALUES.set(node, v);
  }
  return v;
}
