// The AOF at start-up in the simulated world: a node with appendonly yes
// restarts from its AOF files (not from dump.rdb), and refuses to start, with
// the lines redis-server 7.0.15 logs, on files it cannot load; a file cut in
// the middle of a command is truncated and loaded under aof-load-truncated.
// The bytes of the files are compared with the real server in tests/live/aof.test.ts.
import { describe, expect, it } from 'vitest';
import { Scenario } from '../support/scenario.ts';
import { fromLatin1, latin1 } from '../../src/engine/bytes.ts';

const INCR = 'appendonlydir/appendonly.aof.1.incr.aof';
const MANIFEST = 'appendonlydir/appendonly.aof.manifest';

function aofNode(extra: [string, string][] = []) {
  const s = new Scenario({ ports: [6379], directives: [['appendonly', 'yes'], ...extra] });
  s.cmd(6379, 'SET', 'a', '1');
  s.cmd(6379, 'SET', 'b', '2');
  s.sim('KILL', '6379');
  return s;
}

const disk = (s: Scenario) => s.world.disk(6379);

describe('the AOF at start-up', () => {
  it('restarts from the AOF, whatever dump.rdb holds, and goes on appending to the same incr file', () => {
    const s = aofNode();
    disk(s).write('dump.rdb', fromLatin1('not even an RDB'));
    const mark = s.mark();
    s.sim('START', '6379');
    expect(s.cmd(6379, 'MGET', 'a', 'b')).toEqual(['1', '2']);
    expect(s.logs(6379, mark)).toEqual(
      expect.arrayContaining([
        'M * Reading RDB base file on AOF loading...',
        'M * RDB is base AOF',
        'M * Done loading RDB, keys loaded: 0, keys expired: 0.',
        'M * Opening AOF incr file appendonly.aof.1.incr.aof on server start',
      ]),
    );
    s.cmd(6379, 'SET', 'c', '3');
    expect(latin1(disk(s).read(INCR)!)).toBe('*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$1\r\n3\r\n');
  });

  it('truncates a file cut inside a command and loads the rest under aof-load-truncated yes', () => {
    const s = aofNode();
    const whole = disk(s).read(INCR)!;
    disk(s).write(INCR, whole.subarray(0, whole.length - 3));
    const mark = s.mark();
    s.sim('START', '6379');
    expect(s.cmd(6379, 'MGET', 'a', 'b')).toEqual(['1', null]);
    const cut = '*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n'.length;
    expect(s.logs(6379, mark)).toEqual(
      expect.arrayContaining([
        'M # !!! Warning: short read while loading the AOF file appendonly.aof.1.incr.aof!!!',
        `M # !!! Truncating the AOF appendonly.aof.1.incr.aof at offset ${cut} !!!`,
        'M # AOF appendonly.aof.1.incr.aof loaded anyway because aof-load-truncated is enabled',
      ]),
    );
    expect(disk(s).read(INCR)!.length).toBe(cut);
  });

  it('refuses to start on a cut file under aof-load-truncated no, on a bad format, and on a bad manifest', () => {
    const s = aofNode([['aof-load-truncated', 'no']]);
    const whole = disk(s).read(INCR)!;
    disk(s).write(INCR, whole.subarray(0, whole.length - 3));
    let mark = s.mark();
    s.sim('START', '6379');
    expect(s.world.nodes()[0]!.up).toBe(false);
    expect(s.logs(6379, mark).at(-1)).toBe(
      "M # Unexpected end of file reading the append only file appendonly.aof.1.incr.aof. You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.",
    );
    disk(s).write(INCR, fromLatin1('+OK\r\n'));
    mark = s.mark();
    s.sim('START', '6379');
    expect(s.logs(6379, mark).at(-1)).toBe('M # Bad file format reading the append only file appendonly.aof.1.incr.aof: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>');
    disk(s).write(INCR, fromLatin1('*1\r\n$7\r\nNOTACMD\r\n'));
    mark = s.mark();
    s.sim('START', '6379');
    expect(s.logs(6379, mark).at(-1)).toBe("M # Unknown command 'NOTACMD' reading the append only file appendonly.aof.1.incr.aof");
    disk(s).write(MANIFEST, fromLatin1('file appendonly.aof.1.base.rdb seq 1 type b\nfile x seq 1 type q\n'));
    mark = s.mark();
    s.sim('START', '6379');
    expect(s.logs(6379, mark).slice(-4)).toEqual([
      'M # \n*** FATAL AOF MANIFEST FILE ERROR ***\n',
      'M # Reading the manifest file, at line 2\n',
      "M # >>> 'file x seq 1 type q'\n",
      'M # Unknown AOF file type\n',
    ]);
    expect(s.world.nodes()[0]!.up).toBe(false);
  });

  it('DEBUG LOADAOF empties the data and loads the AOF again, with nothing propagated and nothing left unsaved', () => {
    const s = aofNode([['enable-debug-command', 'yes']]);
    s.sim('START', '6379');
    s.cmd(6379, 'SET', 'c', '3');
    // A key the AOF does not know (written to memory only, as if the AOF had missed it) goes.
    s.world.node(6379)!.keyspace.dbs[0]!.set('ghost', { type: 'string', bytes: fromLatin1('x'), encoding: 'embstr' });
    const before = disk(s).read(INCR)!.length;
    const mark = s.mark();
    expect(s.cmd(6379, 'DEBUG', 'LOADAOF')).toBe('OK');
    expect(s.cmd(6379, 'MGET', 'a', 'b', 'c', 'ghost')).toEqual(['1', '2', '3', null]);
    expect(s.logs(6379, mark).at(-1)).toBe('M # Append Only File loaded by DEBUG LOADAOF');
    expect(disk(s).read(INCR)!.length).toBe(before);
    expect(s.info(6379, 'persistence').rdb_changes_since_last_save).toBe('0');
  });

  it('a replica with appendonly yes rewrites its AOF after its full sync, and after a restart from it asks PSYNC ? -1: a full sync', () => {
    const s = new Scenario();
    s.cmd(6379, 'CONFIG', 'SET', 'repl-diskless-sync-delay', '0');
    s.cmd(6379, 'MSET', 'a', '1', 'b', '2');
    expect(s.cmd(6380, 'CONFIG', 'SET', 'appendonly', 'yes')).toBe('OK');
    s.waitFor(() => s.info(6380, 'persistence').aof_rewrite_in_progress === '0' && s.info(6380, 'persistence').aof_rewrites === '1', 5);
    const mark = s.mark();
    s.cmd(6380, 'REPLICAOF', '127.0.0.1', '6379');
    s.waitFor(() => s.info(6380).master_link_status === 'up' && s.info(6380, 'persistence').aof_rewrites === '2' && s.info(6380, 'persistence').aof_rewrite_in_progress === '0', 10);
    // restartAOFAfterSYNC: the AOF stopped for the load, then started again with a rewrite of what was loaded.
    const lines = s.logs(6380, mark);
    const finished = lines.indexOf('S * MASTER <-> REPLICA sync: Finished with success');
    expect(finished).toBeGreaterThan(0);
    expect(lines.slice(finished + 1)).toEqual(
      expect.arrayContaining([
        'S * Creating AOF incr file temp-appendonly.aof.incr on background rewrite',
        'S * Successfully renamed the temporary AOF incr file temp-appendonly.aof.incr into appendonly.aof.2.incr.aof',
        'S * Background AOF rewrite finished successfully',
      ]),
    );
    s.cmd(6379, 'SET', 'c', '3');
    s.waitFor(() => s.cmd(6380, 'GET', 'c') === '3', 5);
    expect(s.cmd(6380, 'CONFIG', 'REWRITE')).toBe('OK');
    s.sim('KILL', '6380');
    // What the replica's AOF holds: the master's data from the rewrite, and the write after it.
    s.world.disk(6380).remove('dump.rdb');
    const masterMark = s.mark();
    s.sim('START', '6380');
    expect(s.cmd(6380, 'MGET', 'a', 'b', 'c')).toEqual(['1', '2', '3']);
    s.waitFor(() => s.info(6380).master_link_status === 'up', 10);
    expect(s.logs(6379, masterMark)).toContain('M * Full resync requested by replica 127.0.0.1:6380');
    expect(s.logs(6380, masterMark)).toContain('S * Partial resynchronization not possible (no cached master)');
  });
});

