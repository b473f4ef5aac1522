// CONFIG where golden transcripts cannot reach: the table itself, RESP3's
// map reply, what a CONFIG SET does to the NodeConfig fields the engine
// reads (and the other way round), the onSet hooks, the log lines of a
// failed apply, RESETSTAT's counters and replicaof's live value.
// The replies themselves are checked byte for byte against redis-server
// 7.0.15 by tests/golden/cases/config.cmds.
import { describe, expect, it } from 'vitest';
import { engineSession } from '../support/engine-session.ts';
import { CONFIG_TABLE } from '../../src/engine/config-table.ts';
import { CONFIG_NAMES, configValues } from '../../src/engine/config-values.ts';
import { memtoull, splitWords, string2d, formatPlainDouble } from '../../src/engine/config-types.ts';
import { fromLatin1 } from '../../src/engine/bytes.ts';
import type { Logger } from '../../src/engine/log.ts';

const b = fromLatin1;

describe('the table', () => {
  it('has every parameter of redis-server 7.0.15 once: 192 listed by CONFIG GET *, 5 hidden', () => {
    const names = CONFIG_NAMES.map((n) => n.name);
    expect(new Set(names).size).toBe(names.length);
    expect(CONFIG_NAMES.filter((n) => !n.param.flags.has('hidden'))).toHaveLength(192);
    expect(CONFIG_NAMES.filter((n) => n.param.flags.has('hidden')).map((n) => n.name)).toEqual([
      'use-exit-on-panic', 'rdb-key-save-delay', 'key-load-delay', 'watchdog-period', 'loading-process-events-interval-bytes',
    ]);
  });

  it('gives each special parameter a default its own setter reads back unchanged', () => {
    for (const p of CONFIG_TABLE) {
      if (p.type !== 'special' || p.name === 'replicaof' || p.name === 'dir') continue;
      const words = p.flags.has('multi-arg') ? splitWords(b(p.default)) : [b(p.default)];
      expect(p.codec.set(words, p.default), p.name).toEqual({ ok: true, value: p.default });
    }
  });

  it('starts a node with the table defaults, the node port and its directory', () => {
    const { run } = engineSession();
    expect(run('CONFIG', 'GET', 'port')).toBe('*2\r\n$4\r\nport\r\n$4\r\n6379\r\n');
    expect(run('CONFIG', 'GET', 'dir')).toBe('*2\r\n$3\r\ndir\r\n$19\r\n/var/lib/redis/6379\r\n');
    expect(run('CONFIG', 'GET', 'save')).toBe('*2\r\n$4\r\nsave\r\n$23\r\n3600 1 300 100 60 10000\r\n');
  });
});

describe('C parsing helpers', () => {
  it('memtoull: units, wrap-around and the empty number', () => {
    expect(memtoull(b('1gb'))).toBe(1073741824n);
    expect(memtoull(b('1G'))).toBe(1000000000n);
    expect(memtoull(b(''))).toBe(0n);
    expect(memtoull(b('18446744073709551615kb'))).toBe(18446744073709550592n);
    expect(memtoull(b('1 kb'))).toBeNull();
    expect(memtoull(b('1'.repeat(128)))).toBeNull();
  });

  it('string2d and %f: strtod spellings, ranges and trimming', () => {
    expect(string2d(b('0x1p3'))).toBe(8);
    expect(string2d(b('1e-400'))).toBeNull();
    expect(string2d(b('1e400'))).toBeNull();
    expect(string2d(b('-INFINITY'))).toBe(-Infinity);
    expect(string2d(b('nan'))).toBeNull();
    expect(string2d(b(' 1'))).toBeNull();
    expect(formatPlainDouble(99.9)).toBe('99.9');
    expect(formatPlainDouble(50)).toBe('50');
    expect(formatPlainDouble(-0)).toBe('-0');
  });
});

describe('CONFIG GET', () => {
  it('answers a RESP3 client with a map', () => {
    const { run } = engineSession(3);
    expect(run('CONFIG', 'GET', 'maxmemory', 'hz')).toBe('%2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n$2\r\nhz\r\n$2\r\n10\r\n');
    expect(run('CONFIG', 'GET', 'nothing')).toBe('%0\r\n');
  });

  it('shows replicaof as the replication state, live', () => {
    const { node, run } = engineSession();
    node.replication.replica.masterHost = '10.0.0.9';
    node.replication.replica.masterPort = 6380;
    expect(run('CONFIG', 'GET', 'slaveof')).toBe('*2\r\n$7\r\nslaveof\r\n$13\r\n10.0.0.9 6380\r\n');
  });
});

describe('CONFIG SET and the NodeConfig fields the engine reads', () => {
  it('writes the field, and shows a field changed from elsewhere', () => {
    const { node, run } = engineSession();
    expect(run('CONFIG', 'SET', 'hash-max-ziplist-entries', '7', 'repl-diskless-load', 'SWAPDB', 'replica-read-only', 'no')).toBe('+OK\r\n');
    expect(node.config.hashMaxListpackEntries).toBe(7);
    expect(node.config.replDisklessLoad).toBe('swapdb');
    expect(node.config.replicaReadOnly).toBe(false);
    node.config.replTimeout = 42;
    node.config.masterauth = 'pw';
    expect(run('CONFIG', 'GET', 'repl-timeout')).toBe('*2\r\n$12\r\nrepl-timeout\r\n$2\r\n42\r\n');
    expect(run('CONFIG', 'GET', 'masterauth')).toBe('*2\r\n$10\r\nmasterauth\r\n$2\r\npw\r\n');
  });

  it('keeps every digit of a value beyond 2^53 that the field holds as a number', () => {
    const { node, run } = engineSession();
    run('CONFIG', 'SET', 'proto-max-bulk-len', '9223372036854775807');
    expect(node.config.protoMaxBulkLen).toBe(9223372036854775807);
    expect(run('CONFIG', 'GET', 'proto-max-bulk-len')).toContain('$19\r\n9223372036854775807\r\n');
  });

  it('caps hz to [1, 500] and raises repl-backlog-size to 16 KB in the field the engine reads', () => {
    const { node, run } = engineSession();
    run('CONFIG', 'SET', 'hz', '0', 'repl-backlog-size', '1');
    expect(node.config.hz).toBe(1);
    expect(node.config.replBacklogSize).toBe(16384);
    run('CONFIG', 'SET', 'hz', '9999');
    expect(node.config.hz).toBe(500);
  });

  it('changes nothing when one value does not read', () => {
    const { node, run } = engineSession();
    expect(run('CONFIG', 'SET', 'hz', '20', 'list-max-listpack-size', 'x')).toMatch(/^-ERR CONFIG SET failed/);
    expect(node.config.hz).toBe(10);
  });

  it('undoes every value when an apply fails, logging as Redis does', () => {
    const lines: string[] = [];
    const { node, run } = engineSession();
    const log: Logger = { log: () => {}, notice: () => {}, warning: (t) => lines.push(t) };
    (node.options as { log: Logger }).log = log;
    expect(run('CONFIG', 'SET', 'hz', '50', 'tls-port', '7000')).toBe(
      "-ERR CONFIG SET failed (possibly related to argument 'tls-port') - Unable to update TLS configuration. Check server logs.\r\n",
    );
    expect(node.config.hz).toBe(10);
    expect(lines).toEqual([
      'No tls-cert-file configured!',
      'Failed applying new configuration. Possibly related to new tls-port setting. Restoring previous settings.',
      'No tls-cert-file configured!',
      'Failed applying restored failed CONFIG SET command: Unable to update TLS configuration. Check server logs.',
    ]);
  });

  it('sets protected parameters when enable-protected-configs allows the client', () => {
    const { node, run } = engineSession();
    // The session's client is on 127.0.0.1.
    expect(configValues(node).setAtStartup('enable-protected-configs', b('local'))).toBeNull();
    expect(run('CONFIG', 'SET', 'dbfilename', 'other.rdb', 'dir', '../x/./y')).toBe('+OK\r\n');
    expect(node.config.dbFilename).toBe('other.rdb');
    expect(run('CONFIG', 'GET', 'dir')).toBe('*2\r\n$3\r\ndir\r\n$18\r\n/var/lib/redis/x/y\r\n');
    expect(run('CONFIG', 'SET', 'dbfilename', 'a/b')).toBe(
      "-ERR CONFIG SET failed (possibly related to argument 'dbfilename') - dbfilename can't be a path, just a filename\r\n",
    );
  });
});

describe('CONFIG RESETSTAT', () => {
  it('zeroes the keyspace and replication counters', () => {
    const { node, run } = engineSession();
    run('SET', 'k', 'v');
    run('GET', 'k');
    run('GET', 'missing');
    node.keyspace.stats.expiredKeys = 3;
    node.replication.stats.syncFull = 2;
    node.replication.stats.netReplOutputBytes = 100;
    expect(node.keyspace.stats.keyspaceHits).toBe(1);
    expect(run('CONFIG', 'RESETSTAT')).toBe('+OK\r\n');
    expect(node.keyspace.stats).toEqual({ keyspaceHits: 0, keyspaceMisses: 0, expiredKeys: 0 });
    expect(node.replication.stats).toEqual({ syncFull: 0, syncPartialOk: 0, syncPartialErr: 0, netReplInputBytes: 0, netReplOutputBytes: 0 });
  });
});
