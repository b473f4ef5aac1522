// The browser's path to the lazy parts of the engine (the Lua runtime, the
// command reference): the first command that needs one finds it not
// loaded, the client waits while the host loads it (NodeHost.loadPart),
// then the command runs at once and later commands of that client follow
// it. EXEC waits before it runs anything.
import { afterEach, describe, expect, it } from 'vitest';
import { Clock } from '../../src/sim/clock.ts';
import { Rng } from '../../src/sim/rng.ts';
import { DEFAULT_EPOCH_MS } from '../../src/sim/world.ts';
import { RedisNode } from '../../src/engine/node.ts';
import { encodeCommand } from '../../src/engine/resp/reply-reader.ts';
import { fromLatin1, latin1 } from '../../src/engine/bytes.ts';
import { installLuaRuntime, luaPart, luaRuntime } from '../../src/engine/lua-runtime.ts';
import { commandReference } from '../../src/engine/commands/lazy-groups.ts';
import { commandInfoHandlers } from '../../src/engine/commands/command-info.ts';
import { commandDocsHandlers } from '../../src/engine/commands/command-docs.ts';
import type { LazyPart } from '../../src/engine/lazy-part.ts';
import * as api from '../../src/engine/lua/api.ts';
import type { NodeHost } from '../../src/engine/host.ts';

const cmd = (...args: string[]) => encodeCommand(args.map(fromLatin1));
const reference = { ...commandInfoHandlers, ...commandDocsHandlers };

afterEach(() => {
  installLuaRuntime(api);
  commandReference.install(reference);
});

/** A node on a host that records the parts asked for; `finish` installs one and lets the client go on. */
function lazyNode() {
  const asked: { part: LazyPart<unknown>; ready: () => void }[] = [];
  const machine: NodeHost = {
    setTimer: () => ({ cancel() {} }),
    connect: () => ({ error: 'unreachable' }),
    fork: () => {
      throw new Error('no fork');
    },
    exit: () => {},
    loadPart: (part, ready) => void asked.push({ part, ready }),
  };
  const log = { log() {}, warning() {}, notice() {} };
  const node = new RedisNode({ host: '127.0.0.1', port: 6379, pid: 1, runId: 'a'.repeat(40), log, clock: new Clock(DEFAULT_EPOCH_MS), random: new Rng(1, 't'), machine });
  const out = { text: '' };
  const conn = node.accept({ ip: '127.0.0.1', port: 50000 }, { write: (b) => (out.text += latin1(b)), close() {} });
  return { node, conn, out, asked };
}

describe('loading a lazy part on first use', () => {
  it('holds the client until the host has loaded the Lua runtime, then answers in order', () => {
    installLuaRuntime(null);
    const { conn, out, asked } = lazyNode();
    conn.receive(new Uint8Array([...cmd('EVAL', "return redis.call('incr', 'n')", '0'), ...cmd('GET', 'n')]));
    expect(out.text).toBe('');
    expect(asked.map((a) => a.part)).toEqual([luaPart]);
    installLuaRuntime(api);
    expect(luaRuntime()).toBe(api);
    asked[0]!.ready();
    expect(out.text).toBe(':1\r\n$1\r\n1\r\n');
  });

  it('holds COMMAND COUNT until the command reference is in', () => {
    commandReference.install(null);
    const { conn, out, asked } = lazyNode();
    conn.receive(new Uint8Array([...cmd('COMMAND', 'COUNT'), ...cmd('PING')]));
    expect(out.text).toBe('');
    expect(asked.map((a) => a.part)).toEqual([commandReference]);
    commandReference.install(reference);
    asked[0]!.ready();
    expect(out.text).toBe(':240\r\n+PONG\r\n');
  });

  it('makes EXEC wait before it runs anything, so that its reply stays whole', () => {
    installLuaRuntime(null);
    const { conn, out, asked } = lazyNode();
    conn.receive(new Uint8Array([...cmd('MULTI'), ...cmd('SET', 'a', '1'), ...cmd('EVAL', "return redis.call('get', 'a')", '0'), ...cmd('EXEC')]));
    expect(out.text).toBe('+OK\r\n+QUEUED\r\n+QUEUED\r\n');
    expect(asked.map((a) => a.part)).toEqual([luaPart]);
    installLuaRuntime(api);
    asked[0]!.ready();
    expect(out.text).toBe('+OK\r\n+QUEUED\r\n+QUEUED\r\n*2\r\n+OK\r\n$1\r\n1\r\n');
  });
});

describe('a script that never ends', () => {
  it('is stopped after the steps standing for busy-reply-threshold, with an error saying why', () => {
    const log = { log() {}, warning() {}, notice() {} };
    const node = new RedisNode({ host: '127.0.0.1', port: 6379, pid: 1, runId: 'a'.repeat(40), log, clock: new Clock(DEFAULT_EPOCH_MS), random: new Rng(1, 't') });
    let out = '';
    const conn = node.accept({ ip: '127.0.0.1', port: 50000 }, { write: (b) => (out += latin1(b)), close() {} });
    conn.receive(new Uint8Array([...cmd('CONFIG', 'SET', 'busy-reply-threshold', '10'), ...cmd('EVAL', "redis.call('set', 'x', 1) while true do pcall(function() end) end", '0'), ...cmd('GET', 'x')]));
    expect(out).toBe('+OK\r\n-ERR Script ran longer than busy-reply-threshold (10 ms of simulated time) and was stopped by this engine, which cannot serve other clients meanwhile; Redis would keep it running and answer BUSY to others\r\n$1\r\n1\r\n');
  });
});
