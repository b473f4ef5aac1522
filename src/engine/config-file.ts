// A node's start-up configuration: its redis.conf, then the `--name value`
// arguments it was started with, read as loadServerConfigFromString of
// Redis 7.0.15 reads them (the arguments become lines after the file's, in
// the same pass). CONFIG REWRITE writes the file back (config-rewrite.ts).

import type { RedisNode } from './node.ts';
import { configValues, lookupConfig } from './config-values.ts';
import { fromLatin1, latin1, lowerAscii } from './bytes.ts';
import { splitArgs } from './resp/split-args.ts';
import { splitWords, SAVE } from './config-types.ts';
import { applyNotifyKeyspaceEvents, nodeDir } from './config-table.ts';
import { appendUserForLoading, type PendingUsers } from './acl/file.ts';

/** The file every node runs with, in its dir. */
export const CONFIG_FILE = 'redis.conf';

/** A line refused: redis-server prints the FATAL CONFIG FILE ERROR report and exits. */
export interface ConfigLoadError {
  /** From the file (index: its 0-based line) or from the arguments (index: which directive). */
  readonly source: 'file' | 'argv';
  readonly index: number;
  readonly message: string;
}

/** Configs config.c still accepts and ignores, with their argc range. */
const DEPRECATED: ReadonlyArray<[string, number, number]> = [
  ['list-max-ziplist-entries', 2, 2],
  ['list-max-ziplist-value', 2, 2],
  ['lua-replicate-commands', 2, 2],
];

const BAD_DIRECTIVE = 'Bad directive or wrong number of arguments';

/** sdstrim(line, " \t\r\n"). */
function trim(line: string): string {
  return line.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
}

/**
 * loadServerConfigFromString for the file's text (latin1, may be null: no
 * file) and the argument directives: null, or the first line refused.
 */
export function loadServerConfig(
  node: RedisNode,
  file: string | null,
  directives: ReadonlyArray<readonly [string, string]>,
): ConfigLoadError | null {
  const values = configValues(node);
  // getAbsolutePath at start: the file stays where it was even if dir changes later.
  node.configFile = file === null ? null : `${nodeDir(node)}/${CONFIG_FILE}`;
  let saveLoaded = false;
  const userLines: PendingUsers = [];

  /** Sets one config from its argument bytes (a multi-arg config's words joined by spaces); null, or why not. */
  const apply = (name: string, value: Uint8Array): string | null => {
    const found = lookupConfig(fromLatin1(name));
    if (!found) return BAD_DIRECTIVE;
    let v = value;
    if (found.param.name === 'save') {
      // setConfigSaveOption while reading the config: the first save line replaces the defaults, the others add.
      const parsed = SAVE.set(splitWords(value), '');
      if (!parsed.ok) return parsed.error;
      const empty = value.length === 0;
      const now = values.text('save');
      v = fromLatin1(empty ? '' : !saveLoaded || now === '' ? parsed.value : `${now} ${parsed.value}`);
      saveLoaded = true;
    }
    const error = values.setAtStartup(name, v);
    if (error) return error.startsWith('ERR Unknown option') ? BAD_DIRECTIVE : error.replace(/^ERR /, '');
    if (found.param.name === 'replicaof') {
      const words = latin1(value).trim().split(/\s+/);
      if (!(words.length === 2 && words[0].toLowerCase() === 'no' && words[1].toLowerCase() === 'one')) {
        node.replication.replica.configure(words[0], Number(words[1]));
      }
    }
    return null;
  };

  const lines = file === null ? [] : file.split('\n');
  for (const [i, raw] of lines.entries()) {
    const line = trim(raw);
    if (line === '' || line.startsWith('#')) continue;
    const argv = splitArgs(fromLatin1(line));
    if (argv === null) return { source: 'file', index: i, message: 'Unbalanced quotes in configuration line' };
    if (argv.length === 0) continue;
    const name = lowerAscii(argv[0]);
    const found = lookupConfig(argv[0]);
    if (found) {
      const multi = found.param.flags.has('multi-arg');
      if (!multi && argv.length !== 2) return { source: 'file', index: i, message: 'wrong number of arguments' };
      // A multi-arg config's arguments, as one value its setter splits at spaces again.
      const value = argv.length === 2 ? argv[1] : fromLatin1(argv.slice(1).map((a) => latin1(a)).join(' '));
      const error = apply(name, value);
      if (error) return { source: 'file', index: i, message: error };
      continue;
    }
    if (DEPRECATED.some(([n, min, max]) => n === name && min <= argv.length && argv.length <= max)) continue;
    if (name === 'user' && argv.length >= 2) {
      // Checked now, applied at start-up (ACLLoadUsersAtStartup, after the config).
      const error = appendUserForLoading(node, userLines, argv.slice(1));
      if (error) return { source: 'file', index: i, message: error };
      continue;
    }
    // include, rename-command, loadmodule, sentinel: not in this engine.
    return { source: 'file', index: i, message: BAD_DIRECTIVE };
  }

  for (const [index, [name, value]] of directives.entries()) {
    const error = apply(name, fromLatin1(value));
    if (error) return { source: 'argv', index, message: error };
  }

  // The world starts each node on its own port, as with `--port N` after the file.
  values.setAtStartup('port', fromLatin1(String(node.port)));

  // To ensure backward compatibility and work while hz is out of range.
  node.config.hz = Math.min(500, Math.max(1, node.config.hz));

  // The parameters the engine reads through their CONFIG SET hook.
  applyNotifyKeyspaceEvents(node, values);

  // initServer: the default user takes requirepass; the user lines wait for ACLLoadUsersAtStartup.
  node.acl.updateDefaultUserPassword(fromLatin1(values.text('requirepass')));
  node.acl.pendingUsers = userLines;
  return null;
}
