// The hints the page terminal shows while a command is typed, against what
// real redis-cli 7.0.15 drew in a pseudo-terminal 200 columns wide, key by
// key, connected to a real redis-server 7.0.15 (prompt "127.0.0.1:35914> ",
// 17 columns). The help table is built from the COMMAND DOCS the engine
// answers with, which is the real server's reply captured (see
// tests/live/cli-help.test.ts for `help` itself beside redis-cli).
import { describe, expect, it } from 'vitest';
import { HelpTable, hintSequence } from '../../src/cli/help.ts';
import { World } from '../../src/sim/world.ts';
import { ReplyReader, encodeCommand, type Reply } from '../../src/engine/resp/reply-reader.ts';
import { utf8 } from '../../src/engine/bytes.ts';

function commandDocs(): Reply {
  const world = new World();
  const reader = new ReplyReader();
  const conn = world.connectExternal(6379, { data: (b: Uint8Array) => reader.feed(b), closed() {} })!;
  conn.write(encodeCommand(['COMMAND', 'DOCS'].map(utf8)));
  world.runUntil(world.nowUs + 1000, () => true);
  return reader.next()!;
}

const PROMPT = 17;
const COLS = 200;
const SET_ARGS = '[NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]';
const grey = (s: string) => `\x1b[0;90;49m${s}\x1b[0m`;

describe('hints while typing, as redis-cli 7.0.15 draws them', () => {
  const table = HelpTable.fromCommandDocs(commandDocs());

  it.each([
    ['s', ''],
    ['set', grey(` key value ${SET_ARGS}`)],
    ['set ', grey(`key value ${SET_ARGS}`)],
    ['set k', grey(` value ${SET_ARGS}`)],
    ['set k v', grey(` ${SET_ARGS}`)],
    ['set k v N', grey(` ${SET_ARGS}`)],
    ['set k v NX ', grey(SET_ARGS)],
    ['config', grey(' ')],
    ['config get', grey(' parameter [parameter ...]')],
    ['zadd k 1 m ', grey('[NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]')],
    ['xadd k * f', grey(' [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...]')],
    [
      'client kill 1.2.3.4:5 ',
      grey('[ID client-id]|[TYPE NORMAL|MASTER|SLAVE|REPLICA|PUBSUB]|[USER username]|[ADDR ip:port]|[LADDR ip:port]|[SKIPME yes/no] [[ID client-id]|[TYPE NORMAL|MASTER|SLAVE'),
    ],
    ['nosuch x', ''],
    ['get k v', grey(' ')],
    ['lpush k a b ', grey('[element ...]')],
  ])('%j', (line, drawn) => {
    expect(table).not.toBeNull();
    expect(hintSequence(table!.hint(line), COLS, PROMPT, line.length)).toBe(drawn);
  });

  it('offers completions as TAB cycles them: commands, and groups after help', () => {
    expect(table!.completions('zra')).toEqual(['ZRANDMEMBER', 'ZRANGE', 'ZRANGEBYLEX', 'ZRANGEBYSCORE', 'ZRANGESTORE', 'ZRANK']);
    expect(table!.completions('help @so')).toEqual(['help @sorted-set']);
    expect(table!.completions('@so')).toEqual([]);
  });

  it('is built from all 240 commands of 7.0.15 and their subcommands, with the 16 groups', () => {
    const docs = commandDocs();
    expect(docs.type === 'array' && docs.items.length / 2).toBe(240);
    const entries = table!.entries;
    expect(entries.filter((e) => e.kind === 'group').map((e) => e.full)).toHaveLength(16);
    expect(entries.filter((e) => e.kind === 'command').length).toBe(240 + 126);
  });

  it('has no table when COMMAND DOCS fails', () => {
    expect(HelpTable.fromCommandDocs({ type: 'error', text: utf8("ERR unknown subcommand 'DOCS'. Try COMMAND HELP.") })).toBeNull();
  });
});
