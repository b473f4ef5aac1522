// Live differential for what the blocking golden transcript cannot hold:
// CLIENT UNBLOCK (it names a client by id, and ids differ between two
// servers), CLIENT PAUSE and UNPAUSE (a pause must not outlive its case,
// and the golden servers are shared), and their counters. Each case runs
// the same script of several connections against a real redis-server
// 7.0.15 and against `npm run serve`, in real time, and the replies must be
// byte-equal. `{name}` in an argument is the CLIENT ID of that connection on
// the side running (each connection asks CLIENT ID first, on both sides).
// A step that blocks another connection waits until INFO clients shows it
// blocked (a bounded wait on a condition), so the next step cannot overtake it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealRedis, type RealRedis } from '../support/real-redis.ts';
import { startServe, type Serve } from '../support/serve.ts';
import { RawClient } from '../support/raw-client.ts';
import { waitFor } from '../support/wait.ts';
import { encodeCommand } from '../../src/engine/resp/reply-reader.ts';

let real: RealRedis;
let serve: Serve;

beforeAll(async () => {
  [real, serve] = await Promise.all([startRealRedis(), startServe(1)]);
});

afterAll(async () => {
  await Promise.all([real?.stop(), serve?.stop()]);
});

/** One server's side of a case: named connections and what they read. */
class Side {
  private readonly conns = new Map<string, RawClient>();
  private readonly ids = new Map<string, string>();
  private admin: RawClient | null = null;

  constructor(readonly port: number) {}

  private async conn(name: string): Promise<RawClient> {
    let c = this.conns.get(name);
    if (!c) {
      c = await RawClient.connect(this.port);
      this.conns.set(name, c);
      const id = await c.command('CLIENT', 'ID');
      if (id.type !== 'integer') throw new Error('CLIENT ID did not answer an integer');
      this.ids.set(name, String(id.value));
    }
    return c;
  }

  /** Opens the connections first, so their ids are known before a step names them. */
  async open(...names: string[]): Promise<void> {
    for (const n of names) await this.conn(n);
  }

  private args(args: string[]): Uint8Array {
    return encodeCommand(args.map((a) => Buffer.from(a.replace(/\{(\w+)\}/g, (_, n: string) => this.ids.get(n) ?? `{${n}}`), 'latin1')));
  }

  /** Sends without reading (a command that blocks or is postponed). */
  async send(name: string, ...args: string[]): Promise<void> {
    (await this.conn(name)).write(this.args(args));
  }

  /** Reads `n` replies on a connection, as text. */
  async read(name: string, n = 1): Promise<string[]> {
    const c = await this.conn(name);
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(Buffer.from((await c.read()).bytes).toString('latin1'));
    return out;
  }

  async cmd(name: string, ...args: string[]): Promise<string> {
    await this.send(name, ...args);
    return (await this.read(name))[0];
  }

  /** One INFO field, read on a connection of the harness's own. */
  async field(section: string, name: string): Promise<string> {
    this.admin ??= await RawClient.connect(this.port);
    const r = await this.admin.command('INFO', section);
    const text = r.type === 'bulk' ? Buffer.from(r.value).toString('latin1') : '';
    const line = text.split('\r\n').find((l) => l.startsWith(`${name}:`));
    return line?.slice(name.length + 1) ?? '';
  }

  /** Waits until INFO clients shows `n` blocked clients. */
  async blocked(n: number): Promise<void> {
    await waitFor(`${n} blocked clients on ${this.port}`, async () => (await this.field('clients', 'blocked_clients')) === String(n));
  }

  close(): void {
    for (const c of this.conns.values()) c.close();
    this.admin?.close();
  }
}

/** Runs `script` on the real server and on serve (one after the other, each from empty), returning both outputs. */
async function both(script: (side: Side) => Promise<unknown[]>): Promise<{ serve: unknown[]; real: unknown[] }> {
  const run = async (port: number) => {
    const reset = await RawClient.connect(port);
    await reset.command('FLUSHALL');
    await reset.command('CONFIG', 'RESETSTAT');
    reset.close();
    const side = new Side(port);
    try {
      return await script(side);
    } finally {
      side.close();
    }
  };
  return { real: await run(real.port), serve: await run(serve.port) };
}

/** A command's line of INFO commandstats without its timings: calls, rejected and failed calls. */
async function calls(side: Side, name: string): Promise<string> {
  const line = await side.field('commandstats', `cmdstat_${name}`);
  return line.replace(/usec=[^,]*,usec_per_call=[^,]*,/, '');
}

describe('CLIENT UNBLOCK against redis-server 7.0.15', () => {
  it('answers a blocked pop as a timeout or with -UNBLOCKED, counts a failed call either way, and answers 0 for a client that does not wait', async () => {
    const { real: want, serve: got } = await both(async (s) => {
      await s.open('a', 'b', 'c');
      const out: unknown[] = [];
      await s.send('a', 'BLPOP', 'k', '0');
      await s.blocked(1);
      out.push(await s.cmd('b', 'CLIENT', 'UNBLOCK', '{a}'));
      out.push(await s.read('a'));
      await s.send('a', 'BZPOPMIN', 'z', '0');
      await s.send('c', 'BLMOVE', 'x', 'y', 'LEFT', 'LEFT', '100');
      await s.blocked(2);
      out.push(await s.cmd('b', 'CLIENT', 'UNBLOCK', '{a}', 'error'));
      out.push(await s.cmd('b', 'CLIENT', 'UNBLOCK', '{c}', 'TIMEOUT'));
      out.push(await s.read('a'), await s.read('c'));
      out.push(await s.cmd('b', 'CLIENT', 'UNBLOCK', '{a}'));
      out.push(await s.cmd('b', 'CLIENT', 'UNBLOCK', '{b}'));
      out.push(await s.cmd('b', 'CLIENT', 'UNBLOCK', '999999', 'ERROR'));
      out.push(await s.cmd('b', 'CLIENT', 'UNBLOCK', '{a}', 'later'));
      out.push(await s.cmd('b', 'CLIENT', 'UNBLOCK', 'x'));
      out.push(await s.cmd('b', 'CLIENT', 'UNBLOCK', '{a}', 'ERROR', 'extra'));
      out.push(await calls(s, 'blpop'), await calls(s, 'bzpopmin'), await calls(s, 'blmove'), await calls(s, 'client|unblock'));
      out.push(await s.field('errorstats', 'errorstat_UNBLOCKED'), await s.field('stats', 'total_error_replies'));
      out.push(await s.field('clients', 'blocked_clients'), await s.field('clients', 'clients_in_timeout_table'));
      return out;
    });
    expect(got).toEqual(want);
  });

  it('answers WAIT with its count, and lets its next commands run', async () => {
    const { real: want, serve: got } = await both(async (s) => {
      await s.open('a', 'b');
      const out: unknown[] = [];
      await s.send('a', 'WAIT', '1', '0');
      await s.send('a', 'PING');
      await s.blocked(1);
      out.push(await s.cmd('b', 'CLIENT', 'UNBLOCK', '{a}'));
      out.push(await s.read('a', 2));
      await s.send('a', 'WAIT', '2', '0');
      await s.blocked(1);
      out.push(await s.cmd('b', 'CLIENT', 'UNBLOCK', '{a}', 'ERROR'));
      out.push(await s.read('a'));
      out.push(await calls(s, 'wait'));
      return out;
    });
    expect(got).toEqual(want);
  });
});

describe('CLIENT PAUSE against redis-server 7.0.15', () => {
  it('postpones writes (and a BLPOP, which writes) but not reads, then runs them in order, the BLPOP served by the write behind it', async () => {
    const { real: want, serve: got } = await both(async (s) => {
      await s.open('a', 'b', 'c', 'd');
      const out: unknown[] = [];
      out.push(await s.cmd('d', 'CLIENT', 'PAUSE', '300', 'WRITE'));
      await s.send('a', 'BLPOP', 'k', '0');
      await s.blocked(1);
      await s.send('b', 'RPUSH', 'k', 'v', 'w');
      await s.send('b', 'GET', 'k');
      await s.blocked(2);
      out.push(await s.cmd('c', 'EXISTS', 'k'), await s.cmd('c', 'PING'));
      out.push(await s.read('a'), await s.read('b', 2));
      out.push(await s.cmd('c', 'LRANGE', 'k', '0', '-1'));
      out.push(await calls(s, 'blpop'), await calls(s, 'rpush'));
      return out;
    });
    expect(got).toEqual(want);
  });

  it('postpones every command under ALL, CLIENT UNPAUSE included, and writes inside MULTI before they are queued', async () => {
    const { real: want, serve: got } = await both(async (s) => {
      await s.open('a', 'b', 'd');
      const out: unknown[] = [];
      out.push(await s.cmd('a', 'MULTI'));
      out.push(await s.cmd('d', 'CLIENT', 'PAUSE', '200', 'ALL'));
      // Nothing runs meanwhile, INFO included: the replies come once the pause ends.
      await s.send('b', 'CLIENT', 'UNPAUSE');
      await s.send('a', 'SET', 'x', '1');
      out.push(await s.read('b'), await s.read('a'));
      out.push(await s.cmd('d', 'CLIENT', 'PAUSE', '200', 'WRITE'));
      out.push(await s.cmd('a', 'GET', 'x'));
      await s.send('a', 'EXEC');
      await s.blocked(1);
      out.push(await s.read('a'));
      out.push(await s.cmd('d', 'CLIENT', 'PAUSE', '300', 'write'));
      out.push(await s.cmd('d', 'CLIENT', 'UNPAUSE'));
      out.push(await s.cmd('a', 'SET', 'y', '2'));
      for (const args of [['abc'], ['100', 'READ'], ['-1'], ['1.5'], ['100', 'WRITE', 'x'], ['9223372036854775807']]) {
        out.push(await s.cmd('d', 'CLIENT', 'PAUSE', ...args));
      }
      out.push(await s.cmd('a', 'SET', 'z', '3'));
      return out;
    });
    expect(got).toEqual(want);
  });

  it('keeps keys that expire during a pause, and CLIENT UNBLOCK ERROR of a postponed client answers it and processes its command again', async () => {
    const { real: want, serve: got } = await both(async (s) => {
      await s.open('a', 'b', 'd');
      const out: unknown[] = [];
      out.push(await s.cmd('d', 'SET', 'e', 'v', 'PX', '20'));
      out.push(await s.cmd('d', 'CLIENT', 'PAUSE', '400', 'WRITE'));
      await waitFor('the key to be past its time', async () => (await s.cmd('b', 'PTTL', 'e')) === ':-2\r\n');
      out.push(await s.cmd('b', 'DBSIZE'), await s.cmd('b', 'GET', 'e'), await s.cmd('b', 'DBSIZE'));
      await s.send('a', 'INCR', 'n');
      await s.blocked(1);
      out.push(await s.cmd('b', 'CLIENT', 'UNBLOCK', '{a}', 'ERROR'));
      out.push(await s.read('a'));
      // Still paused: postponed again; once the pause ends, it runs and answers a second time.
      await s.blocked(1);
      out.push(await s.read('a'));
      out.push(await s.cmd('b', 'CLIENT', 'UNBLOCK', '{b}', 'ERROR'));
      out.push(await calls(s, 'incr'));
      return out;
    });
    expect(got).toEqual(want);
  });
});

describe('blocking commands in real time against redis-server 7.0.15', () => {
  it('times out after the timeout, with the client in the timeout table meanwhile, and serves FIFO across connections', async () => {
    const { real: want, serve: got } = await both(async (s) => {
      await s.open('a', 'b', 'c');
      const out: unknown[] = [];
      const changes = Number(await s.field('persistence', 'rdb_changes_since_last_save'));
      await s.send('a', 'BLPOP', 'k', '0.3');
      await s.send('b', 'BRPOP', 'k', '0');
      await s.blocked(2);
      out.push(await s.field('clients', 'clients_in_timeout_table'));
      out.push(await s.read('a'));
      out.push(await s.field('clients', 'clients_in_timeout_table'), await s.field('clients', 'blocked_clients'));
      out.push(await s.cmd('c', 'RPUSH', 'k', '1', '2'));
      out.push(await s.read('b'), await s.cmd('c', 'LRANGE', 'k', '0', '-1'));
      out.push(await calls(s, 'blpop'), await calls(s, 'brpop'));
      // The push counts two changes; the served pop none (Redis counts no dirty for a served BLPOP).
      out.push(Number(await s.field('persistence', 'rdb_changes_since_last_save')) - changes);
      return out;
    });
    expect(got).toEqual(want);
  });
});
