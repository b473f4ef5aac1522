// CONFIG REWRITE against the real redis-server: both started with the same
// redis.conf, given the same CONFIG SETs, then rewritten; the files must
// match. The lines of the old file keep their place and must match exactly;
// the appended ones follow the order of Redis's dict of configs (a random
// per-process seed), so they are compared as a set. dir, logfile and the
// port are where each server runs, so they are masked.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startRealRedis, withRealRedis } from '../support/real-redis.ts';
import { RawClient } from '../support/raw-client.ts';
import { Scenario, plainReply } from '../support/scenario.ts';
import { SimDisk } from '../../src/sim/disk.ts';
import { REWRITE_SIGNATURE } from '../../src/engine/config-rewrite.ts';
import { fromLatin1, latin1 } from '../../src/engine/bytes.ts';

/** The arguments startRealRedis gives the real server after the file (bind, save, appendonly): the node gets them too. */
const ARGS: ReadonlyArray<readonly [string, string]> = [['bind', '127.0.0.1'], ['save', ''], ['appendonly', 'no']];

/** The simulated node's port: not 6379, so that its `port` line is written as the real server's (on a free port) is. */
const SIM_PORT = 7001;

/** Masks what depends on where the server runs. */
function normalise(file: string): string[] {
  return file
    .split('\n')
    .filter((l) => !/^(dir|logfile) /.test(l))
    .map((l) => l.replace(/^port \d+$/, 'port ~'));
}

function compareFiles(real: string, sim: string): void {
  const r = normalise(real);
  const s = normalise(sim);
  const cut = (lines: string[]) => {
    const at = lines.indexOf(REWRITE_SIGNATURE);
    return at < 0 ? { kept: lines, added: [] } : { kept: lines.slice(0, at + 1), added: lines.slice(at + 1).sort() };
  };
  expect(cut(s).kept).toEqual(cut(r).kept);
  expect(cut(s).added).toEqual(cut(r).added);
}

/**
 * Runs the same commands on a real server and on a simulated node, both
 * started with `conf`, then CONFIG REWRITE on each; returns the files and
 * the replies of both.
 */
async function both(conf: string, commands: string[][]): Promise<{ real: string; sim: string; realReplies: unknown[]; simReplies: unknown[] }> {
  const server = await startRealRedis([], { files: { 'redis.conf': fromLatin1(conf) }, configFile: 'redis.conf' });
  let client: RawClient | null = null;
  try {
    client = await RawClient.connect(server.port);
    const realReplies: unknown[] = [];
    for (const c of [...commands, ['CONFIG', 'REWRITE']]) realReplies.push(plainReply(await client.command(...c)));
    const real = fs.readFileSync(path.join(server.dir, 'redis.conf'), 'latin1');

    const disk = new SimDisk();
    disk.write('redis.conf', fromLatin1(conf));
    const s = new Scenario({ ports: [SIM_PORT], directives: ARGS, diskFor: () => disk });
    const simReplies = [...commands, ['CONFIG', 'REWRITE']].map((c) => s.cmd(SIM_PORT, ...c));
    const sim = latin1(disk.read('redis.conf')!);
    return { real, sim, realReplies, simReplies };
  } finally {
    client?.close();
    await server.stop();
  }
}

describe('CONFIG REWRITE matches redis-server 7.0.15', () => {
  it('rewrites present options in place and appends the changed ones after the signature', async () => {
    const conf = '# my config\nport 7796\nmaxmemory 1gb\n\nappendonly no\n';
    const r = await both(conf, [
      ['CONFIG', 'SET', 'maxmemory', '0'],
      ['CONFIG', 'SET', 'repl-backlog-size', '3000000'],
      ['CONFIG', 'SET', 'hz', '20'],
      ['CONFIG', 'SET', 'client-output-buffer-limit', 'replica 256kb 128kb 5'],
      ['CONFIG', 'SET', 'requirepass', 'abc'],
      ['REPLICAOF', '127.0.0.1', '7000'],
      ['CONFIG', 'SET', 'masterauth', 'x y'],
      ['CONFIG', 'SET', 'maxmemory-clients', '10%'],
      ['CONFIG', 'SET', 'notify-keyspace-events', 'KEA'],
      ['CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 99.5'],
      ['CONFIG', 'SET', 'stream-node-max-bytes', '2mb'],
      ['CONFIG', 'SET', 'loglevel', 'warning'],
    ]);
    expect(r.simReplies).toEqual(r.realReplies);
    expect(r.sim.split('\n').slice(0, 6)).toEqual(['# my config', `port ${SIM_PORT}`, 'maxmemory 0', '', 'appendonly no', '']);
    compareFiles(r.real, r.sim);
  });

  it('reads comments, quotes, aliases and repeated lines as the real server does, and rewrites them alike', async () => {
    const conf = [
      '  # indented comment',
      'SLAVE-read-only no',
      'hz 15',
      'hz 16',
      "masterauth 'a b'",
      'repl-ping-slave-period 5',
      'notify-keyspace-events "KEA"',
      'list-max-ziplist-entries 10',
      'save 900 1',
      'user default on nopass ~* &* +@all',
      '',
      '',
      '# end',
    ].join('\n');
    const gets = ['hz', 'replica-read-only', 'masterauth', 'repl-ping-replica-period', 'notify-keyspace-events', 'save'].map((n) => ['CONFIG', 'GET', n]);
    const r = await both(conf, [...gets, ['CONFIG', 'SET', 'hz', '10'], ['CONFIG', 'SET', 'replica-read-only', 'yes']]);
    expect(r.simReplies).toEqual(r.realReplies);
    compareFiles(r.real, r.sim);
  });

  it('answers an error without a config file', async () => {
    await withRealRedis([], undefined, async (_server, client) => {
      const s = new Scenario({ ports: [6379] });
      s.world.disk(6379).remove('redis.conf');
      s.sim('KILL', '6379');
      s.sim('START', '6379');
      expect(s.cmd(6379, 'CONFIG', 'REWRITE')).toEqual(plainReply(await client.command('CONFIG', 'REWRITE')));
    });
  });
});
