// The node's log, in Redis's format: "<pid>:<role> <DD Mon YYYY HH:MM:SS.mmm> <level> <message>".
// The time comes from the simulation's clock; the sink is the host's.

export type LogLevel = 'debug' | 'verbose' | 'notice' | 'warning';
export const LEVEL_CHAR: Record<LogLevel, string> = { debug: '.', verbose: '-', notice: '*', warning: '#' };
const LEVEL_RANK: Record<LogLevel, number> = { debug: 0, verbose: 1, notice: 2, warning: 3 };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface LogLine {
  /** Virtual time, in microseconds since the world's epoch. */
  readonly timeUs: number;
  readonly level: LogLevel;
  readonly text: string;
}

export interface Logger {
  log(level: LogLevel, message: string): void;
  warning(message: string): void;
  notice(message: string): void;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Formats a wall-clock time (ms since the Unix epoch, UTC plus an offset) as Redis does. */
export function formatLogTime(unixMs: number, utcOffsetMinutes = 0): string {
  const d = new Date(unixMs + utcOffsetMinutes * 60_000);
  return `${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

export function formatLogLine(pid: number, roleChar: string, unixMs: number, level: LogLevel, text: string, utcOffsetMinutes = 0): string {
  return `${pid}:${roleChar} ${formatLogTime(unixMs, utcOffsetMinutes)} ${LEVEL_CHAR[level]} ${text}`;
}

/** A logger that drops lines below `verbosity`, as Redis's loglevel does. */
export function makeLogger(verbosity: () => LogLevel, write: (level: LogLevel, text: string) => void): Logger {
  const log = (level: LogLevel, text: string) => {
    if (LEVEL_RANK[level] >= LEVEL_RANK[verbosity()]) write(level, text);
  };
  return { log, warning: (t) => log('warning', t), notice: (t) => log('notice', t) };
}
