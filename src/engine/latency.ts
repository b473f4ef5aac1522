// The latency monitor (latency.c of 7.0.15): per event class, the last
// LATENCY_TS_LEN samples of one second each (the worst of that second) and
// the all-time worst, recorded when an event took latency-monitor-threshold
// milliseconds or more; LATENCY DOCTOR's report and LATENCY GRAPH's
// sparkline are made from them. Durations are virtual time: a command
// takes none unless it holds the node (DEBUG SLEEP), so the events here are
// "command" and "fast-command" ones from such commands.

import type { RedisNode } from './node.ts';

const LATENCY_TS_LEN = 160;
const GRAPH_COLUMNS = 80;

export interface LatencySample {
  /** Unix seconds; 0 for a free slot. */
  time: number;
  latency: number;
}

export interface LatencySeries {
  idx: number;
  max: number;
  readonly samples: LatencySample[];
}

export class LatencyMonitor {
  /** By event name, in the order they first happened. */
  readonly events = new Map<string, LatencySeries>();

  constructor(private readonly node: RedisNode) {}

  private get now(): number {
    return Math.floor(this.node.options.clock.unixMs / 1000);
  }

  /** latencyAddSampleIfNeeded: ms is whole milliseconds (a duration in µs / 1000). */
  addIfNeeded(event: string, ms: number): void {
    const threshold = this.node.config.latencyMonitorThreshold;
    if (threshold === 0 || ms < threshold) return;
    let ts = this.events.get(event);
    if (!ts) {
      ts = { idx: 0, max: 0, samples: Array.from({ length: LATENCY_TS_LEN }, () => ({ time: 0, latency: 0 })) };
      this.events.set(event, ts);
    }
    const now = this.now;
    if (ms > ts.max) ts.max = ms;
    // A second sample in the same second keeps the worse of the two.
    const prev = ts.samples[(ts.idx + LATENCY_TS_LEN - 1) % LATENCY_TS_LEN];
    if (prev.time === now) {
      if (ms > prev.latency) prev.latency = ms;
      return;
    }
    ts.samples[ts.idx] = { time: now, latency: ms };
    ts.idx = (ts.idx + 1) % LATENCY_TS_LEN;
  }

  /** latencyResetEvent: one event (by strcasecmp) or all; how many went. */
  reset(event: string | null): number {
    let n = 0;
    for (const name of [...this.events.keys()]) {
      if (event === null || name.toLowerCase() === event.toLowerCase()) {
        this.events.delete(name);
        n++;
      }
    }
    return n;
  }

  /** The used slots, oldest first (latencyCommandReplyWithSamples). */
  history(ts: LatencySeries): LatencySample[] {
    const out: LatencySample[] = [];
    for (let j = 0; j < LATENCY_TS_LEN; j++) {
      const s = ts.samples[(ts.idx + j) % LATENCY_TS_LEN];
      if (s.time !== 0) out.push(s);
    }
    return out;
  }

  latest(ts: LatencySeries): LatencySample {
    return ts.samples[(ts.idx + LATENCY_TS_LEN - 1) % LATENCY_TS_LEN];
  }

  /** createLatencyReport. */
  report(): string {
    const config = this.node.config;
    const threshold = config.latencyMonitorThreshold;
    if (this.events.size === 0 && threshold === 0) {
      return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n";
    }
    let report = '';
    let eventnum = 0;
    let advices = 0;
    const advise = { slowlogEnabled: false, slowlogTuning: false, slowlogInspect: false, scheduler: false, hz: false, largeObjects: false };
    for (const [event, ts] of this.events) {
      eventnum++;
      if (eventnum === 1) report += "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n";
      const ls = this.analyze(ts);
      report += `${eventnum}. ${event}: ${ls.samples} latency spikes (average ${ls.avg}ms, mean deviation ${ls.mad}ms, period ${printf2(ls.period / ls.samples)} sec). Worst all time event ${ts.max}ms.`;
      const name = event.toLowerCase();
      if (name === 'command') {
        if (config.slowlogLogSlowerThan < 0) {
          advise.slowlogEnabled = true;
          advices++;
        } else if (Math.trunc(config.slowlogLogSlowerThan / 1000) > threshold) {
          advise.slowlogTuning = true;
          advices++;
        }
        advise.slowlogInspect = true;
        advise.largeObjects = true;
        advices += 2;
      }
      if (name === 'fast-command') {
        advise.scheduler = true;
        advices++;
      }
      if (name === 'expire-cycle') {
        advise.hz = true;
        advise.largeObjects = true;
        advices += 2;
      }
      report += '\n';
    }
    // THPGetAnonHugePagesSize reads the process's smaps: a simulated process has no huge pages.
    if (eventnum === 0 && advices === 0) {
      return report + 'Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n';
    }
    if (advices === 0) {
      return report + "\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the Redis community to get some help, providing this report in your help request.\n";
    }
    report += '\nI have a few advices for you:\n\n';
    if (advise.slowlogEnabled) {
      report += `- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than ${threshold * 1000}'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n`;
    }
    if (advise.slowlogTuning) {
      report += `- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than ${threshold * 1000}'.\n`;
    }
    if (advise.slowlogInspect) {
      report += '- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n';
    }
    if (advise.scheduler) {
      report +=
        '- The system is slow to execute Redis code paths not containing system calls. This usually means the system does not provide Redis CPU time to run for long periods. You should try to:\n' +
        '  1) Lower the system load.\n' +
        '  2) Use a computer / VM just for Redis if you are running other software in the same system.\n' +
        '  3) Check if you have a "noisy neighbour" problem.\n' +
        "  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n" +
        '  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using Jemalloc. However this may create fragmentation problems.\n';
    }
    if (advise.hz && config.hz < 100) {
      report += "- In order to make the Redis keys expiring process more incremental, try to set the 'hz' configuration parameter to 100 using 'CONFIG SET hz 100'.\n";
    }
    if (advise.largeObjects) {
      report += '- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n';
    }
    return report;
  }

  /** analyzeLatencyForEvent: integer average and mean deviation, period in seconds since the oldest sample. */
  private analyze(ts: LatencySeries): { samples: number; avg: number; mad: number; period: number } {
    let samples = 0;
    let sum = 0;
    let oldest = 0;
    for (const s of ts.samples) {
      if (s.time === 0) continue;
      samples++;
      sum += s.latency;
      if (oldest === 0 || s.time < oldest) oldest = s.time;
    }
    if (samples === 0) return { samples: 0, avg: 0, mad: 0, period: 0 };
    const avg = Math.floor(sum / samples);
    let period = this.now - oldest;
    if (period === 0) period = 1;
    let dev = 0;
    for (const s of ts.samples) if (s.time !== 0) dev += Math.abs(avg - s.latency);
    return { samples, avg, mad: Math.floor(dev / samples), period };
  }

  /** latencyCommandGenSparkeline: a title, a rule, then the samples as a 4-row filled sparkline labelled with their age. */
  graph(event: string, ts: LatencySeries): string {
    const samples = this.history(ts);
    let min = 0;
    let max = 0;
    const seq: { value: number; label: string }[] = [];
    for (const s of samples) {
      if (seq.length === 0) min = max = s.latency;
      else {
        if (s.latency > max) max = s.latency;
        if (s.latency < min) min = s.latency;
      }
      seq.push({ value: s.latency, label: age(this.now - s.time) });
    }
    let out = `${event} - high ${max} ms, low ${min} ms (all time high ${ts.max} ms)\n`;
    out += '-'.repeat(GRAPH_COLUMNS) + '\n';
    return out + sparkline(seq, GRAPH_COLUMNS, 4);
  }
}

/** The age label of a sample: seconds, minutes, hours or days ago. */
function age(elapsed: number): string {
  if (elapsed < 60) return `${elapsed}s`;
  if (elapsed < 3600) return `${Math.trunc(elapsed / 60)}m`;
  if (elapsed < 3600 * 24) return `${Math.trunc(elapsed / 3600)}h`;
  return `${Math.trunc(elapsed / (3600 * 24))}d`;
}

const FILL = '_o#';
const CHARSET_LEN = 3;

/** sparklineRender with SPARKLINE_FILL (sparkline.c): chunks of `columns` samples, each `rows` rows high plus its labels. */
function sparkline(seq: readonly { value: number; label: string }[], columns: number, rows: number): string {
  if (seq.length === 0) return '';
  // sparklineSequenceAddSample keeps min and max with an else-if, as here.
  let min = seq[0].value;
  let max = seq[0].value;
  for (const s of seq.slice(1)) {
    if (s.value < min) min = s.value;
    else if (s.value > max) max = s.value;
  }
  let out = '';
  for (let j = 0; j < seq.length; j += columns) {
    if (j !== 0) out += '\n';
    out += renderRange(seq.slice(j, j + columns), min, max, rows);
  }
  return out;
}

function renderRange(part: readonly { value: number; label: string }[], min: number, max: number, rows: number): string {
  let relmax = max - min;
  if (relmax === 0) relmax = 1;
  const steps = CHARSET_LEN * rows;
  let out = '';
  for (let row = 0; ; row++) {
    let loop = false;
    const chars: string[] = new Array(part.length).fill(' ');
    for (let j = 0; j < part.length; j++) {
      const s = part[j];
      // (int)(relval*steps)/relmax, then truncated into an int.
      let step = Math.trunc(Math.trunc((s.value - min) * steps) / relmax);
      if (step < 0) step = 0;
      if (step >= steps) step = steps - 1;
      if (row < rows) {
        const charidx = step - (rows - row - 1) * CHARSET_LEN;
        loop = true;
        if (charidx >= 0 && charidx < CHARSET_LEN) chars[j] = FILL[charidx];
        else if (charidx >= CHARSET_LEN) chars[j] = '|';
      } else {
        // One row of margin above the labels (every sample has one).
        if (row - rows < 1) {
          loop = true;
          break;
        }
        const labelChar = row - rows - 1;
        if (s.label.length > labelChar) {
          loop = true;
          chars[j] = s.label[labelChar];
        }
      }
    }
    if (!loop) break;
    out += chars.join('') + '\n';
  }
  return out;
}

/**
 * printf("%.2f"): toFixed rounds an exact tie up, glibc to even. A tie at
 * the third decimal is exact only for multiples of 1/8 (x * 100 is then exact).
 */
function printf2(x: number): string {
  const scaled = x * 100;
  if (!Number.isInteger(scaled) && Number.isInteger(scaled * 2)) {
    const down = Math.floor(scaled);
    return ((down % 2 === 0 ? down : down + 1) / 100).toFixed(2);
  }
  return x.toFixed(2);
}
