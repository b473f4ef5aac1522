// Parses `npm run serve` arguments (DESIGN.md section 2.3).

export interface ServeOptions {
  nodes: number;
  port: number;
  host: string;
  seed: number;
  /** The SIM language over RESP (DESIGN.md 2.2), when given. */
  controlPort?: number;
  /** redis-server style `--<directive> <value>` pairs for every node's initial config. */
  directives: Array<[string, string[]]>;
}

export class UsageError extends Error {}

// Parts of the contract that arrive with the replication and persistence
// issues; until then they are refused rather than silently ignored.
const NOT_YET = new Set(['log-dir', 'data-dir']);

export function parseServeArgs(argv: readonly string[]): ServeOptions {
  const opts: ServeOptions = { nodes: 3, port: 6379, host: '127.0.0.1', seed: 1, directives: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument '${arg}'`);
    const name = arg.slice(2);
    const value = argv[i + 1];
    const int = (min: number, max: number) => {
      const n = Number(value);
      if (value === undefined || !Number.isInteger(n) || n < min || n > max) {
        throw new UsageError(`--${name} takes an integer from ${min} to ${max}`);
      }
      i++;
      return n;
    };
    switch (name) {
      case 'nodes':
        opts.nodes = int(1, 64);
        break;
      case 'port':
        opts.port = int(1, 65535);
        break;
      case 'control-port':
        opts.controlPort = int(1, 65535);
        break;
      case 'seed':
        opts.seed = int(0, 2 ** 32 - 1);
        break;
      case 'host':
        if (!value) throw new UsageError('--host takes an address');
        opts.host = value;
        i++;
        break;
      case 'help':
        throw new UsageError('');
      default: {
        if (NOT_YET.has(name)) throw new UsageError(`--${name} is not implemented yet (see docs/compat.md)`);
        // A directive takes the words up to the next --option, as redis-server reads them.
        const values: string[] = [];
        while (i + 1 < argv.length && !argv[i + 1].startsWith('--')) values.push(argv[++i]);
        opts.directives.push([name, values]);
      }
    }
  }
  if (opts.port + opts.nodes - 1 > 65535) throw new UsageError('--port plus --nodes goes past port 65535');
  return opts;
}

export const USAGE = `Usage: npm run serve -- [--nodes N] [--port P] [--host H] [--seed S] [--control-port C]
Starts N simulated Redis 7.0 nodes listening on H:P .. H:P+N-1 (defaults: 3, 6379, 127.0.0.1).`;
