// Network: the simulated TCP links between nodes, driven by the real clock
// and event queue the way World.runUntil drives them.
import { describe, expect, it } from 'vitest';
import { Clock } from '../../src/sim/clock.ts';
import { EventQueue } from '../../src/sim/queue.ts';
import { Network, SEGMENT_BYTES, type NetSocket, type PacketEvent, type SocketHandlers } from '../../src/sim/network.ts';

/** A clock, an event queue and a network, stepped like World.runUntil. */
class Harness {
  readonly clock = new Clock(0);
  readonly queue = new EventQueue();
  readonly traces: string[] = [];
  /** Everything the sockets saw, as "time who what". */
  readonly log: string[] = [];
  readonly net: Network;
  eventsRun = 0;

  constructor() {
    this.net = new Network(
      this.clock,
      (delayUs, run) => this.queue.push(this.clock.nowUs + delayUs, run),
      (kind, detail) => this.traces.push(`${this.clock.nowUs} ${kind} ${detail}`),
    );
  }

  get now(): number {
    return this.clock.nowUs;
  }

  runUntil(us: number): void {
    for (;;) {
      const next = this.queue.peek();
      if (!next || next.timeUs > us) break;
      this.queue.pop();
      this.clock.advanceTo(Math.max(this.clock.nowUs, next.timeUs));
      if (!next.cancelled) {
        this.eventsRun++;
        next.run();
      }
    }
    if (us > this.clock.nowUs) this.clock.advanceTo(us);
  }

  runFor(us: number): void {
    this.runUntil(this.now + us);
  }

  /** Runs until nothing is left to happen. */
  settle(): void {
    for (let guard = 0; this.queue.size > 0; guard++) {
      if (guard > 1_000_000) throw new Error('the network never settles');
      this.runUntil(this.queue.peek()!.timeUs);
    }
  }

  note(who: string, what: string): void {
    this.log.push(`${this.now} ${who} ${what}`);
  }
}

/** Handlers that note every event and keep what arrived. */
class Endpoint implements SocketHandlers {
  readonly chunks: Uint8Array[] = [];
  closedHow: 'closed' | 'reset' | null = null;
  closedAt = -1;
  socket: NetSocket | null = null;

  constructor(
    private readonly h: Harness,
    readonly name: string,
  ) {}

  data(bytes: Uint8Array): void {
    this.h.note(this.name, `data ${bytes.length}`);
    this.chunks.push(bytes);
  }

  closed(how: 'closed' | 'reset'): void {
    this.h.note(this.name, `closed ${how}`);
    expect(this.closedHow).toBeNull();
    this.closedHow = how;
    this.closedAt = this.h.now;
  }

  get received(): number {
    return this.chunks.reduce((n, c) => n + c.length, 0);
  }

  text(): string {
    return this.chunks.map((c) => String.fromCharCode(...c)).join('');
  }
}

/** A node listening on `port`; each accepted socket gets its own Endpoint. */
function serve(h: Harness, port: number): Endpoint[] {
  const accepted: Endpoint[] = [];
  h.net.listen(port, (socket) => {
    const e = new Endpoint(h, `${port}#${socket.id}`);
    e.socket = socket;
    h.note(e.name, `accept from ${socket.remote.port}`);
    accepted.push(e);
    return e;
  });
  return accepted;
}

interface Dial {
  readonly client: Endpoint;
  refusedAt: number;
  connectedAt: number;
  cancel(): void;
}

function dial(h: Harness, from: number, to: number): Dial {
  const client = new Endpoint(h, `${from}->${to}`);
  const d: Dial = { client, refusedAt: -1, connectedAt: -1, cancel: () => attempt.cancel() };
  const attempt = h.net.connect(from, to, {
    connected: (socket) => {
      d.connectedAt = h.now;
      client.socket = socket;
      h.note(client.name, 'connected');
      return client;
    },
    refused: () => {
      d.refusedAt = h.now;
      h.note(client.name, 'refused');
    },
  });
  return d;
}

/** Connects from `from` to a node serving on `to` and runs until both sides hold their socket. */
function established(h: Harness, from: number, to: number, accepted: Endpoint[]): { client: NetSocket; server: NetSocket; c: Endpoint; s: Endpoint } {
  const before = accepted.length;
  const d = dial(h, from, to);
  h.settle();
  expect(d.connectedAt).toBeGreaterThanOrEqual(0);
  return { client: d.client.socket!, server: accepted[before].socket!, c: d.client, s: accepted[before] };
}

function bytesOf(n: number, seed = 0): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

describe('Network: connecting', () => {
  it('accepts after one latency and reports the client connected after a round trip', () => {
    const h = new Harness();
    const accepted = serve(h, 6379);
    const d = dial(h, 6380, 6379);
    h.runUntil(99);
    expect(accepted).toHaveLength(0);
    h.runUntil(100);
    expect(accepted).toHaveLength(1);
    expect(d.connectedAt).toBe(-1);
    h.runUntil(200);
    expect(d.connectedAt).toBe(200);
    const client = d.client.socket!;
    const server = accepted[0].socket!;
    expect(client.id).toBe(server.id);
    expect(client.open && server.open).toBe(true);
    expect(client.local).toEqual({ ip: '127.0.0.1', port: 50000 });
    expect(client.remote).toEqual({ ip: '127.0.0.1', port: 6379 });
    expect(server.local).toEqual({ ip: '127.0.0.1', port: 6379 });
    expect(server.remote).toEqual({ ip: '127.0.0.1', port: 50000 });
  });

  it('takes the latency set on the link for each leg of the handshake and for data', () => {
    const h = new Harness();
    const accepted = serve(h, 6379);
    h.net.setLatency(6379, 6380, 5000);
    const d = dial(h, 6380, 6379);
    h.runUntil(4999);
    expect(accepted).toHaveLength(0);
    h.runUntil(5000);
    expect(accepted).toHaveLength(1);
    h.runUntil(10_000);
    expect(d.connectedAt).toBe(10_000);
    d.client.socket!.write(ascii('PING\r\n'));
    h.runUntil(14_999);
    expect(accepted[0].received).toBe(0);
    h.runUntil(15_000);
    expect(accepted[0].text()).toBe('PING\r\n');
  });

  it('gives every connection its own ephemeral port, counting up from 50000', () => {
    const h = new Harness();
    const accepted = serve(h, 6379);
    serve(h, 6381);
    dial(h, 6380, 6379);
    dial(h, 6380, 6381);
    dial(h, 6381, 6379);
    expect(h.net.ephemeralPort()).toBe(50003);
    h.settle();
    expect(accepted.map((e) => e.socket!.remote.port)).toEqual([50000, 50002]);
  });

  it('refuses a connection to a port nothing listens on after one round trip', () => {
    const h = new Harness();
    const d = dial(h, 6380, 6379);
    h.runUntil(199);
    expect(d.refusedAt).toBe(-1);
    h.runUntil(200);
    expect(d.refusedAt).toBe(200);
    expect(d.client.socket).toBeNull();
    expect(h.traces).toContain('200 net.refused 6380:50000->6379');
    expect(h.net.sockets()).toEqual([]);
  });

  it('refuses connections once the node stops listening, and accepts again when it listens again', () => {
    const h = new Harness();
    serve(h, 6379);
    h.net.unlisten(6379);
    const d = dial(h, 6380, 6379);
    h.settle();
    expect(d.refusedAt).toBe(200);
    const accepted = serve(h, 6379);
    const again = dial(h, 6380, 6379);
    h.settle();
    expect(again.connectedAt).toBe(400);
    expect(accepted).toHaveLength(1);
  });

  it('checks for a listener when the SYN arrives, not when it is sent', () => {
    const h = new Harness();
    serve(h, 6379);
    const d = dial(h, 6380, 6379);
    h.runUntil(50);
    h.net.unlisten(6379);
    h.settle();
    expect(d.refusedAt).toBe(200);
  });

  it('stops an attempt when cancelled before the server accepts', () => {
    const h = new Harness();
    const accepted = serve(h, 6379);
    const d = dial(h, 6380, 6379);
    h.runUntil(50);
    d.cancel();
    h.settle();
    expect(accepted).toHaveLength(0);
    expect(d.connectedAt).toBe(-1);
    expect(d.refusedAt).toBe(-1);
  });

  it('closes the server side when an attempt is cancelled after the server accepted', () => {
    const h = new Harness();
    const accepted = serve(h, 6379);
    const d = dial(h, 6380, 6379);
    h.runUntil(150);
    expect(accepted).toHaveLength(1);
    d.cancel();
    h.settle();
    expect(d.connectedAt).toBe(-1);
    expect(accepted[0].closedHow).toBe('closed');
    expect(accepted[0].closedAt).toBe(250);
    expect(h.net.sockets()).toEqual([]);
  });

  it('keeps data that arrives before the client is connected until its handlers are set', () => {
    const h = new Harness();
    const order: string[] = [];
    h.net.listen(6379, (socket) => {
      // The reply leg gets faster than the SYN-ACK already on its way.
      h.net.setLatency(6379, 6380, 10);
      socket.write(ascii('hello'));
      return { data: () => {}, closed: () => {} };
    });
    h.net.connect(6380, 6379, {
      connected: () => {
        order.push(`connected ${h.now}`);
        return { data: (b) => order.push(`data ${String.fromCharCode(...b)} ${h.now}`), closed: () => order.push('closed') };
      },
      refused: () => order.push('refused'),
    });
    h.settle();
    expect(order).toEqual(['connected 200', 'data hello 200']);
  });
});

describe('Network: data', () => {
  it('delivers bytes in order, cut into segments of at most 16 KB', () => {
    const h = new Harness();
    const accepted = serve(h, 6379);
    const { client, s } = established(h, 6380, 6379, accepted);
    const big = bytesOf(40_000);
    const small = bytesOf(100, 7);
    const t0 = h.now;
    client.write(big);
    client.write(small);
    h.settle();
    expect(s.chunks.map((c) => c.length)).toEqual([16384, 16384, 40_000 - 2 * 16384 + 100]);
    expect(concat(s.chunks)).toEqual(concat([big, small]));
    // With no bandwidth limit everything written in one instant arrives in one instant.
    expect(h.log.filter((l) => l.includes('data')).map((l) => Number(l.split(' ')[0]))).toEqual([t0 + 100, t0 + 100, t0 + 100]);
  });

  it('gathers small writes made in one instant into one read, and keeps writes made at different instants apart', () => {
    const h = new Harness();
    const accepted = serve(h, 6379);
    const { client, s } = established(h, 6380, 6379, accepted);
    client.write(ascii('SET a 1\r\n'));
    client.write(ascii('SET b 2\r\n'));
    h.runFor(10);
    client.write(ascii('GET a\r\n'));
    h.settle();
    expect(s.chunks.map((c) => String.fromCharCode(...c))).toEqual(['SET a 1\r\nSET b 2\r\n', 'GET a\r\n']);
  });

  it('carries both directions independently', () => {
    const h = new Harness();
    const accepted = serve(h, 6379);
    const { client, server, c, s } = established(h, 6380, 6379, accepted);
    client.write(ascii('PING\r\n'));
    server.write(ascii('+HELLO\r\n'));
    h.settle();
    expect(s.text()).toBe('PING\r\n');
    expect(c.text()).toBe('+HELLO\r\n');
  });

  it('keeps delivery in order when the latency drops while bytes are in the air', () => {
    const h = new Harness();
    const accepted = serve(h, 6379);
    const { client, s } = established(h, 6380, 6379, accepted);
    h.net.setLatency(6379, 6380, 10_000);
    client.write(ascii('first'));
    h.runFor(1);
    h.net.setLatency(6379, 6380, 10);
    client.write(ascii('second'));
    h.settle();
    expect(s.chunks.map((c) => String.fromCharCode(...c))).toEqual(['first', 'second']);
  });

  it('sends 1 MB over a 1 MB/s link in about a second, with progress visible on the way', () => {
    const h = new Harness();
    const accepted = serve(h, 6379);
    const { server, c } = established(h, 6380, 6379, accepted);
    h.net.setBandwidth(6379, 6380, 1_000_000);
    const t0 = h.now;
    server.write(bytesOf(1_000_000));
    expect(server.unsent).toBe(1_000_000);
    h.runUntil(t0 + 500_000);
    // 30 full segments of 16384 bytes have finished by 491,520 µs and arrived
    // 100 µs later; the 31st is still on the wire, so it counts as unsent.
    expect(c.received).toBe(30 * 16384);
    expect(server.unsent).toBe(1_000_000 - 30 * 16384);
    h.runUntil(t0 + 1_000_099);
    expect(c.received).toBeLessThan(1_000_000);
    expect(server.unsent).toBe(0);
    h.runUntil(t0 + 1_000_100);
    expect(c.received).toBe(1_000_000);
  });

  it('rounds transmission time up to whole microseconds', () => {
    const h = new Harness();
    const accepted = serve(h, 6379);
    const { client, s } = established(h, 6380, 6379, accepted);
    h.net.setBandwidth(6379, 6380, 3);
    const t0 = h.now;
    client.write(ascii('x'));
    h.settle();
    // 1 byte at 3 B/s is 333,333.3 µs, so 333,334 on the wire then 100 in flight.
    expect(s.closedAt).toBe(-1);
    expect(h.log.at(-1)).toBe(`${t0 + 333_334 + 100} 6379#1 data 1`);
  });

  it('shares one wire first come first served among the connections on a link direction', () => {
    const h = new Harness();
    const accepted = serve(h, 6379);
    const a = established(h, 6380, 6379, accepted);
    const b = established(h, 6380, 6379, accepted);
    h.net.setBandwidth(6379, 6380, 1_000_000);
    const t0 = h.now;
    h.log.length = 0;
    a.client.write(bytesOf(32768));
    b.client.write(bytesOf(100));
    // The other direction has a wire of its own.
    a.server.write(bytesOf(100));
    h.settle();
    expect(h.log).toEqual([
      `${t0 + 100 + 100} 6380->6379 data 100`,
      `${t0 + 16384 + 100} 6379#1 data 16384`,
      `${t0 + 32768 + 100} 6379#1 data 16384`,
      `${t0 + 32768 + 100 + 100} 6379#2 data 100`,
    ]);
  });

  it('tells the writer when what it wrote so far is on the wire', () => {
    const h = new Harness();
    const accepted = serve(h, 6379);
    const { client } = established(h, 6380, 6379, accepted);
    const drained: string[] = [];
    client.whenDrained(() => drained.push(`idle ${h.now}`));
    expect(drained).toEqual([`idle ${h.now}`]);
    h.net.setBandwidth(6379, 6380, 1_000_000);
    const t0 = h.now;
    // Whole segments, so the later write cannot share a segment with the first.
    client.write(bytesOf(2 * 16384));
    client.whenDrained(() => drained.push(`first ${h.now - t0}`));
    h.runFor(5_000);
    client.write(bytesOf(10_000));
    client.whenDrained(() => drained.push(`second ${h.now - t0}`));
    expect(client.unsent).toBe(2 * 16384 + 10_000);
    h.settle();
    expect(drained.slice(1)).toEqual([`first ${2 * 16384}`, `second ${2 * 16384 + 10_000}`]);
    expect(client.unsent).toBe(0);
  });

  it('reports every delivered segment with its connection, ends and times', () => {
    const h = new Harness();
    const accepted = serve(h, 6379);
    const { client } = established(h, 6380, 6379, accepted);
    const packets: Omit<PacketEvent, 'data'>[] = [];
    const carried: number[] = [];
    const off = h.net.onPacket(({ data, ...p }) => {
      packets.push(p);
      carried.push(...data);
    });
    h.net.setBandwidth(6379, 6380, 1_000_000);
    const t0 = h.now;
    const sent = bytesOf(20_000);
    client.write(sent);
    h.settle();
    expect(packets).toEqual([
      { socketId: client.id, fromPort: 6380, toPort: 6379, bytes: 16384, sentUs: t0, arriveUs: t0 + 16384 + 100 },
      { socketId: client.id, fromPort: 6380, toPort: 6379, bytes: 3616, sentUs: t0 + 16384, arriveUs: t0 + 20_000 + 100 },
    ]);
    // Each packet carries its segment's bytes, in order.
    expect(carried).toEqual([...sent]);
    off();
    client.write(bytesOf(10));
    h.settle();
    expect(packets).toHaveLength(2);
  });

  it('lists open connections with the bytes still on their way', () => {
    const h = new Harness();
    const accepted = serve(h, 6379);
    const { client } = established(h, 6380, 6379, accepted);
    client.write(bytesOf(500));
    expect(h.net.sockets()).toEqual([
      {
        id: 1,
        clientPort: 6380,
        serverPort: 6379,
        local: { ip: '127.0.0.1', port: 50000 },
        remote: { ip: '127.0.0.1', port: 6379 },
        toServerBytes: 500,
        toClientBytes: 0,
      },
    ]);
    h.runFor(50);
    expect(h.net.sockets()[0].toServerBytes).toBe(500);
    h.settle();
    expect(h.net.sockets()[0].toServerBytes).toBe(0);
  });

  it('moves a 25 MB transfer over an unlimited link in 16 KB reads with a handful of events', () => {
    const h = new Harness();
    const accepted = serve(h, 6379);
    const { server, c } = established(h, 6380, 6379, accepted);
    const size = 25 * 1024 * 1024;
    const payload = bytesOf(size);
    // Written as a replica's RDB transfer would be: in chunks, each drained before the next.
    const chunk = 1024 * 1024;
    let offset = 0;
    const sendMore = (): void => {
      if (offset >= size) return;
      server.write(payload.subarray(offset, offset + chunk));
      offset += chunk;
      server.whenDrained(sendMore);
    };
    const before = h.eventsRun;
    sendMore();
    h.settle();
    expect(c.received).toBe(size);
    expect(c.chunks).toHaveLength(size / SEGMENT_BYTES);
    expect(c.chunks.every((x) => x.length === SEGMENT_BYTES)).toBe(true);
    expect(c.chunks[0][1]).toBe(31);
    expect(c.chunks.at(-1)!.at(-1)).toBe(payload[size - 1]);
    expect(h.eventsRun - before).toBeLessThan(10);
  });
});

describe('Network: partitions', () => {
  it('holds bytes and the close while partitioned and delivers them in order one latency after the heal', () => {
    const h = new Harness();
    const accepted = serve(h, 6379);
    const { client, server, s } = established(h, 6380, 6379, accepted);
    h.net.partition(6380, 6379);
    expect(h.net.link(6379, 6380).partitioned).toBe(true);
    client.write(ascii('one '));
    h.runFor(1000);
    client.write(ascii('two'));
    client.close();
    h.runFor(10_000_000);
    expect(s.received).toBe(0);
    expect(server.open).toBe(true);
    expect(client.unsent).toBe(7);
    const healedAt = h.now;
    h.net.heal(6379, 6380);
    h.settle();
    expect(s.text()).toBe('one two');
    expect(s.closedHow).toBe('closed');
    expect(h.log.slice(-2)).toEqual([`${healedAt + 100} 6379#1 data 7`, `${healedAt + 100} 6379#1 closed closed`]);
  });

  it('holds bytes already in the air when the partition starts', () => {
    const h = new Harness();
    const accepted = serve(h, 6379);
    const { client, s } = established(h, 6380, 6379, accepted);
    client.write(ascii('in flight'));
    h.runFor(50);
    expect(client.unsent).toBe(0);
    h.net.partition(6379, 6380);
    h.runFor(5000);
    expect(s.received).toBe(0);
    const healedAt = h.now;
    h.net.heal();
    h.settle();
    expect(s.text()).toBe('in flight');
    expect(h.log.at(-1)).toBe(`${healedAt + 100} 6379#1 data 9`);
  });

  it('resumes a bandwidth-limited transfer where it stopped', () => {
    const h = new Harness();
    const accepted = serve(h, 6379);
    const { client, s } = established(h, 6380, 6379, accepted);
    h.net.setBandwidth(6379, 6380, 1_000_000);
    const payload = bytesOf(100_000);
    client.write(payload);
    h.runFor(40_000);
    h.net.partition(6379, 6380);
    const got = s.received;
    h.runFor(1_000_000);
    // The segment on the wire at the partition is held with the rest.
    expect(s.received).toBe(got);
    h.net.heal();
    h.settle();
    expect(concat(s.chunks)).toEqual(payload);
  });

  it('leaves a connect hanging while partitioned and completes it after the heal', () => {
    const h = new Harness();
    const accepted = serve(h, 6379);
    h.net.partition(6379, 6380);
    const d = dial(h, 6380, 6379);
    h.runFor(60_000_000);
    expect(accepted).toHaveLength(0);
    expect(d.connectedAt).toBe(-1);
    expect(d.refusedAt).toBe(-1);
    const healedAt = h.now;
    h.net.heal(6380, 6379);
    h.settle();
    expect(h.log).toEqual([`${healedAt + 100} 6379#1 accept from 50000`, `${healedAt + 200} 6380->6379 connected`]);
  });

  it('holds a refusal behind a partition too, and drops a cancelled attempt for good', () => {
    const h = new Harness();
    h.net.partition(6379, 6380);
    const refused = dial(h, 6380, 6379);
    const cancelled = dial(h, 6380, 6381);
    h.net.partition(6380, 6381);
    serve(h, 6381);
    h.runFor(1_000_000);
    cancelled.cancel();
    h.net.heal();
    h.settle();
    expect(refused.refusedAt).toBe(1_000_200);
    expect(cancelled.connectedAt).toBe(-1);
    expect(h.log).toEqual(['1000200 6380->6379 refused']);
  });

  it('leaves other links alone', () => {
    const h = new Harness();
    const accepted = serve(h, 6379);
    const { client, s } = established(h, 6380, 6379, accepted);
    h.net.partition(6379, 6381);
    client.write(ascii('ok'));
    h.settle();
    expect(s.text()).toBe('ok');
  });
});

describe('Network: closing', () => {
  it('closes gracefully: the peer gets every byte and then the close, the closer hears nothing more', () => {
    const h = new Harness();
    const accepted = serve(h, 6379);
    const { client, server, c, s } = established(h, 6380, 6379, accepted);
    const t0 = h.now;
    client.write(bytesOf(50_000));
    client.close();
    expect(client.open).toBe(false);
    server.write(ascii('late reply'));
    h.settle();
    expect(s.received).toBe(50_000);
    expect(s.closedHow).toBe('closed');
    expect(s.closedAt).toBe(t0 + 100);
    expect(h.log.at(-1)).toBe(`${t0 + 100} 6379#1 closed closed`);
    expect(c.received).toBe(0);
    expect(c.closedHow).toBeNull();
    expect(server.open).toBe(false);
    server.write(ascii('ignored'));
    h.settle();
    expect(h.net.sockets()).toEqual([]);
  });

  it('drops bytes written to a peer that has already closed', () => {
    const h = new Harness();
    const accepted = serve(h, 6379);
    const { client, server, c, s } = established(h, 6380, 6379, accepted);
    server.close();
    client.write(ascii('into the void'));
    h.settle();
    expect(c.closedHow).toBe('closed');
    expect(s.received).toBe(0);
    expect(client.open).toBe(false);
  });

  it('lets a node connect to its own port', () => {
    const h = new Harness();
    const accepted = serve(h, 6379);
    const { client, server, c, s } = established(h, 6379, 6379, accepted);
    client.write(ascii('ping'));
    server.write(ascii('pong'));
    h.settle();
    expect([s.text(), c.text()]).toEqual(['ping', 'pong']);
    expect(h.net.reset(6379, 6379)).toBe(1);
    expect([c.closedHow, s.closedHow]).toEqual(['reset', 'reset']);
  });

  it('tells no one anything when both sides close', () => {
    const h = new Harness();
    const accepted = serve(h, 6379);
    const { client, server } = established(h, 6380, 6379, accepted);
    h.log.length = 0;
    client.write(ascii('bye'));
    client.close();
    server.close();
    h.settle();
    expect(h.log).toEqual([]);
    expect(h.net.sockets()).toEqual([]);
  });

  it('resets every connection between two nodes at once, dropping what is in flight', () => {
    const h = new Harness();
    const accepted = serve(h, 6379);
    serve(h, 6381);
    const a = established(h, 6380, 6379, accepted);
    const b = established(h, 6379, 6380, serve(h, 6380));
    const other = established(h, 6381, 6379, accepted);
    h.net.setBandwidth(6379, 6380, 1000);
    a.client.write(bytesOf(5000));
    b.server.write(bytesOf(5000));
    h.net.partition(6379, 6380);
    h.runFor(1000);
    h.log.length = 0;
    const t = h.now;
    expect(h.net.reset(6380, 6379)).toBe(2);
    expect(h.log).toEqual([`${t} 6380->6379 closed reset`, `${t} 6379#1 closed reset`, `${t} 6379->6380 closed reset`, `${t} 6380#2 closed reset`]);
    expect(a.client.open || a.server.open || b.client.open || b.server.open).toBe(false);
    expect(a.client.unsent).toBe(0);
    h.net.heal();
    h.settle();
    expect(h.log).toHaveLength(4);
    expect(h.net.sockets().map((x) => x.id)).toEqual([other.client.id]);
    expect(h.net.reset(6379, 6380)).toBe(0);
  });

  it('makes a connect refused at once when the link is reset while the SYN-ACK is on its way', () => {
    const h = new Harness();
    const accepted = serve(h, 6379);
    const d = dial(h, 6380, 6379);
    h.runUntil(150);
    expect(h.net.reset(6379, 6380)).toBe(1);
    expect(d.refusedAt).toBe(150);
    expect(accepted[0].closedHow).toBe('reset');
    h.settle();
    expect(d.connectedAt).toBe(-1);
  });

  it('closes every socket of a crashed node: its peers see the close after the bytes in flight', () => {
    const h = new Harness();
    const on6379 = serve(h, 6379);
    const on6380 = serve(h, 6380);
    const a = established(h, 6380, 6379, on6379);
    const b = established(h, 6381, 6379, on6379);
    const out = established(h, 6379, 6380, on6380);
    a.server.write(ascii('+OK\r\n'));
    h.net.unlisten(6379);
    h.net.closeAllOf(6379);
    const t = h.now;
    h.log.length = 0;
    h.settle();
    // Ordered by wire: the 6379->6380 direction was already busy with the reply.
    expect(h.log).toEqual([`${t + 100} 6380->6379 data 5`, `${t + 100} 6380->6379 closed closed`, `${t + 100} 6380#3 closed closed`, `${t + 100} 6381->6379 closed closed`]);
    expect(a.s.closedHow ?? b.s.closedHow ?? out.c.closedHow).toBeNull();
    const d = dial(h, 6380, 6379);
    h.settle();
    expect(d.refusedAt).toBe(t + 300);
  });

  it('abandons the connect attempts of a crashed node', () => {
    const h = new Harness();
    const accepted = serve(h, 6379);
    const d = dial(h, 6380, 6379);
    h.runUntil(150);
    h.net.closeAllOf(6380);
    h.settle();
    expect(d.connectedAt).toBe(-1);
    expect(accepted[0].closedHow).toBe('closed');
  });
});

describe('Network: links', () => {
  it('lists only links that differ from the defaults, and forgets a removed node’s settings', () => {
    const h = new Harness();
    expect(h.net.link(6380, 6379)).toEqual({ latencyUs: 100, bandwidth: 0, partitioned: false });
    h.net.setLatency(6380, 6379, 2500);
    h.net.setBandwidth(6379, 6381, 1_000_000);
    h.net.partition(6381, 6380);
    h.net.setLatency(6382, 6383, 100);
    expect(h.net.links()).toEqual([
      { a: 6379, b: 6380, latencyUs: 2500, bandwidth: 0, partitioned: false },
      { a: 6379, b: 6381, latencyUs: 100, bandwidth: 1_000_000, partitioned: false },
      { a: 6380, b: 6381, latencyUs: 100, bandwidth: 0, partitioned: true },
    ]);
    h.net.forget(6380);
    expect(h.net.links()).toEqual([{ a: 6379, b: 6381, latencyUs: 100, bandwidth: 1_000_000, partitioned: false }]);
    expect(h.net.link(6379, 6380)).toEqual({ latencyUs: 100, bandwidth: 0, partitioned: false });
  });

  it('rejects a latency that is not a whole number of microseconds and a negative bandwidth', () => {
    const h = new Harness();
    expect(() => h.net.setLatency(6379, 6380, 1.5)).toThrow(RangeError);
    expect(() => h.net.setLatency(6379, 6380, -1)).toThrow(RangeError);
    expect(() => h.net.setBandwidth(6379, 6380, -1)).toThrow(RangeError);
    expect(h.net.links()).toEqual([]);
  });

  it('traces the steps a user can see with stable details', () => {
    const h = new Harness();
    const accepted = serve(h, 6379);
    const { client } = established(h, 6380, 6379, accepted);
    h.net.partition(6380, 6379);
    h.net.heal();
    client.close();
    h.settle();
    expect(h.traces).toEqual([
      '0 net.listen 6379',
      '0 net.connect 6380:50000->6379',
      '100 net.accept #1 6380:50000->6379',
      '200 net.connected #1 6380:50000->6379',
      '200 net.partition 6379 6380',
      '200 net.heal 6379 6380',
      '200 net.close #1 6380:50000->6379 by 6380',
      '300 net.fin #1 6380:50000->6379 at 6379',
    ]);
  });
});

describe('Network: determinism', () => {
  /** A busy little world: replication-like traffic, a partition, a reset, a crash. */
  function script(): string[] {
    const h = new Harness();
    const packets: string[] = [];
    h.net.onPacket((p) => packets.push(`${p.socketId} ${p.fromPort}>${p.toPort} ${p.bytes} ${p.sentUs}-${p.arriveUs}`));
    const masters = serve(h, 6379);
    serve(h, 6381);
    h.net.setLatency(6379, 6380, 700);
    h.net.setBandwidth(6379, 6380, 2_000_000);
    const replica = dial(h, 6380, 6379);
    const other = dial(h, 6381, 6379);
    dial(h, 6380, 6382);
    h.runFor(2000);
    for (const m of masters) m.socket!.write(bytesOf(70_000, m.socket!.id));
    replica.client.socket!.write(ascii('REPLCONF ACK 0\r\n'));
    other.client.socket!.write(ascii('PING\r\n'));
    h.runFor(10_000);
    h.net.partition(6379, 6380);
    h.runFor(50_000);
    h.net.heal();
    h.runFor(5_000);
    h.net.reset(6379, 6381);
    h.net.unlisten(6379);
    h.net.closeAllOf(6379);
    dial(h, 6381, 6379);
    h.settle();
    return [...h.traces, ...h.log, ...packets];
  }

  it('gives the same events in the same order when the same script runs twice', () => {
    const first = script();
    expect(first.length).toBeGreaterThan(20);
    expect(script()).toEqual(first);
  });
});
