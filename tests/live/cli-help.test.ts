// The page terminal's help (src/cli/help.ts) against real redis-cli 7.0.15:
// both build their help from the same server's COMMAND DOCS reply, so for
// every command group, for commands, subcommands and unknown names, what
// `help ...` prints must be byte for byte what redis-cli prints (it prints
// the same entries when not on a TTY). The hints shown while typing come
// from the same argument lines (checked in tests/unit/cli-help.test.ts).
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealRedis, type RealRedis } from '../support/real-redis.ts';
import { RawClient } from '../support/raw-client.ts';
import { encodeCommand } from '../../src/engine/resp/reply-reader.ts';
import { HelpTable } from '../../src/cli/help.ts';
import { utf8 } from '../../src/engine/bytes.ts';

let real: RealRedis;
let table: HelpTable;
beforeAll(async () => {
  real = await startRealRedis();
  const client = await RawClient.connect(real.port);
  try {
    client.write(encodeCommand(['COMMAND', 'DOCS'].map(utf8)));
    const { reply } = await client.read();
    table = HelpTable.fromCommandDocs(reply)!;
  } finally {
    client.close();
  }
});
afterAll(async () => {
  await real?.stop();
});

function redisCli(args: string[]): string {
  const r = spawnSync('redis-cli', ['-p', String(real.port), 'help', ...args], { encoding: 'latin1', timeout: 10_000 });
  if (r.status !== 0) throw new Error(`redis-cli failed: ${r.stderr}`);
  return r.stdout;
}

const GROUPS = ['generic', 'string', 'list', 'set', 'sorted-set', 'hash', 'pubsub', 'transactions', 'connection', 'server', 'scripting', 'hyperloglog', 'cluster', 'geo', 'stream', 'bitmap'];

describe('help, beside redis-cli 7.0.15 on the same server', () => {
  it.each(GROUPS)('help @%s lists the group as redis-cli does', (group) => {
    const want = redisCli([`@${group}`]);
    expect(want.length).toBeGreaterThan(100);
    expect(table.help([`@${group}`], '7.0.15')).toBe(want);
  });

  it.each([['set'], ['SET'], ['config'], ['config', 'get'], ['xadd'], ['client', 'kill'], ['georadius'], ['nosuch'], ['@nosuch'], ['object', 'encoding', 'extra']])(
    'help %s',
    (...args) => {
      expect(table.help(args, '7.0.15')).toBe(redisCli(args));
    },
  );

  it('help alone prints the generic help', () => {
    expect(table.help([], '7.0.15')).toBe(redisCli([]));
  });
});
