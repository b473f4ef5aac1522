// The browser's path to the Lua runtime: the first script finds it not
// loaded, the client waits while the host loads it (NodeHost.loadLua), then
// the script runs at once and later commands of that client follow it.
import { afterEach, describe, expect, it } from 'vitest';
import { Clock } from '../../src/sim/clock.ts';
import { Rng } from '../../src/sim/rng.ts';
import { DEFAULT_EPOCH_MS } from '../../src/sim/world.ts';
import { RedisNode } from '../../src/engine/node.ts';
import { encodeCommand } from '../../src/engine/resp/reply-reader.ts';
import { fromLatin1, latin1 } from '../../src/engine/bytes.ts';
import { installLuaRuntime, luaRuntime } from '../../src/engine/lua-runtime.ts';
import * as api from '../../src/engine/lua/api.ts';
import type { NodeHost } from '../../src/engine/host.ts';

const cmd = (...args: string[]) => encodeCommand(args.map(fromLatin1));

afterEach(() => installLuaRuntime(api));

describe('loading the Lua runtime on the first script', () => {
  it('holds the client until the host has loaded it, then answers in order', () => {
    installLuaRuntime(null);
    let ready: (() => void) | null = null;
    const machine: NodeHost = {
      setTimer: () => ({ cancel() {} }),
      connect: () => ({ error: 'unreachable' }),
      fork: () => {
        throw new Error('no fork');
      },
      exit: () => {},
      loadLua: (done) => {
        ready = done;
      },
    };
    const log = { log() {}, warning() {}, notice() {} };
    const node = new RedisNode({ host: '127.0.0.1', port: 6379, pid: 1, runId: 'a'.repeat(40), log, clock: new Clock(DEFAULT_EPOCH_MS), random: new Rng(1, 't'), machine });
    let out = '';
    const conn = node.accept({ ip: '127.0.0.1', port: 50000 }, { write: (b) => (out += latin1(b)), close() {} });
    conn.receive(new Uint8Array([...cmd('EVAL', "return redis.call('incr', 'n')", '0'), ...cmd('GET', 'n')]));
    expect(out).toBe('');
    expect(ready).not.toBeNull();
    installLuaRuntime(api);
    expect(luaRuntime()).toBe(api);
    ready!();
    expect(out).toBe(':1\r\n$1\r\n1\r\n');
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
