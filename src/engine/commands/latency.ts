// LATENCY DOCTOR, GRAPH, HISTORY, LATEST, RESET, HISTOGRAM, HELP
// (latencyCommand in latency.c of 7.0.15); the monitor is src/engine/latency.ts.
import type { CommandContext, Handler } from './context.ts';
import { writeHelp } from './help.ts';
import { COMMAND_TABLE } from './table.generated.ts';
import type { CommandSpec } from './spec.ts';
import { eachCommand } from '../info/info.ts';
import { writeVerbatim } from '../info/verbatim.ts';
import { cString, latin1, lowerAscii } from '../bytes.ts';
import { Err } from '../errors.ts';

const history: Handler = ({ node, argv, reply }) => {
  const ts = node.latency.events.get(latin1(cString(argv[2])));
  const samples = ts ? node.latency.history(ts) : [];
  reply.arrayHeader(samples.length);
  for (const s of samples) {
    reply.arrayHeader(2);
    reply.integer(s.time);
    reply.integer(s.latency);
  }
};

const graph: Handler = ({ node, argv, reply }) => {
  const event = latin1(cString(argv[2]));
  const ts = node.latency.events.get(event);
  if (!ts) return reply.error(Err.latencyNoSamples(event));
  writeVerbatim(reply, node.latency.graph(event, ts));
};

const latest: Handler = ({ node, reply }) => {
  reply.arrayHeader(node.latency.events.size);
  for (const [event, ts] of node.latency.events) {
    const last = node.latency.latest(ts);
    reply.arrayHeader(4);
    reply.bulkText(event);
    reply.integer(last.time);
    reply.integer(last.latency);
    reply.integer(ts.max);
  }
};

const doctor: Handler = ({ node, reply }) => {
  writeVerbatim(reply, node.latency.report());
};

const reset: Handler = ({ node, argv, reply }) => {
  if (argv.length === 2) return reply.integer(node.latency.reset(null));
  let n = 0;
  for (const event of argv.slice(2)) n += node.latency.reset(latin1(cString(event)));
  reply.integer(n);
};

/**
 * fillCommandCDF: the calls a histogram holds and its cumulative counts by
 * bucket; a call takes no virtual time, so every sample is in the first
 * bucket, reported as 1 microsecond.
 */
function writeCdf(ctx: CommandContext, spec: CommandSpec, samples: number): void {
  const { reply } = ctx;
  reply.bulkText(spec.name);
  reply.mapHeader(2);
  reply.bulkText('calls');
  reply.integer(samples);
  reply.bulkText('histogram_usec');
  reply.mapHeader(1);
  reply.integer(1);
  reply.integer(samples);
}

const histogram: Handler = (ctx) => {
  const { node, argv, reply } = ctx;
  const samples = (spec: CommandSpec) => node.stats.commands.get(spec.name)?.latencySamples ?? 0;
  const listed: CommandSpec[] = [];
  if (argv.length === 2) {
    eachCommand(COMMAND_TABLE, (spec) => void (samples(spec) > 0 && listed.push(spec)));
  } else {
    // lookupCommandBySds: "name" or "container|sub"; unknown names are skipped.
    for (const arg of argv.slice(2)) {
      const name = lowerAscii(arg);
      const [top, sub] = name.split('|', 2);
      let spec = COMMAND_TABLE.find((c) => c.name === top);
      if (spec && sub !== undefined) spec = spec.subcommands?.find((c) => c.name === name);
      if (!spec || (sub !== undefined && name.split('|').length > 2)) continue;
      if (samples(spec) > 0) listed.push(spec);
      if (sub === undefined) for (const s of spec.subcommands ?? []) if (samples(s) > 0) listed.push(s);
    }
  }
  reply.mapHeader(listed.length);
  for (const spec of listed) writeCdf(ctx, spec, samples(spec));
};

const HELP = [
  'DOCTOR',
  '    Return a human readable latency analysis report.',
  'GRAPH <event>',
  '    Return an ASCII latency graph for the <event> class.',
  'HISTORY <event>',
  '    Return time-latency samples for the <event> class.',
  'LATEST',
  '    Return the latest latency samples for all events.',
  'RESET [<event> ...]',
  '    Reset latency data of one or more <event> classes.',
  '    (default: reset all data for all event classes)',
  'HISTOGRAM [COMMAND ...]',
  '    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.',
  '    If no commands are specified then all histograms are replied.',
];

export const latencyHandlers: Record<string, Handler> = {
  'latency|history': history,
  'latency|graph': graph,
  'latency|latest': latest,
  'latency|doctor': doctor,
  'latency|reset': reset,
  'latency|histogram': histogram,
  'latency|help': ({ argv, reply }) => writeHelp(reply, argv[0], HELP),
};
