// Pub/sub across nodes and time: what a replica's subscribers receive from
// the replication stream, keyspace events that no client command causes
// (active expiry), and PUBLISH held by a write pause as 7.0.15 holds it
// (CMD_MAY_REPLICATE). Single-node behaviour is in the pubsub and notify
// golden transcripts.
import { describe, expect, it } from 'vitest';
import { masterAndReplica, Scenario } from '../support/scenario.ts';

describe('pub/sub on a replica', () => {
  it("delivers its master's PUBLISH and SPUBLISH to the replica's subscribers, who are the only ones counted on each side", () => {
    const s = masterAndReplica();
    const onMaster = s.session(6379);
    const onReplica = s.session(6380);
    onMaster.send('SUBSCRIBE', 'news');
    onReplica.send('SUBSCRIBE', 'news');
    onReplica.send('SSUBSCRIBE', 'shard');
    s.run(0.01);
    expect(onMaster.replies()).toEqual([['subscribe', 'news', 1]]);
    expect(onReplica.replies()).toEqual([['subscribe', 'news', 1], ['ssubscribe', 'shard', 1]]);
    // PUBLISH counts the master's own receivers; the replica's learn of it through the stream.
    expect(s.cmd(6379, 'PUBLISH', 'news', 'hello')).toBe(1);
    expect(s.cmd(6379, 'SPUBLISH', 'shard', 'piece')).toBe(0);
    const got: unknown[] = [];
    s.waitFor(() => got.push(...onReplica.replies()) >= 2, 2);
    expect(got).toEqual([
      ['message', 'news', 'hello'],
      ['smessage', 'shard', 'piece'],
    ]);
    expect(onMaster.replies()).toEqual([['message', 'news', 'hello']]);
    expect(s.cmd(6380, 'PUBSUB', 'NUMSUB', 'news')).toEqual(['news', 1]);
  });

  it("sends keyspace events on the replica for the writes it applies, as the replica's own notify-keyspace-events selects", () => {
    const s = masterAndReplica();
    s.cmd(6380, 'CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
    const sub = s.session(6380);
    sub.send('PSUBSCRIBE', '__keyevent@*');
    s.run(0.01);
    expect(sub.replies()).toEqual([['psubscribe', '__keyevent@*', 1]]);
    s.cmd(6379, 'SET', 'k', 'v');
    s.cmd(6379, 'LPUSH', 'l', 'a');
    s.cmd(6379, 'DEL', 'k');
    const got: unknown[] = [];
    s.waitFor(() => got.push(...sub.replies()) >= 3, 2);
    expect(got).toEqual([
      ['pmessage', '__keyevent@*', '__keyevent@0__:set', 'k'],
      ['pmessage', '__keyevent@*', '__keyevent@0__:lpush', 'l'],
      ['pmessage', '__keyevent@*', '__keyevent@0__:del', 'k'],
    ]);
  });
});

describe('keyspace events without a command', () => {
  it('sends expired when the active expiry cycle deletes a key nobody touches', () => {
    const s = new Scenario();
    s.cmd(6379, 'CONFIG', 'SET', 'notify-keyspace-events', 'Ex');
    const sub = s.session(6379);
    sub.send('SUBSCRIBE', '__keyevent@0__:expired');
    s.cmd(6379, 'SET', 'k', 'v', 'PX', '50');
    const got: unknown[] = [];
    s.waitFor(() => got.push(...sub.replies()) >= 2, 2);
    expect(got).toEqual([
      ['subscribe', '__keyevent@0__:expired', 1],
      ['message', '__keyevent@0__:expired', 'k'],
    ]);
    expect(s.cmd(6379, 'DBSIZE')).toBe(0);
  });
});

describe('PUBLISH and a write pause', () => {
  it('waits while writes are paused (it may replicate) and answers when they resume', () => {
    const s = new Scenario();
    const node = s.world.node(6379)!;
    node.pauseWrites();
    const publish = s.send(6379, 'PUBLISH', 'ch', 'm');
    s.run(0.1);
    expect(publish()).toBeUndefined();
    node.unpauseWrites();
    s.run(0.01);
    expect(publish()).toBe(0);
  });
});
