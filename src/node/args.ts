// Parses `npm run serve` arguments (DESIGN.md section 2.3).

export interface ServeOptions {
  nodes: number;
  port: number;
  host: string;
  seed: number;
  /** The SIM language over RESP (DESIGN.md 2.2), when given. */
  controlPort?: number;
  /** --log-dir: each node's log in DIR/<port>.log instead of stdout. */
  logDir?: string;
  /** --data-dir: each node's disk as real files in DIR/<port>/. */
  dataDir?: string;
  /** redis-server style `--<directive> <value>` pairs for every node's initial config. */
  directives: Array<[string, string[]]>;
}

export class UsageError extends Error {}


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
      case 'log-dir':
      case 'data-dir':
        if (!value || value.startsWith('--')) throw new UsageError(`--${name} takes a directory`);
        if (name === 'log-dir') opts.logDir = value;
        else opts.dataDir = value;
        i++;
        break;
      case 'help':
        throw new UsageError('');
      default: {
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

export const USAGE = `Usage: npm run serve -- [--nodes N] [--port P] [--host H] [--seed S] [--control-port C] [--log-dir DIR] [--data-dir DIR] [--<directive> <value> ...]
Starts N simulated Redis 7.0 nodes listening on H:P .. H:P+N-1 (defaults: 3, 6379, 127.0.0.1).
--log-dir writes each node's log to DIR/<port>.log; --data-dir keeps each node's files in DIR/<port>/;
other --<directive> <value> arguments set that directive for every node, as redis-server takes them.`;
