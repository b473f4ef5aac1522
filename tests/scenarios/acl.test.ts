// ACL users in a replicated world (redis-server 7.0.15 behaviour, checked
// by hand against two real servers): a replica authenticates to its master
// as masteruser, its connection runs as that user (CLIENT LIST user=), and
// a user that may not run PSYNC or SYNC keeps it out, each attempt logged
// on both sides; users from redis.conf and the aclfile at start-up.
import { describe, expect, it } from 'vitest';
import { Scenario } from '../support/scenario.ts';
import { SimDisk } from '../../src/sim/disk.ts';
import { fromLatin1, latin1 } from '../../src/engine/bytes.ts';

/** A master on 6379 with requirepass and a replication user, a replica on 6380 with masteruser/masterauth. */
function masterWithUser(rules: string[]): Scenario {
  const s = new Scenario();
  s.cmd(6379, 'CONFIG', 'SET', 'repl-diskless-sync-delay', '0');
  s.cmd(6379, 'SET', 'k', 'v');
  expect(s.cmd(6379, 'ACL', 'SETUSER', 'repl', 'on', '>rpw', ...rules)).toBe('OK');
  s.cmd(6379, 'CONFIG', 'SET', 'requirepass', 'mpw');
  s.cmd(6380, 'CONFIG', 'SET', 'masteruser', 'repl');
  s.cmd(6380, 'CONFIG', 'SET', 'masterauth', 'rpw');
  return s;
}

describe('masteruser', () => {
  it('authenticates the replica as that user: the master lists its connection with user=repl', () => {
    const s = masterWithUser(['-@all', '+psync', '+replconf', '+ping']);
    s.cmd(6380, 'REPLICAOF', '127.0.0.1', '6379');
    s.waitFor(() => s.info(6380).master_link_status === 'up', 10, 'link up');
    expect(s.cmd(6380, 'GET', 'k')).toBe('v');
    const a = s.session(6379);
    a.send('AUTH', 'mpw');
    a.send('CLIENT', 'LIST', 'TYPE', 'replica');
    const [, list] = a.replies() as [string, string];
    expect(list).toMatch(/ flags=S .* cmd=(psync|replconf) user=repl /);
    // The replica's link is a client of its own that runs as no user.
    expect(s.cmd(6380, 'CLIENT', 'LIST', 'TYPE', 'master')).toMatch(/ flags=M .* user=\(superuser\) /);
  });

  it('keeps a replica whose user may not run PSYNC or SYNC out, logging each try on both sides', () => {
    const s = masterWithUser(['-@all', '+replconf', '+ping']);
    const t0 = s.mark();
    s.cmd(6380, 'REPLICAOF', '127.0.0.1', '6379');
    s.waitForLog(6380, 'MASTER aborted replication with an error', t0, 5);
    const logs = s.logs(6380, t0);
    const at = logs.indexOf("S # Unexpected reply to PSYNC from master: -NOPERM this user has no permissions to run the 'psync' command");
    expect(at).toBeGreaterThan(0);
    expect(logs.slice(at, at + 3)).toEqual([
      "S # Unexpected reply to PSYNC from master: -NOPERM this user has no permissions to run the 'psync' command",
      'S * Retrying with SYNC...',
      "S # MASTER aborted replication with an error: NOPERM this user has no permissions to run the 'sync' command",
    ]);
    expect(s.info(6380).master_link_status).toBe('down');
    // The master logged the denials: one entry each, counted again at every retry.
    const a = s.session(6379);
    a.send('AUTH', 'mpw');
    a.send('ACL', 'LOG', '2');
    const [, entries] = a.replies() as [string, unknown[][]];
    expect(entries.map((e) => [e[3], e[5], e[7], e[9]])).toEqual([
      ['command', 'toplevel', 'sync', 'repl'],
      ['command', 'toplevel', 'psync', 'repl'],
    ]);
    // Given PSYNC, the next try gets through.
    a.send('ACL', 'SETUSER', 'repl', '+psync');
    s.waitFor(() => s.info(6380).master_link_status === 'up', 10, 'link up');
    expect(s.cmd(6380, 'GET', 'k')).toBe('v');
  });
});

describe('users at start-up', () => {
  it('loads the user lines of redis.conf, and CONFIG REWRITE writes every user back in name order', () => {
    const disk = new SimDisk();
    disk.write('redis.conf', fromLatin1('port 6379\nuser bob on >b ~b* +get\nuser alice off\nuser default on nopass ~* &* +@all\n'));
    const s = new Scenario({ ports: [6379], diskFor: () => disk });
    // A `user default` line starts from "reset", which sets sanitize-payload.
    expect(s.cmd(6379, 'ACL', 'LIST')).toEqual([
      'user alice off resetchannels -@all',
      'user bob on #3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d ~b* resetchannels -@all +get',
      'user default on nopass sanitize-payload ~* &* +@all',
    ]);
    expect(s.logs(6379).some((l) => l.endsWith("The user 'alice' is disabled (there is no 'on' modifier in the user description). Make sure this is not a configuration error."))).toBe(true);
    expect(s.cmd(6379, 'CONFIG', 'REWRITE')).toBe('OK');
    const conf = latin1(disk.read('redis.conf')!);
    expect(conf.split('\n').filter((l) => l.startsWith('user '))).toEqual([
      'user alice off resetchannels -@all',
      'user bob on #3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d ~b* resetchannels -@all +get',
      'user default on nopass sanitize-payload ~* &* +@all',
    ]);
  });

  it('takes the users of the aclfile, and ACL SAVE / ACL LOAD write and read it on the node\'s disk', () => {
    const disk = new SimDisk();
    disk.write('redis.conf', fromLatin1('port 6379\naclfile users.acl\n'));
    disk.write('users.acl', fromLatin1('user carol on nopass ~* +@all\n'));
    const s = new Scenario({ ports: [6379], diskFor: () => disk });
    expect(s.cmd(6379, 'ACL', 'USERS')).toEqual(['carol', 'default']);
    expect(s.cmd(6379, 'ACL', 'SETUSER', 'dave', 'on', '>d')).toBe('OK');
    expect(s.cmd(6379, 'ACL', 'SAVE')).toBe('OK');
    expect(latin1(disk.read('users.acl')!)).toBe(
      'user carol on nopass ~* resetchannels +@all\nuser dave on #18ac3e7343f016890c510e93f935261169d9e3f565436429830faf0934f4f8e4 resetchannels -@all\nuser default on nopass ~* &* +@all\n',
    );
    disk.write('users.acl', fromLatin1('user erin on\n'));
    expect(s.cmd(6379, 'ACL', 'LOAD')).toBe('OK');
    expect(s.cmd(6379, 'ACL', 'USERS')).toEqual(['default', 'erin']);
  });

  it('does not start when the aclfile is missing or redis.conf also declares users', () => {
    const disk = new SimDisk();
    disk.write('redis.conf', fromLatin1('port 6379\naclfile users.acl\n'));
    const s = new Scenario({ ports: [6379], diskFor: () => disk });
    expect(s.world.node(6379)).toBeNull();
    expect(s.logs(6379).at(-1)).toMatch(/# Aborting Redis startup because of ACL errors: Error loading ACLs, opening file 'users.acl': No such file or directory$/);
    disk.write('redis.conf', fromLatin1('port 6379\naclfile users.acl\nuser bob on\n'));
    disk.write('users.acl', fromLatin1(''));
    s.sim('START', '6379');
    expect(s.world.node(6379)).toBeNull();
    expect(s.logs(6379).at(-1)).toMatch(/# Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is invalid\./);
  });
});
