// The simulated TCP network between the world's nodes. Every node listens on
// 127.0.0.1:<port>; between each unordered pair of node ports runs one link
// with a one-way latency, a bandwidth per direction and a partitioned flag.
//
// What the model keeps of TCP, and why:
// - Each direction of a link is one wire, shared first-come first-served by
//   every connection on it, so a full sync's RDB visibly delays the commands
//   queued behind it. Bytes leave in segments of at most 16 KB because Redis
//   reads at most 16 KB at a time: the replica sees a transfer in pieces, as
//   a real one would, and a view can show progress.
// - Small writes of one connection waiting on the wire together leave as one
//   segment (as the peer's read() would return them together). The gathering
//   is deferred to an event at the same instant, so a burst of writes made by
//   one handler costs one delivery, not one per write.
// - A partition loses nothing for good: TCP keeps retransmitting, so what was
//   sent or queued is held and arrives one latency after the heal, in order.
//   Connections stay open; timeouts in the nodes decide what happens.
// - SYN, SYN-ACK and RST take the latency but no wire time: they are tiny,
//   and a handshake stuck behind a 25 MB transfer would be an artefact of the
//   model rather than anything Redis shows. The FIN does queue behind the
//   data, since the peer must read every byte before it sees the close.
// - A reset (SIM RESET) is instantaneous on both sides: it stands for the
//   RST that tcpkill-like tools inject at both ends at once.
//
// Time is integer microseconds of virtual time, from the clock and the
// schedule the world hands in; nothing here reads the host's clock.

export interface NetClock {
  readonly nowUs: number;
}
/** world.schedule: run `run` after delayUs of virtual time; returns an event whose `cancelled` flag may be set to cancel it. */
export type NetSchedule = (delayUs: number, run: () => void) => { cancelled: boolean };
export interface NetAddress {
  readonly ip: string;
  readonly port: number;
}
export interface SocketHandlers {
  /** Bytes arrived from the peer, in order. */
  data(bytes: Uint8Array): void;
  /** The peer closed ('closed', after every byte it sent has arrived) or the connection was reset ('reset', at once, bytes in flight are lost). Called at most once; never after this side called close(). */
  closed(how: 'closed' | 'reset'): void;
}
export interface NetSocket {
  /** The connection's id: the same on both sides, and in PacketEvent.socketId. */
  readonly id: number;
  /** This side's address and the peer's (a connecting node gets an ephemeral port from 50000 up, unique in the network). */
  readonly local: NetAddress;
  readonly remote: NetAddress;
  /** False once this side closed, the peer's close arrived, or the connection was reset. */
  readonly open: boolean;
  /**
   * Queues bytes for the peer (never refuses; the bytes leave at the link's
   * bandwidth). Ignored when not open. Takes ownership of `bytes`: the peer
   * may receive views into this very buffer, so the caller must not change
   * it afterwards.
   */
  write(bytes: Uint8Array): void;
  /** Bytes written on this side that have not yet been put on the wire (still in the send queue). */
  readonly unsent: number;
  /**
   * Calls cb once, when every byte written so far has been put on the wire
   * (at once if unsent is 0). Never called once the socket stops being open:
   * closed() tells the owner instead, and a writer pacing itself on drains
   * would otherwise spin on a dead socket.
   */
  whenDrained(cb: () => void): void;
  /** Graceful close: the peer gets closed('closed') after the bytes already written have arrived. No callbacks on this side afterwards. */
  close(): void;
  /** Sets who receives this side's events (must be set before any event is delivered; events that would be delivered with no handlers are kept until set). */
  setHandlers(h: SocketHandlers): void;
}
export interface ConnectAttempt {
  cancel(): void;
}
/** One data segment delivered; ports are the nodes' listening ports (the link's ends), not the ephemeral one. */
export interface PacketEvent {
  readonly socketId: number;
  readonly fromPort: number;
  readonly toPort: number;
  readonly bytes: number;
  readonly sentUs: number;
  readonly arriveUs: number;
  /** The segment's bytes (a view: listeners read them at once and keep nothing). */
  readonly data: Uint8Array;
}
export interface LinkInfo {
  readonly latencyUs: number;
  readonly bandwidth: number;
  readonly partitioned: boolean;
}
export interface SocketInfo {
  readonly id: number;
  readonly clientPort: number;
  readonly serverPort: number;
  /** The client side's address (its ephemeral port) and the server's. */
  readonly local: NetAddress;
  readonly remote: NetAddress;
  /** Bytes written and not yet delivered, each way. */
  readonly toServerBytes: number;
  readonly toClientBytes: number;
}

export const NET_HOST = '127.0.0.1';
export const DEFAULT_LATENCY_US = 100;
/** The most a segment carries: what Redis reads per read() (PROTO_IOBUF_LEN). */
export const SEGMENT_BYTES = 16384;
export const FIRST_EPHEMERAL_PORT = 50000;

type Scheduled = { cancelled: boolean };
type Trace = (kind: string, detail: string) => void;
type SideEvent = Uint8Array | 'closed' | 'reset';

/** An array used as a queue without the O(n) cost of shift(). */
class Fifo<T> {
  private items: Array<T | undefined> = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  peek(): T | undefined {
    return this.items[this.head];
  }

  at(i: number): T | undefined {
    return this.items[this.head + i];
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }

  forEach(fn: (item: T) => void): void {
    for (let i = this.head; i < this.items.length; i++) fn(this.items[i] as T);
  }
}

interface Segment {
  readonly pipe: Pipe;
  /** null: the FIN. */
  readonly bytes: Uint8Array | null;
  /** When it started transmitting. */
  readonly sentUs: number;
  arriveUs: number;
}

interface QueuedWrite {
  readonly pipe: Pipe;
  /** null: the FIN, queued behind the data. */
  readonly bytes: Uint8Array | null;
}

/** A control packet (SYN, SYN-ACK, RST): latency only, held by partitions. */
interface Packet {
  readonly link: Link;
  arriveUs: number;
  timer: Scheduled | null;
  readonly deliver: () => void;
}

/** One direction of a link: a single wire, shared FIFO by its connections. */
class Lane {
  /** When the segment on the wire finishes (or the last one finished). */
  busyUntil = 0;
  readonly queue = new Fifo<QueuedWrite>();
  /** Bytes of the head write already taken by earlier segments. */
  headOffset = 0;
  onWire: Segment | null = null;
  /** The event that finishes onWire, or starts transmitting after a write. */
  timer: Scheduled | null = null;
  /** Inside pump(): writes made by drain callbacks are picked up by its loop. */
  pumping = false;

  constructor(
    readonly link: Link,
    readonly fromPort: number,
    readonly toPort: number,
  ) {}
}

class Link {
  latencyUs = DEFAULT_LATENCY_US;
  bandwidth = 0;
  partitioned = false;
  /** [a to b, b to a]; a connection of a node to itself uses the first for both ways. */
  readonly lanes: readonly [Lane, Lane];
  /** Both directions of every live connection on the link. */
  readonly pipes = new Set<Pipe>();
  readonly packets = new Set<Packet>();

  constructor(
    readonly a: number,
    readonly b: number,
  ) {
    this.lanes = [new Lane(this, a, b), new Lane(this, b, a)];
  }

  lane(fromPort: number): Lane {
    return fromPort === this.a ? this.lanes[0] : this.lanes[1];
  }

  get isDefault(): boolean {
    return this.latencyUs === DEFAULT_LATENCY_US && this.bandwidth === 0 && !this.partitioned;
  }

  get idle(): boolean {
    return this.pipes.size === 0 && this.packets.size === 0 && this.lanes.every((l) => l.timer === null && l.queue.length === 0);
  }
}

/** One direction of a connection: what one side wrote on its way to the other. */
class Pipe {
  /** Written, not yet finished transmitting (the writer's `unsent`). */
  queued = 0;
  /** Totals since the connection opened; a drain waiter waits for `sent` to reach `written` as it was. */
  written = 0;
  sent = 0;
  /** Transmitted, not yet delivered, in order. */
  readonly air = new Fifo<Segment>();
  airBytes = 0;
  /** Keeps delivery ordered when the latency drops while segments are in the air. */
  lastArriveUs = 0;
  /** One arrival event per pipe at a time, for the head of `air`. */
  arrival: Scheduled | null = null;
  drainWaiters: Array<{ readonly target: number; readonly cb: () => void }> = [];
  dead = false;

  constructor(
    readonly conn: Conn,
    readonly from: Side,
    readonly to: Side,
    readonly lane: Lane,
  ) {}
}

class Side implements NetSocket {
  handlers: SocketHandlers | null = null;
  /** Events that came before any handlers were set. */
  pending: SideEvent[] = [];
  closedByMe = false;
  /** The peer's FIN arrived or the connection was reset. */
  peerGone = false;
  out!: Pipe;

  constructor(
    private readonly core: Core,
    readonly conn: Conn,
    /** The node this side belongs to (its listening port, also for the client side). */
    readonly ownerPort: number,
    readonly local: NetAddress,
    readonly remote: NetAddress,
  ) {}

  get id(): number {
    return this.conn.id;
  }

  get open(): boolean {
    return !this.closedByMe && !this.peerGone;
  }

  get unsent(): number {
    return this.out.queued;
  }

  write(bytes: Uint8Array): void {
    this.core.write(this, bytes);
  }

  whenDrained(cb: () => void): void {
    this.core.whenDrained(this, cb);
  }

  close(): void {
    this.core.closeSide(this);
  }

  setHandlers(h: SocketHandlers): void {
    this.core.setHandlers(this, h);
  }
}

class Conn {
  readonly client: Side;
  readonly server: Side;
  dead = false;
  /** The connect attempt still waiting for its SYN-ACK, if any. */
  attempt: Attempt | null = null;

  constructor(
    core: Core,
    readonly id: number,
    readonly link: Link,
    readonly clientPort: number,
    readonly ephemeralPort: number,
    readonly serverPort: number,
  ) {
    const clientAddr = { ip: NET_HOST, port: ephemeralPort };
    const serverAddr = { ip: NET_HOST, port: serverPort };
    this.client = new Side(core, this, clientPort, clientAddr, serverAddr);
    this.server = new Side(core, this, serverPort, serverAddr, clientAddr);
    this.client.out = new Pipe(this, this.client, this.server, link.lane(clientPort));
    this.server.out = new Pipe(this, this.server, this.client, link.lane(serverPort));
    link.pipes.add(this.client.out);
    link.pipes.add(this.server.out);
  }

  get name(): string {
    return `#${this.id} ${this.clientPort}:${this.ephemeralPort}->${this.serverPort}`;
  }
}

class Attempt {
  done = false;
  /** The SYN, SYN-ACK or RST on its way. */
  packet: Packet | null = null;
  conn: Conn | null = null;

  constructor(
    readonly fromPort: number,
    readonly toPort: number,
    readonly ephemeralPort: number,
    readonly cb: { connected(socket: NetSocket): SocketHandlers; refused(): void },
  ) {}

  get name(): string {
    return `${this.fromPort}:${this.ephemeralPort}->${this.toPort}`;
  }
}

function linkKey(a: number, b: number): number {
  return Math.min(a, b) * 65536 + Math.max(a, b);
}

/** The mechanics; Network is its public face and sockets reach back into it. */
class Core {
  readonly links = new Map<number, Link>();
  readonly listeners = new Map<number, (socket: NetSocket) => SocketHandlers>();
  /** Live connections, in id order. */
  readonly conns = new Map<number, Conn>();
  readonly attempts = new Set<Attempt>();
  readonly packetListeners = new Set<(p: PacketEvent) => void>();
  nextConnId = 1;
  nextEphemeralPort = FIRST_EPHEMERAL_PORT;

  constructor(
    private readonly clock: NetClock,
    private readonly schedule: NetSchedule,
    readonly trace: Trace,
  ) {}

  get now(): number {
    return this.clock.nowUs;
  }

  at(timeUs: number, run: () => void): Scheduled {
    return this.schedule(Math.max(0, timeUs - this.now), run);
  }

  link(a: number, b: number): Link {
    const key = linkKey(a, b);
    let link = this.links.get(key);
    if (!link) this.links.set(key, (link = new Link(Math.min(a, b), Math.max(a, b))));
    return link;
  }

  // ---- sending -------------------------------------------------------------

  write(side: Side, bytes: Uint8Array): void {
    if (!side.open || bytes.length === 0) return;
    const pipe = side.out;
    pipe.queued += bytes.length;
    pipe.written += bytes.length;
    pipe.lane.queue.push({ pipe, bytes });
    this.kick(pipe.lane);
  }

  whenDrained(side: Side, cb: () => void): void {
    if (!side.open) return;
    const pipe = side.out;
    if (pipe.queued === 0) cb();
    else pipe.drainWaiters.push({ target: pipe.written, cb });
  }

  kick(lane: Lane): void {
    if (lane.timer || lane.pumping || lane.link.partitioned || lane.queue.length === 0) return;
    lane.timer = this.at(lane.busyUntil, () => this.pump(lane));
  }

  /**
   * Finishes the segment on the wire, then starts the next ones. With no
   * bandwidth limit a segment takes no time, so one event sends everything
   * queued; otherwise one event per segment, scheduled as the previous ends,
   * so a large transfer never fills the event queue.
   */
  pump(lane: Lane): void {
    lane.timer = null;
    lane.pumping = true;
    try {
      const finished = lane.onWire;
      lane.onWire = null;
      if (finished) this.toAir(finished);
      while (!lane.link.partitioned) {
        const seg = this.nextSegment(lane);
        if (!seg) break;
        const bandwidth = lane.link.bandwidth;
        const txUs = seg.bytes === null || bandwidth === 0 ? 0 : Math.ceil((seg.bytes.length * 1_000_000) / bandwidth);
        lane.busyUntil = this.now + txUs;
        if (txUs === 0) {
          this.toAir(seg);
          continue;
        }
        lane.onWire = seg;
        lane.timer = this.at(lane.busyUntil, () => this.pump(lane));
        break;
      }
    } finally {
      lane.pumping = false;
    }
  }

  /** Takes the next segment off the lane's queue: up to 16 KB of one connection's bytes, or its FIN. */
  private nextSegment(lane: Lane): Segment | null {
    const q = lane.queue;
    for (;;) {
      const head = q.peek();
      if (!head) return null;
      const pipe = head.pipe;
      if (pipe.dead) {
        q.shift();
        lane.headOffset = 0;
        continue;
      }
      if (head.bytes === null) {
        q.shift();
        return { pipe, bytes: null, sentUs: this.now, arriveUs: 0 };
      }
      const avail = head.bytes.length - lane.headOffset;
      const next = q.at(1);
      if (avail >= SEGMENT_BYTES || !next || next.pipe !== pipe || next.bytes === null) {
        // A view, not a copy: a big write goes out with no copying at all.
        const take = Math.min(avail, SEGMENT_BYTES);
        const bytes = head.bytes.subarray(lane.headOffset, lane.headOffset + take);
        this.consume(lane, take);
        return { pipe, bytes, sentUs: this.now, arriveUs: 0 };
      }
      let total = avail;
      for (let i = 1; total < SEGMENT_BYTES; i++) {
        const e = q.at(i);
        if (!e || e.pipe !== pipe || e.bytes === null) break;
        total += e.bytes.length;
      }
      const size = Math.min(total, SEGMENT_BYTES);
      const bytes = new Uint8Array(size);
      for (let filled = 0; filled < size; ) {
        const e = q.peek()!.bytes!;
        const n = Math.min(e.length - lane.headOffset, size - filled);
        bytes.set(e.subarray(lane.headOffset, lane.headOffset + n), filled);
        filled += n;
        this.consume(lane, n);
      }
      return { pipe, bytes, sentUs: this.now, arriveUs: 0 };
    }
  }

  private consume(lane: Lane, n: number): void {
    lane.headOffset += n;
    if (lane.headOffset === lane.queue.peek()!.bytes!.length) {
      lane.queue.shift();
      lane.headOffset = 0;
    }
  }

  /** A segment finished transmitting: it travels now, and its bytes count as sent. */
  private toAir(seg: Segment): void {
    const pipe = seg.pipe;
    if (pipe.dead) return;
    seg.arriveUs = Math.max(this.now + pipe.lane.link.latencyUs, pipe.lastArriveUs);
    pipe.lastArriveUs = seg.arriveUs;
    pipe.air.push(seg);
    if (seg.bytes) {
      pipe.queued -= seg.bytes.length;
      pipe.sent += seg.bytes.length;
      pipe.airBytes += seg.bytes.length;
    }
    this.armArrival(pipe);
    while (!pipe.dead && pipe.drainWaiters.length > 0 && pipe.drainWaiters[0].target <= pipe.sent) pipe.drainWaiters.shift()!.cb();
  }

  // ---- receiving -----------------------------------------------------------

  armArrival(pipe: Pipe): void {
    if (pipe.arrival || pipe.dead || pipe.lane.link.partitioned) return;
    const head = pipe.air.peek();
    if (head) pipe.arrival = this.at(head.arriveUs, () => this.arrive(pipe));
  }

  /** Delivers every segment due now; handlers may reset, partition or close in between, so each step re-checks. */
  private arrive(pipe: Pipe): void {
    pipe.arrival = null;
    const link = pipe.lane.link;
    for (;;) {
      if (pipe.dead || link.partitioned) return;
      const seg = pipe.air.peek();
      if (!seg || seg.arriveUs > this.now) break;
      pipe.air.shift();
      if (seg.bytes === null) {
        this.finArrived(pipe);
        return;
      }
      pipe.airBytes -= seg.bytes.length;
      if (this.packetListeners.size > 0) {
        const event: PacketEvent = {
          socketId: pipe.conn.id,
          fromPort: pipe.from.ownerPort,
          toPort: pipe.to.ownerPort,
          bytes: seg.bytes.length,
          sentUs: seg.sentUs,
          arriveUs: this.now,
          data: seg.bytes,
        };
        for (const l of this.packetListeners) l(event);
      }
      this.deliver(pipe.to, seg.bytes);
    }
    this.armArrival(pipe);
  }

  private finArrived(pipe: Pipe): void {
    const side = pipe.to;
    side.peerGone = true;
    this.trace('net.fin', `${pipe.conn.name} at ${side.ownerPort}`);
    // The sender closed first, so with this side told the connection is over.
    this.kill(pipe.conn);
    this.deliver(side, 'closed');
  }

  private deliver(side: Side, event: SideEvent): void {
    if (side.closedByMe) return;
    const h = side.handlers;
    // Behind events still waiting for handlers, to keep the order.
    if (!h || side.pending.length > 0) side.pending.push(event);
    else if (typeof event === 'string') h.closed(event);
    else h.data(event);
  }

  setHandlers(side: Side, h: SocketHandlers): void {
    side.handlers = h;
    while (side.pending.length > 0 && side.handlers === h && !side.closedByMe) {
      const event = side.pending.shift()!;
      if (typeof event === 'string') h.closed(event);
      else h.data(event);
    }
  }

  // ---- connections ---------------------------------------------------------

  sendPacket(fromPort: number, toPort: number, deliver: () => void): Packet {
    const link = this.link(fromPort, toPort);
    const packet: Packet = { link, arriveUs: this.now + link.latencyUs, timer: null, deliver };
    link.packets.add(packet);
    this.armPacket(packet);
    return packet;
  }

  private armPacket(packet: Packet): void {
    if (packet.link.partitioned) return;
    packet.timer = this.at(packet.arriveUs, () => {
      packet.timer = null;
      packet.link.packets.delete(packet);
      packet.deliver();
    });
  }

  private dropPacket(packet: Packet | null): void {
    if (!packet) return;
    if (packet.timer) packet.timer.cancelled = true;
    packet.link.packets.delete(packet);
  }

  connect(fromPort: number, toPort: number, cb: Attempt['cb']): Attempt {
    const attempt = new Attempt(fromPort, toPort, this.nextEphemeralPort++, cb);
    this.attempts.add(attempt);
    this.trace('net.connect', attempt.name);
    attempt.packet = this.sendPacket(fromPort, toPort, () => this.synArrived(attempt));
    return attempt;
  }

  private endAttempt(attempt: Attempt): void {
    attempt.done = true;
    this.dropPacket(attempt.packet);
    attempt.packet = null;
    this.attempts.delete(attempt);
    if (attempt.conn) attempt.conn.attempt = null;
  }

  private synArrived(attempt: Attempt): void {
    attempt.packet = null;
    const accept = this.listeners.get(attempt.toPort);
    if (!accept) {
      attempt.packet = this.sendPacket(attempt.toPort, attempt.fromPort, () => {
        attempt.packet = null;
        this.endAttempt(attempt);
        this.trace('net.refused', attempt.name);
        attempt.cb.refused();
      });
      return;
    }
    const conn = new Conn(this, this.nextConnId++, this.link(attempt.fromPort, attempt.toPort), attempt.fromPort, attempt.ephemeralPort, attempt.toPort);
    this.conns.set(conn.id, conn);
    attempt.conn = conn;
    conn.attempt = attempt;
    this.trace('net.accept', conn.name);
    attempt.packet = this.sendPacket(attempt.toPort, attempt.fromPort, () => {
      attempt.packet = null;
      this.endAttempt(attempt);
      this.trace('net.connected', conn.name);
      this.setHandlers(conn.client, attempt.cb.connected(conn.client));
    });
    this.setHandlers(conn.server, accept(conn.server));
  }

  cancel(attempt: Attempt): void {
    if (attempt.done) return;
    this.trace('net.cancel', attempt.name);
    const conn = attempt.conn;
    this.endAttempt(attempt);
    // The server has accepted: the client's kernel tears the connection down.
    if (conn) this.closeSide(conn.client);
  }

  closeSide(side: Side): void {
    if (side.closedByMe) return;
    side.closedByMe = true;
    side.pending = [];
    side.out.drainWaiters = [];
    const conn = side.conn;
    if (conn.dead) return;
    if (side === conn.client && conn.attempt) this.endAttempt(conn.attempt);
    this.trace('net.close', `${conn.name} by ${side.ownerPort}`);
    const other = side === conn.client ? conn.server : conn.client;
    if (other.closedByMe) {
      this.kill(conn);
      return;
    }
    const pipe = side.out;
    pipe.lane.queue.push({ pipe, bytes: null });
    this.kick(pipe.lane);
  }

  /** The connection is over on both sides: whatever it still has queued or in the air is dropped. */
  kill(conn: Conn): void {
    if (conn.dead) return;
    conn.dead = true;
    this.conns.delete(conn.id);
    for (const pipe of [conn.client.out, conn.server.out]) {
      pipe.dead = true;
      if (pipe.arrival) pipe.arrival.cancelled = true;
      pipe.arrival = null;
      pipe.air.clear();
      pipe.airBytes = 0;
      pipe.queued = 0;
      pipe.drainWaiters = [];
      pipe.lane.link.pipes.delete(pipe);
      // Its queued writes stay in the lane's queue and are skipped when reached.
    }
  }

  reset(a: number, b: number): number {
    const key = linkKey(a, b);
    const victims = [...this.conns.values()].filter((c) => linkKey(c.clientPort, c.serverPort) === key);
    this.trace('net.reset', `${Math.min(a, b)} ${Math.max(a, b)} ${victims.map((c) => `#${c.id}`).join(' ') || 'none'}`);
    // Every connection is torn down before anyone hears of it, so a handler
    // that reacts (reconnects, say) sees the network as it is after the reset.
    const refused: Attempt[] = [];
    for (const conn of victims) {
      if (conn.attempt) {
        refused.push(conn.attempt);
        this.endAttempt(conn.attempt);
      }
      conn.client.peerGone = true;
      conn.server.peerGone = true;
      this.kill(conn);
    }
    for (const conn of victims) {
      const attempt = refused.find((r) => r.conn === conn);
      if (attempt) attempt.cb.refused();
      else this.deliver(conn.client, 'reset');
      this.deliver(conn.server, 'reset');
    }
    return victims.length;
  }

  closeAllOf(port: number): void {
    const attempts = [...this.attempts].filter((a) => a.fromPort === port);
    const sides: Side[] = [];
    for (const conn of this.conns.values()) {
      if (conn.client.ownerPort === port && !conn.client.closedByMe && !conn.attempt) sides.push(conn.client);
      if (conn.server.ownerPort === port && !conn.server.closedByMe) sides.push(conn.server);
    }
    this.trace('net.closeall', `${port} sockets=${sides.length} attempts=${attempts.length}`);
    for (const attempt of attempts) this.cancel(attempt);
    for (const side of sides) this.closeSide(side);
  }

  // ---- partitions ----------------------------------------------------------

  partition(link: Link): void {
    if (link.partitioned) return;
    link.partitioned = true;
    this.trace('net.partition', `${link.a} ${link.b}`);
    // Arrivals stop; the segment on the wire finishes and joins the held ones.
    for (const pipe of link.pipes) {
      if (pipe.arrival) pipe.arrival.cancelled = true;
      pipe.arrival = null;
    }
    for (const packet of link.packets) {
      if (packet.timer) packet.timer.cancelled = true;
      packet.timer = null;
    }
  }

  heal(link: Link): void {
    if (!link.partitioned) return;
    link.partitioned = false;
    this.trace('net.heal', `${link.a} ${link.b}`);
    const release = this.now + link.latencyUs;
    for (const packet of [...link.packets]) {
      packet.arriveUs = Math.max(packet.arriveUs, release);
      this.armPacket(packet);
    }
    for (const pipe of link.pipes) {
      let last = pipe.lastArriveUs;
      pipe.air.forEach((seg) => {
        seg.arriveUs = Math.max(seg.arriveUs, release);
        last = Math.max(last, seg.arriveUs);
      });
      pipe.lastArriveUs = last;
      this.armArrival(pipe);
    }
    for (const lane of link.lanes) this.kick(lane);
  }
}

export class Network {
  private readonly core: Core;

  constructor(clock: NetClock, schedule: NetSchedule, trace?: (kind: string, detail: string) => void) {
    this.core = new Core(clock, schedule, trace ?? (() => {}));
  }

  /** A node starts accepting connections on its port; accept() returns the handlers for the server side of each new socket. */
  listen(port: number, accept: (socket: NetSocket) => SocketHandlers): void {
    if (this.core.listeners.has(port)) throw new Error(`port ${port} is already listening`);
    this.core.listeners.set(port, accept);
    this.core.trace('net.listen', String(port));
  }

  /** The node stops listening (process died): further connects are refused. */
  unlisten(port: number): void {
    if (this.core.listeners.delete(port)) this.core.trace('net.unlisten', String(port));
  }

  isListening(port: number): boolean {
    return this.core.listeners.has(port);
  }

  /**
   * The node's process died: every socket it owns closes as a crashed
   * process's sockets do (the kernel sends FIN: the peers see
   * closed('closed') after in-flight bytes, subject to latency and
   * partitions). Its connect attempts are abandoned.
   */
  closeAllOf(port: number): void {
    this.core.closeAllOf(port);
  }

  /**
   * Node `fromPort` opens a connection to 127.0.0.1:toPort. connected() fires
   * after one round trip (2 x latency) with the client side socket, refused()
   * after one round trip when nothing listens there; while the link is
   * partitioned the SYN is lost and the attempt hangs until healed (or
   * cancelled). A reset of the link while the SYN-ACK is on its way makes
   * the attempt refused() at once.
   */
  connect(fromPort: number, toPort: number, cb: { connected(socket: NetSocket): SocketHandlers; refused(): void }): ConnectAttempt {
    const attempt = this.core.connect(fromPort, toPort, cb);
    return { cancel: () => this.core.cancel(attempt) };
  }

  /** Takes an ephemeral port, for connections made from outside the network, so ports stay unique. */
  ephemeralPort(): number {
    return this.core.nextEphemeralPort++;
  }

  /** Applies to what is sent from now on; segments already in the air keep their arrival time. */
  setLatency(a: number, b: number, us: number): void {
    if (!Number.isInteger(us) || us < 0) throw new RangeError(`latency must be a whole number of microseconds >= 0, got ${us}`);
    this.core.link(a, b).latencyUs = us;
    this.core.trace('net.latency', `${Math.min(a, b)} ${Math.max(a, b)} ${us}`);
  }

  /** 0 = unlimited. Applies from the next segment; the one on the wire finishes at the old rate. */
  setBandwidth(a: number, b: number, bytesPerSecond: number): void {
    if (!Number.isFinite(bytesPerSecond) || bytesPerSecond < 0) throw new RangeError(`bandwidth must be a number of bytes per second >= 0, got ${bytesPerSecond}`);
    this.core.link(a, b).bandwidth = bytesPerSecond;
    this.core.trace('net.bandwidth', `${Math.min(a, b)} ${Math.max(a, b)} ${bytesPerSecond}`);
  }

  partition(a: number, b: number): void {
    this.core.partition(this.core.link(a, b));
  }

  /** Ends one partition, or every partition when a and b are omitted; held bytes then flow. */
  heal(a?: number, b?: number): void {
    if (a === undefined || b === undefined) {
      const links = [...this.core.links.values()].filter((l) => l.partitioned).sort((x, y) => x.a - y.a || x.b - y.b);
      for (const link of links) this.core.heal(link);
      return;
    }
    const link = this.core.links.get(linkKey(a, b));
    if (link) this.core.heal(link);
  }

  /** Resets every connection between a and b now: both sides see closed('reset') at once. Returns how many were reset. */
  reset(a: number, b: number): number {
    return this.core.reset(a, b);
  }

  link(a: number, b: number): { latencyUs: number; bandwidth: number; partitioned: boolean } {
    const link = this.core.links.get(linkKey(a, b));
    return link
      ? { latencyUs: link.latencyUs, bandwidth: link.bandwidth, partitioned: link.partitioned }
      : { latencyUs: DEFAULT_LATENCY_US, bandwidth: 0, partitioned: false };
  }

  /** Every link whose properties differ from the defaults, ordered by (a, b) with a <= b. */
  links(): Array<{ a: number; b: number; latencyUs: number; bandwidth: number; partitioned: boolean }> {
    return [...this.core.links.values()]
      .filter((l) => !l.isDefault)
      .sort((x, y) => x.a - y.a || x.b - y.b)
      .map((l) => ({ a: l.a, b: l.b, latencyUs: l.latencyUs, bandwidth: l.bandwidth, partitioned: l.partitioned }));
  }

  /** Connections not yet over on both sides (including those whose SYN-ACK is on its way), by id. */
  sockets(): SocketInfo[] {
    return [...this.core.conns.values()].map((c) => ({
      id: c.id,
      clientPort: c.clientPort,
      serverPort: c.serverPort,
      local: c.client.local,
      remote: c.client.remote,
      toServerBytes: c.client.out.queued + c.client.out.airBytes,
      toClientBytes: c.server.out.queued + c.server.out.airBytes,
    }));
  }

  /** Called for every data segment delivered (not for SYN, FIN or RST). Returns the unsubscribe function. */
  onPacket(listener: (p: PacketEvent) => void): () => void {
    this.core.packetListeners.add(listener);
    return () => {
      this.core.packetListeners.delete(listener);
    };
  }

  /**
   * Forgets a node entirely (removed): its links' settings go too. Its
   * sockets close as in a crash first; a partition it was in is healed so
   * that those closes reach the peers rather than hang forever.
   */
  forget(port: number): void {
    this.unlisten(port);
    this.core.closeAllOf(port);
    for (const [key, link] of [...this.core.links]) {
      if (link.a !== port && link.b !== port) continue;
      this.core.heal(link);
      link.latencyUs = DEFAULT_LATENCY_US;
      link.bandwidth = 0;
      if (link.idle) this.core.links.delete(key);
    }
    this.core.trace('net.forget', String(port));
  }
}
