// INFO's counters and formatting: every counter moves where Redis 7.0.15
// moves its own, by exactly as much (the golden transcripts info.golden and
// client.golden hold the real server's answers for the same commands).
import { describe, expect, it } from 'vitest';
import { Scenario } from '../support/scenario.ts';
import { infoSections, infoText } from '../../src/engine/info/info.ts';
import { bytesToHuman, printfFixed } from '../../src/engine/info/format.ts';
import { InstantaneousMetric } from '../../src/engine/stats.ts';

/** One node (6379) of a fresh world and INFO <section> as field -> value. */
function node() {
  const s = new Scenario();
  const info = (section: string) => s.info(6379, section);
  return { s, info, cmd: (...args: string[]) => s.cmd(6379, ...args) };
}

describe('INFO stats counters', () => {
  it('count commands after they run, so INFO does not count itself', () => {
    const { info, cmd } = node();
    cmd('CONFIG', 'RESETSTAT');
    expect(info('stats').total_commands_processed).toBe('1');
    cmd('SET', 'a', '1');
    cmd('GET', 'a');
    // RESETSTAT, the first INFO, SET, GET.
    expect(info('stats').total_commands_processed).toBe('4');
  });

  it('count the bytes of every command read and every reply written', () => {
    const { info, cmd } = node();
    cmd('CONFIG', 'RESETSTAT');
    cmd('SET', 'key', 'value'); // *3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n = 33 bytes, +OK\r\n = 5
    const st = info('stats'); // *2\r\n$4\r\nINFO\r\n$5\r\nstats\r\n = 25 bytes, read before INFO answers
    expect(st.total_net_input_bytes).toBe(String(33 + 25));
    expect(st.total_net_output_bytes).toBe(String(5 + 5)); // RESETSTAT's +OK, SET's +OK
    expect([st.total_reads_processed, st.total_writes_processed]).toEqual(['2', '2']);
    expect(st.total_connections_received).toBe('0'); // the connection came before RESETSTAT
  });

  it('count error replies by their code, and rejected and failed calls per command', () => {
    const { info, cmd } = node();
    cmd('CONFIG', 'RESETSTAT');
    cmd('SET', 'k', 'v');
    expect(cmd('LPUSH', 'k', 'x')).toMatch(/^-WRONGTYPE /);
    expect(cmd('GET')).toBe("-ERR wrong number of arguments for 'get' command");
    expect(cmd('NOSUCH')).toMatch(/^-ERR unknown command/);
    expect(cmd('CONFIG', 'NOSUCH')).toMatch(/^-ERR unknown subcommand/);
    expect(cmd('CONFIG')).toBe("-ERR wrong number of arguments for 'config' command");
    expect(info('errorstats')).toEqual({ errorstat_ERR: 'count=4', errorstat_WRONGTYPE: 'count=1' });
    expect(info('stats').total_error_replies).toBe('5');
    const cs = info('commandstats');
    expect(cs.cmdstat_lpush).toBe('calls=1,usec=0,usec_per_call=0.00,rejected_calls=0,failed_calls=1');
    expect(cs.cmdstat_get).toBe('calls=0,usec=0,usec_per_call=0.00,rejected_calls=1,failed_calls=0');
    expect(cs.cmdstat_config).toBe('calls=0,usec=0,usec_per_call=0.00,rejected_calls=1,failed_calls=0');
    expect(cs.cmdstat_set).toBe('calls=1,usec=0,usec_per_call=0.00,rejected_calls=0,failed_calls=0');
    // An unknown command or subcommand has no line of its own.
    expect(Object.keys(cs).filter((k) => /nosuch/.test(k))).toEqual([]);
  });

  it('count a refused write as a rejected call (READONLY on a replica)', () => {
    const { s, info } = node();
    s.cmd(6380, 'REPLICAOF', '127.0.0.1', '6379');
    expect(s.cmd(6380, 'SET', 'k', 'v')).toMatch(/^-READONLY /);
    expect(s.info(6380, 'commandstats').cmdstat_set).toBe('calls=0,usec=0,usec_per_call=0.00,rejected_calls=1,failed_calls=0');
    expect(s.info(6380, 'errorstats').errorstat_READONLY).toBe('count=1');
    expect(info('stats').rejected_connections).toBe('0');
  });

  it('count keyspace hits and misses, and reset everything with CONFIG RESETSTAT', () => {
    const { info, cmd } = node();
    cmd('SET', 'k', 'v');
    cmd('GET', 'k');
    cmd('GET', 'nokey');
    cmd('FOO');
    expect([info('stats').keyspace_hits, info('stats').keyspace_misses]).toEqual(['1', '1']);
    cmd('CONFIG', 'RESETSTAT');
    const st = info('stats');
    expect([st.keyspace_hits, st.keyspace_misses, st.total_error_replies, st.total_connections_received]).toEqual(['0', '0', '0', '0']);
    expect(info('errorstats')).toEqual({});
    expect(Object.keys(info('commandstats'))).toEqual(['cmdstat_config|resetstat', 'cmdstat_info']);
  });

  it('samples instantaneous_ops_per_sec and the kbps rates every 100 ms of virtual time', () => {
    const { s, info, cmd } = node();
    // 20 ticks of 50 PINGs: every one of the last 16 samples is 500 ops/s.
    for (let tick = 0; tick < 20; tick++) {
      for (let i = 0; i < 50; i++) cmd('PING');
      s.run(0.1);
    }
    const st = info('stats');
    expect(st.instantaneous_ops_per_sec).toBe('500');
    // *1\r\n$4\r\nPING\r\n is 14 bytes in, +PONG\r\n 7 out: 7000 and 3500 bytes a second.
    expect(st.instantaneous_input_kbps).toBe('6.84');
    expect(st.instantaneous_output_kbps).toBe('3.42');
    expect(st.instantaneous_input_repl_kbps).toBe('0.00');
    s.run(2); // 16 quiet samples
    expect(info('stats').instantaneous_ops_per_sec).toBe('0');
  });
});

describe('INFO persistence, clients, keyspace', () => {
  it('counts changes since the last SAVE', () => {
    const { info, cmd } = node();
    cmd('SET', 'a', '1');
    cmd('SET', 'b', '2');
    cmd('INCR', 'a');
    cmd('GET', 'a');
    expect(info('persistence').rdb_changes_since_last_save).toBe('3');
    expect(cmd('SAVE')).toBe('OK');
    const p = info('persistence');
    expect([p.rdb_changes_since_last_save, p.rdb_saves, p.rdb_bgsave_in_progress, p.rdb_last_bgsave_time_sec]).toEqual(['0', '1', '0', '-1']);
    cmd('DEL', 'b');
    expect(info('persistence').rdb_changes_since_last_save).toBe('1');
  });

  it('shows connected and blocked clients (WAIT with a timeout is in the timeout table)', () => {
    const { s, info } = node();
    s.cmd(6379, 'PING');
    const waiting = s.send(6379, 'WAIT', '1', '5000');
    expect(waiting()).toBeUndefined();
    const c = info('clients');
    expect([c.connected_clients, c.blocked_clients, c.clients_in_timeout_table, c.maxclients]).toEqual(['2', '1', '1', '10000']);
    expect(String(s.cmd(6379, 'CLIENT', 'LIST'))).toMatch(/ flags=b .* cmd=wait /);
    s.run(5.1);
    expect(waiting()).toBe(0);
    expect(info('clients').blocked_clients).toBe('0');
    expect(info('stats').total_connections_received).toBe('2');
  });

  it('lists databases with keys, their keys with a TTL, and avg_ttl 0 (no expiry cycle samples)', () => {
    const { info, cmd } = node();
    cmd('SET', 'a', '1');
    cmd('SET', 'b', '1', 'EX', '100');
    cmd('SELECT', '3');
    cmd('SET', 'c', '1');
    expect(info('keyspace')).toEqual({ db0: 'keys=2,expires=1,avg_ttl=0', db3: 'keys=1,expires=0,avg_ttl=0' });
  });

  it('counts uptime and the LRU clock in virtual time', () => {
    const { s, info } = node();
    s.run(90061);
    const sv = info('server');
    expect([sv.uptime_in_seconds, sv.uptime_in_days]).toEqual(['90061', '1']);
    const nowS = Math.floor(s.world.node(6379)!.options.clock.unixMs / 1000);
    expect(sv.lru_clock).toBe(String(nowS % 2 ** 24));
    expect(sv.server_time_usec).toBe(String(s.world.node(6379)!.options.clock.unixMs * 1000));
    expect([sv.process_id, sv.run_id, sv.tcp_port]).toEqual([String(s.world.node(6379)!.options.pid), s.world.node(6379)!.options.runId, '6379']);
  });
});

describe('INFO sections', () => {
  it('selects sections as genInfoSectionDict does', () => {
    expect(infoSections([]).sections.has('module_list')).toBe(true);
    expect(infoSections(['ALL'])).toMatchObject({ all: true, everything: false });
    expect(infoSections(['everything'])).toMatchObject({ all: true, everything: true });
    expect([...infoSections(['Server', 'default']).sections]).toContain('keyspace');
  });

  it('prints the chosen sections in INFO order, separated by a blank line', () => {
    const { s } = node();
    const text = infoText(s.world.node(6379)!, ['cluster', 'cpu']);
    expect(text.startsWith('# CPU\r\nused_cpu_sys:0.000000\r\n')).toBe(true);
    expect(text.endsWith('\r\n\r\n# Cluster\r\ncluster_enabled:0\r\n')).toBe(true);
    expect(infoText(s.world.node(6379)!, ['nosuch'])).toBe('');
    expect(infoText(s.world.node(6379)!, ['modules'])).toBe('# Modules\r\n');
  });
});

describe('INFO number formatting', () => {
  it('rounds %.2f ties to even on the exact binary value, as printf does', () => {
    expect(printfFixed(0.125, 2)).toBe('0.12');
    expect(printfFixed(0.375, 2)).toBe('0.38');
    expect(printfFixed(1.005, 2)).toBe('1.00'); // 1.00499999999999989...
    expect(printfFixed(0, 2)).toBe('0.00');
    expect(printfFixed(-0.5, 0)).toBe('-0');
    expect(printfFixed(7000 / 1024, 2)).toBe('6.84');
  });

  it('prints sizes as bytesToHuman does', () => {
    expect(bytesToHuman(0)).toBe('0B');
    expect(bytesToHuman(1023)).toBe('1023B');
    expect(bytesToHuman(1152)).toBe('1.12K');
    expect(bytesToHuman(916296)).toBe('894.82K');
    expect(bytesToHuman(25276502016)).toBe('23.54G');
  });

  it('averages 16 samples with integer division', () => {
    const m = new InstantaneousMetric(0);
    m.track(3, 100); // 30/s
    expect(m.value).toBe(1); // 30 / 16
  });
});
