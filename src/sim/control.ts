// The SIM control language (DESIGN.md section 2.2): one small command set
// that drives the world from the UI, scenario files, tests and the Node
// server's control port. Commands arrive as argument vectors and are
// answered in RESP, like any Redis command.
//
// Time commands (PAUSE, RESUME, SPEED, STEP) belong to whoever paces the
// world (the worker in the browser, the real-time driver under Node, a test
// stepping by hand), so they go to the TimeControl the host supplies.

import type { World } from './world.ts';
import { ReplyWriter } from '../engine/resp/reply-writer.ts';
import { latin1, lowerAscii, string2ll } from '../engine/bytes.ts';

export interface TimeControl {
  pause(): void;
  resume(): void;
  /** 0.1 to 20 times wall-clock speed. */
  setSpeed(speed: number): void;
  /** Advances virtual time by `us` microseconds now (also while paused). */
  step(us: number): void;
  readonly paused: boolean;
  readonly speed: number;
  /** SIM SEED n: replace the world with a fresh one seeded n (hosts that can rebuild theirs). */
  resetWorld?(seed: number): void;
}

/** Lowest and highest TCP port a node may take. */
const MIN_PORT = 1;
const MAX_PORT = 65535;

type Sub = (world: World, args: readonly Uint8Array[], out: ReplyWriter, time: TimeControl | null) => void;

function portArg(bytes: Uint8Array | undefined, out: ReplyWriter): number | null {
  const v = bytes === undefined ? null : string2ll(bytes);
  if (typeof v !== 'number' || v < MIN_PORT || v > MAX_PORT) {
    out.error(`ERR invalid port '${bytes === undefined ? '' : latin1(bytes)}'`);
    return null;
  }
  return v;
}

function knownPort(world: World, bytes: Uint8Array | undefined, out: ReplyWriter): number | null {
  const port = portArg(bytes, out);
  if (port === null) return null;
  if (!world.hasNode(port)) {
    out.error(`ERR no node on port ${port}`);
    return null;
  }
  return port;
}

function needTime(time: TimeControl | null, out: ReplyWriter): time is TimeControl {
  if (time) return true;
  out.error('ERR this host does not control virtual time');
  return false;
}

/** Two distinct known ports: the ends of a link. */
function linkArgs(world: World, args: readonly Uint8Array[], out: ReplyWriter): [number, number] | null {
  const a = knownPort(world, args[0], out);
  if (a === null) return null;
  const b = knownPort(world, args[1], out);
  if (b === null) return null;
  if (a === b) {
    out.error('ERR a link joins two different nodes');
    return null;
  }
  return [a, b];
}

/** A non-negative decimal, as integer or with a fraction (milliseconds, bytes per second). */
function amountArg(bytes: Uint8Array, what: string, out: ReplyWriter): number | null {
  const text = latin1(bytes);
  const v = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(v)) {
    out.error(`ERR ${what} must be a non-negative number`);
    return null;
  }
  return v;
}

/** OK, or the error of a node that exited during start-up. */
function startReply(started: boolean, port: number, out: ReplyWriter): void {
  if (started) out.ok();
  else out.error(`ERR node ${port} exited during start-up (see its log)`);
}

const SUBCOMMANDS: Record<string, { arity: [number, number]; run: Sub; help: string }> = {
  nodes: {
    arity: [0, 0],
    help: 'SIM NODES -- every node: port, role, state, pid, run_id, master it follows.',
    run: (world, _args, out) => {
      const nodes = world.nodes();
      out.arrayHeader(nodes.length);
      for (const n of nodes) {
        out.bulkText(`port=${n.port} role=${n.role} state=${n.up ? 'up' : 'down'} pid=${n.pid ?? '-'} run_id=${n.runId ?? '-'} master=${n.master ?? '-'}`);
      }
    },
  },
  add: {
    arity: [0, 1],
    help: 'SIM ADD [port] -- a new empty node (the next free port when omitted).',
    run: (world, args, out) => {
      const port = args.length === 0 ? world.nextFreePort() : portArg(args[0], out);
      if (port === null) return;
      if (world.hasNode(port)) return out.error(`ERR a node already listens on port ${port}`);
      world.addNode(port);
      out.integer(port);
    },
  },
  remove: {
    arity: [1, 1],
    help: 'SIM REMOVE port -- remove a node and its disk.',
    run: (world, args, out) => {
      const port = knownPort(world, args[0], out);
      if (port === null) return;
      world.removeNode(port);
      out.ok();
    },
  },
  kill: {
    arity: [1, 1],
    help: 'SIM KILL port -- crash it like kill -9: no save, connections reset, disk kept.',
    run: (world, args, out) => {
      const port = knownPort(world, args[0], out);
      if (port === null) return;
      if (!world.isUp(port)) return out.error(`ERR node ${port} is not running`);
      world.crashNode(port);
      out.ok();
    },
  },
  start: {
    arity: [1, 1],
    help: 'SIM START port -- start a stopped node as a new process from its disk.',
    run: (world, args, out) => {
      const port = knownPort(world, args[0], out);
      if (port === null) return;
      if (world.isUp(port)) return out.error(`ERR node ${port} is already running`);
      // A process that cannot load its disk exits at start-up, as redis-server does.
      startReply(world.startNode(port), port, out);
    },
  },
  pause: {
    arity: [0, 0],
    help: 'SIM PAUSE -- stop virtual time.',
    run: (_w, _a, out, time) => {
      if (!needTime(time, out)) return;
      time.pause();
      out.ok();
    },
  },
  resume: {
    arity: [0, 0],
    help: 'SIM RESUME -- let virtual time run again.',
    run: (_w, _a, out, time) => {
      if (!needTime(time, out)) return;
      time.resume();
      out.ok();
    },
  },
  speed: {
    arity: [0, 1],
    help: 'SIM SPEED [x] -- virtual seconds per wall second, 0.1 to 20 (the current speed without x).',
    run: (_w, args, out, time) => {
      if (!needTime(time, out)) return;
      if (args.length === 0) return out.bulkText(String(time.speed));
      const text = latin1(args[0]);
      const x = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
      if (!(x >= 0.1 && x <= 20)) return out.error('ERR speed must be a number from 0.1 to 20');
      time.setSpeed(x);
      out.ok();
    },
  },
  step: {
    arity: [0, 1],
    help: 'SIM STEP [ms] -- advance virtual time by ms (default 100), paused or not.',
    run: (world, args, out, time) => {
      if (!needTime(time, out)) return;
      const ms = args.length === 0 ? 100 : string2ll(args[0]);
      if (typeof ms !== 'number' || ms < 0 || ms > 86_400_000) return out.error('ERR step must be 0 to 86400000 ms');
      time.step(ms * 1000);
      out.integer(Math.floor(world.nowUs / 1000));
    },
  },
  partition: {
    arity: [2, 2],
    help: 'SIM PARTITION a b -- silently drop all traffic between nodes a and b (connections stay open; timeouts decide).',
    run: (world, args, out) => {
      const link = linkArgs(world, args, out);
      if (!link) return;
      world.network.partition(link[0], link[1]);
      out.ok();
    },
  },
  heal: {
    arity: [0, 2],
    help: 'SIM HEAL [a b] -- end the partition between a and b, or every partition; held bytes flow again.',
    run: (world, args, out) => {
      if (args.length === 1) return out.error("ERR wrong number of arguments for 'sim|heal' command");
      if (args.length === 0) {
        world.network.heal();
        return out.ok();
      }
      const link = linkArgs(world, args, out);
      if (!link) return;
      world.network.heal(link[0], link[1]);
      out.ok();
    },
  },
  reset: {
    arity: [2, 2],
    help: 'SIM RESET a b -- reset the TCP connections between a and b now (both sides see the close at once); replies how many.',
    run: (world, args, out) => {
      const link = linkArgs(world, args, out);
      if (!link) return;
      out.integer(world.network.reset(link[0], link[1]));
    },
  },
  latency: {
    arity: [2, 3],
    help: 'SIM LATENCY a b [ms] -- one-way latency of the link between a and b (its current value without ms).',
    run: (world, args, out) => {
      const link = linkArgs(world, args, out);
      if (!link) return;
      if (args.length === 2) return out.bulkText(String(world.network.link(link[0], link[1]).latencyUs / 1000));
      const ms = amountArg(args[2], 'latency', out);
      if (ms === null) return;
      if (ms > 60_000) return out.error('ERR latency must be at most 60000 ms');
      world.network.setLatency(link[0], link[1], Math.round(ms * 1000));
      out.ok();
    },
  },
  bandwidth: {
    arity: [2, 3],
    help: 'SIM BANDWIDTH a b [bytes-per-sec] -- bandwidth of the link each way, 0 for unlimited (its current value without a number).',
    run: (world, args, out) => {
      const link = linkArgs(world, args, out);
      if (!link) return;
      if (args.length === 2) return out.integer(world.network.link(link[0], link[1]).bandwidth);
      const bps = amountArg(args[2], 'bandwidth', out);
      if (bps === null) return;
      world.network.setBandwidth(link[0], link[1], Math.floor(bps));
      out.ok();
    },
  },
  links: {
    arity: [0, 0],
    help: 'SIM LINKS -- every link whose latency, bandwidth or partition differs from the default.',
    run: (world, _args, out) => {
      const links = world.network.links();
      out.arrayHeader(links.length);
      for (const l of links) {
        out.bulkText(`${l.a} ${l.b} latency_ms=${l.latencyUs / 1000} bandwidth=${l.bandwidth} partitioned=${l.partitioned ? 'yes' : 'no'}`);
      }
    },
  },
  seed: {
    arity: [0, 1],
    help: 'SIM SEED [n] -- a fresh world seeded n: every node new and empty, time back to 0 (the current seed without n).',
    run: (world, args, out, time) => {
      if (args.length === 0) return out.integer(world.seed);
      const n = string2ll(args[0]);
      if (typeof n !== 'number' || n < 0 || n > 0xffffffff) return out.error('ERR seed must be an integer from 0 to 4294967295');
      if (!time?.resetWorld) return out.error('ERR this host cannot start a fresh world: restart it with --seed n');
      time.resetWorld(n);
      out.ok();
    },
  },
  disk: {
    arity: [1, 2],
    help: 'SIM DISK port [file] -- the files on the node\'s disk as "name size" (kept while it is down), or one file\'s bytes (nil when there is none).',
    run: (world, args, out) => {
      const port = knownPort(world, args[0], out);
      if (port === null) return;
      const disk = world.disk(port);
      if (args.length === 2) {
        const name = latin1(args[1]);
        // A name in the node's dir, as dbfilename must be: no path (under serve the disk is a real directory).
        if (name === '' || name === '.' || name === '..' || name.includes('/')) return out.error(`ERR not a file name: '${name}'`);
        const file = disk.read(name);
        return file ? out.bulk(file) : out.nil();
      }
      const files = disk.list();
      out.arrayHeader(files.length);
      for (const f of files) out.bulkText(`${f.name} ${f.size}`);
    },
  },
  load: {
    arity: [2, 2],
    help: 'SIM LOAD port rdb -- put the bytes on the node\'s disk as its dbfilename and start it from them (killed first if running, so nothing is saved over them).',
    run: (world, args, out) => {
      const port = knownPort(world, args[0], out);
      if (port === null) return;
      // As SIM START: a file the node cannot load stops it at start-up, and its log says why.
      startReply(world.loadDump(port, args[1]), port, out);
    },
  },
  time: {
    arity: [0, 0],
    help: 'SIM TIME -- virtual time in milliseconds since the world began.',
    run: (world, _a, out) => out.integer(Math.floor(world.nowUs / 1000)),
  },
};

/** What no host can do yet; these answer honestly instead of pretending. */
const NOT_YET = new Set<string>();

/** Runs one SIM command (argv[0] is "SIM") and returns its RESP reply. */
export function runSimCommand(world: World, argv: readonly Uint8Array[], time: TimeControl | null, out = new ReplyWriter()): Uint8Array {
  if (argv.length < 2) {
    out.error("ERR wrong number of arguments for 'sim' command");
    return out.take();
  }
  const name = lowerAscii(argv[1]);
  const args = argv.slice(2);
  if (name === 'help') {
    const lines = ['SIM <subcommand> [<arg> ...]. Subcommands are:', ...Object.values(SUBCOMMANDS).map((s) => s.help)];
    out.arrayHeader(lines.length);
    for (const l of lines) out.status(l);
    return out.take();
  }
  const sub = SUBCOMMANDS[name];
  if (!sub) {
    out.error(NOT_YET.has(name) ? `ERR SIM ${name.toUpperCase()} is not implemented yet (see docs/compat.md)` : `ERR unknown subcommand '${latin1(argv[1])}'. Try SIM HELP.`);
    return out.take();
  }
  if (args.length < sub.arity[0] || args.length > sub.arity[1]) {
    out.error(`ERR wrong number of arguments for 'sim|${name}' command`);
    return out.take();
  }
  sub.run(world, args, out, time);
  return out.take();
}
