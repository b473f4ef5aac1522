// The slow log (slowlog.c of 7.0.15): the commands that took at least
// slowlog-log-slower-than microseconds, newest first, at most
// slowlog-max-len of them. A command takes no virtual time here unless it
// holds the node (DEBUG SLEEP), so with the default threshold the log
// stays empty, as on an idle real server; with 0 every command is logged.

import type { Client } from './client.ts';
import type { RedisNode } from './node.ts';
import { fromLatin1, utf8 } from './bytes.ts';

/** SLOWLOG_ENTRY_MAX_ARGC and SLOWLOG_ENTRY_MAX_STRING. */
const MAX_ARGC = 32;
const MAX_STRING = 128;
const REDACTED = utf8('(redacted)');

export interface SlowlogEntry {
  readonly id: number;
  /** time(NULL) when it was logged. */
  readonly time: number;
  readonly durationUs: number;
  readonly argv: readonly Uint8Array[];
  /** getClientPeerId: "ip:port", "?:0" for a script's client. */
  readonly peer: string;
  readonly name: Uint8Array;
}

export class Slowlog {
  /** Newest first. */
  readonly entries: SlowlogEntry[] = [];
  private nextId = 0;

  constructor(private readonly node: RedisNode) {}

  /**
   * slowlogPushEntryIfNeeded: the command as the client typed it (the
   * arguments AUTH and HELLO redact show as "(redacted)"), trimmed as
   * slowlogCreateEntry trims it.
   */
  push(client: Client, argv: readonly Uint8Array[], redacted: readonly number[] | null, durationUs: number): void {
    const config = this.node.config;
    if (config.slowlogLogSlowerThan < 0) return;
    if (durationUs >= config.slowlogLogSlowerThan) {
      const count = Math.min(argv.length, MAX_ARGC);
      const logged: Uint8Array[] = [];
      for (let j = 0; j < count; j++) {
        if (count !== argv.length && j === count - 1) {
          logged.push(utf8(`... (${argv.length - count + 1} more arguments)`));
        } else if (redacted?.includes(j)) {
          logged.push(REDACTED);
        } else if (argv[j].length > MAX_STRING) {
          const out = new Uint8Array(MAX_STRING);
          out.set(argv[j].subarray(0, MAX_STRING));
          logged.push(concat(out, utf8(`... (${argv[j].length - MAX_STRING} more bytes)`)));
        } else {
          logged.push(argv[j].slice());
        }
      }
      this.entries.unshift({
        id: this.nextId++,
        time: Math.floor(this.node.options.clock.unixMs / 1000),
        durationUs,
        argv: logged,
        peer: client.script ? '?:0' : `${client.peer.ip}:${client.peer.port}`,
        name: fromLatin1(client.name),
      });
    }
    while (this.entries.length > config.slowlogMaxLen) this.entries.pop();
  }

  reset(): void {
    this.entries.length = 0;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
