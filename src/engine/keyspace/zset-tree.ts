// The order of a sorted set: (score, member) pairs sorted by score, then by
// member bytes (memcmp, shorter first on a common prefix), which is the
// order of Redis's skiplist and of its listpack alike. Members are held as
// strings of one char per byte, whose `<` is exactly that byte order.
//
// Redis keeps a skiplist with random levels; the engine keeps a B+tree with
// subtree sizes instead, which answers the same questions (rank of a pair,
// pair at a rank, how many pairs precede a bound) in O(log n) with no
// randomness, so the node's random stream is left to the commands that are
// random by contract. Leaves hold up to LEAF_MAX pairs in two parallel
// arrays and are linked both ways for range walks. An inner node keeps, in
// arrays beside its kids, each kid's size and largest pair: a descent
// compares and counts within one node's arrays (scores first, so a member
// string is read only on a tie) instead of visiting every kid, which is
// what keeps a million-member zset fast. Leaves that shrink below a
// quarter are merged with a neighbour under the same parent; emptied nodes
// are removed, and a root with one kid gives way to it.

const LEAF_MAX = 128;
const INNER_MAX = 64;

interface Leaf {
  readonly leaf: true;
  /** Members, in order. */
  readonly m: string[];
  /** Their scores. */
  readonly s: number[];
  parent: Inner | null;
  prev: Leaf | null;
  next: Leaf | null;
}

interface Inner {
  readonly leaf: false;
  readonly kids: Node[];
  /** Each kid's size. */
  readonly cnt: number[];
  /** Each kid's largest pair: score and member. */
  readonly ks: number[];
  readonly km: string[];
  /** Pairs under this node. */
  size: number;
  parent: Inner | null;
}

type Node = Leaf | Inner;

/** (s1, m1) against (s2, m2): negative, zero or positive. */
export function comparePair(s1: number, m1: string, s2: number, m2: string): number {
  if (s1 < s2) return -1;
  if (s1 > s2) return 1;
  return m1 < m2 ? -1 : m1 > m2 ? 1 : 0;
}

/** arr.splice(at, 0, v) without the array splice returns (the hot path of every add). */
function insertAt<T>(arr: T[], at: number, v: T): void {
  let i = arr.length;
  arr.push(v);
  for (; i > at; i--) arr[i] = arr[i - 1];
  arr[at] = v;
}

/** arr.splice(at, 1), likewise. */
function removeAt<T>(arr: T[], at: number): void {
  const last = arr.length - 1;
  for (let i = at; i < last; i++) arr[i] = arr[i + 1];
  arr.pop();
}

function newLeaf(): Leaf {
  return { leaf: true, m: [], s: [], parent: null, prev: null, next: null };
}

const sizeOf = (n: Node): number => (n.leaf ? n.m.length : n.size);
const maxScore = (n: Node): number => (n.leaf ? n.s[n.s.length - 1] : n.ks[n.ks.length - 1]);
const maxMember = (n: Node): string => (n.leaf ? n.m[n.m.length - 1] : n.km[n.km.length - 1]);

/** A predicate over pairs, true for a prefix of the order (false after its first false). */
export type PairTest = (score: number, member: string) => boolean;

/** Visits a pair during a walk; returning false stops the walk. */
export type PairVisitor = (score: number, member: string) => boolean | void;

export class ZTree {
  private root: Node = newLeaf();
  private head: Leaf = this.root as Leaf;
  private tail: Leaf = this.root as Leaf;

  get size(): number {
    return sizeOf(this.root);
  }

  /** The index of the first kid whose largest pair is >= (s, m); the last kid when there is none. */
  private static kidFor(node: Inner, s: number, m: string): number {
    const ks = node.ks;
    let lo = 0;
    let hi = ks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const k = ks[mid];
      if (k < s || (k === s && node.km[mid] < m)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The first index in a leaf whose pair is >= (s, m) (its length when none is). */
  private static lowerBound(leaf: Leaf, s: number, m: string): number {
    const ss = leaf.s;
    let lo = 0;
    let hi = ss.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const k = ss[mid];
      if (k < s || (k === s && leaf.m[mid] < m)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The leaf (s, m) belongs in. */
  private leafFor(s: number, m: string): Leaf {
    let node = this.root;
    while (!node.leaf) node = node.kids[ZTree.kidFor(node, s, m)];
    return node;
  }

  /** Adds a pair that is not in the tree. */
  insert(s: number, m: string): void {
    const leaf = this.leafFor(s, m);
    const at = ZTree.lowerBound(leaf, s, m);
    insertAt(leaf.m, at, m);
    insertAt(leaf.s, at, s);
    this.resized(leaf, 1);
    if (at === leaf.m.length - 1) this.refreshMax(leaf);
    if (leaf.m.length > LEAF_MAX) this.splitLeaf(leaf);
  }

  /** Removes a pair; false when it is not there. */
  delete(s: number, m: string): boolean {
    const leaf = this.leafFor(s, m);
    const at = ZTree.lowerBound(leaf, s, m);
    if (at === leaf.m.length || leaf.s[at] !== s || leaf.m[at] !== m) return false;
    removeAt(leaf.m, at);
    removeAt(leaf.s, at);
    this.resized(leaf, -1);
    if (leaf.m.length === 0) {
      this.removeLeaf(leaf);
      return true;
    }
    if (at === leaf.m.length) this.refreshMax(leaf);
    if (leaf.m.length < LEAF_MAX / 4) this.mergeSmall(leaf);
    return true;
  }

  /** The 0-based rank of a pair in the tree (of where it would go when it is not). */
  rank(s: number, m: string): number {
    let node = this.root;
    let before = 0;
    while (!node.leaf) {
      const k = ZTree.kidFor(node, s, m);
      for (let j = 0; j < k; j++) before += node.cnt[j];
      node = node.kids[k];
    }
    return before + ZTree.lowerBound(node, s, m);
  }

  /**
   * How many pairs from the start pass `test`, by a descent that takes the
   * test to hold for a prefix of the order (as a skiplist's search does);
   * for a test that does not, the answer is one place where it changes.
   */
  countWhile(test: PairTest): number {
    let node = this.root;
    let before = 0;
    while (!node.leaf) {
      const n = node.kids.length;
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (test(node.ks[mid], node.km[mid])) lo = mid + 1;
        else hi = mid;
      }
      for (let j = 0; j < lo; j++) before += node.cnt[j];
      if (lo === n) return before;
      node = node.kids[lo];
    }
    let lo = 0;
    let hi = node.m.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (test(node.s[mid], node.m[mid])) lo = mid + 1;
      else hi = mid;
    }
    return before + lo;
  }

  /** The leaf holding rank r (0 <= r < size) and the index in it. */
  private locate(r: number): { leaf: Leaf; i: number } {
    let node = this.root;
    while (!node.leaf) {
      let k = 0;
      while (r >= node.cnt[k]) r -= node.cnt[k++];
      node = node.kids[k];
    }
    return { leaf: node, i: r };
  }

  scoreAt(r: number): number {
    const { leaf, i } = this.locate(r);
    return leaf.s[i];
  }

  memberAt(r: number): string {
    const { leaf, i } = this.locate(r);
    return leaf.m[i];
  }

  /**
   * Walks the pairs from rank `from` (0 <= from < size) towards the end, or
   * towards the start when `reverse`, until the visitor returns false or
   * the pairs run out.
   */
  walk(from: number, reverse: boolean, visit: PairVisitor): void {
    if (from < 0 || from >= this.size) return;
    let { leaf, i } = this.locate(from);
    let at: Leaf | null = leaf;
    if (reverse) {
      for (; at; at = at.prev, i = at ? at.m.length - 1 : 0) {
        for (; i >= 0; i--) if (visit(at.s[i], at.m[i]) === false) return;
      }
    } else {
      for (; at; at = at.next, i = 0) {
        for (; i < at.m.length; i++) if (visit(at.s[i], at.m[i]) === false) return;
      }
    }
  }

  /** Every pair, in order, or from the largest when `reverse`. */
  forEach(visit: (score: number, member: string) => void, reverse = false): void {
    if (reverse) {
      for (let at: Leaf | null = this.tail; at; at = at.prev) for (let i = at.m.length - 1; i >= 0; i--) visit(at.s[i], at.m[i]);
    } else {
      for (let at: Leaf | null = this.head; at; at = at.next) for (let i = 0; i < at.m.length; i++) visit(at.s[i], at.m[i]);
    }
  }

  /** Replaces every score by f(score): f must keep the order (it only turns -0 into 0). */
  mapScores(f: (score: number) => number): void {
    for (let at: Leaf | null = this.head; at; at = at.next) for (let i = 0; i < at.s.length; i++) at.s[i] = f(at.s[i]);
    const fix = (n: Node): void => {
      if (n.leaf) return;
      for (let i = 0; i < n.ks.length; i++) n.ks[i] = f(n.ks[i]);
      n.kids.forEach(fix);
    };
    fix(this.root);
  }

  // --- keeping the shape

  /** A node's size changed by `delta`: its ancestors' counts follow. */
  private resized(node: Node, delta: number): void {
    for (let p = node.parent, child: Node = node; p; child = p, p = p.parent) {
      p.cnt[p.kids.indexOf(child)] += delta;
      p.size += delta;
    }
  }

  /** After a node's largest pair changed: its parent's record of it, and further up as far as it is the last kid. */
  private refreshMax(node: Node): void {
    for (let p = node.parent, child: Node = node; p; child = p, p = p.parent) {
      const at = p.kids.indexOf(child);
      p.ks[at] = maxScore(child);
      p.km[at] = maxMember(child);
      if (at !== p.kids.length - 1) return;
    }
  }

  private splitLeaf(leaf: Leaf): void {
    const half = leaf.m.length >> 1;
    const right: Leaf = { leaf: true, m: leaf.m.splice(half), s: leaf.s.splice(half), parent: null, prev: leaf, next: leaf.next };
    if (leaf.next) leaf.next.prev = right;
    else this.tail = right;
    leaf.next = right;
    this.addSibling(leaf, right);
  }

  private splitInner(node: Inner): void {
    const half = node.kids.length >> 1;
    const kids = node.kids.splice(half);
    const cnt = node.cnt.splice(half);
    let size = 0;
    for (const c of cnt) size += c;
    const right: Inner = { leaf: false, kids, cnt, ks: node.ks.splice(half), km: node.km.splice(half), size, parent: null };
    for (const k of kids) k.parent = right;
    node.size -= size;
    this.addSibling(node, right);
  }

  /** Puts `right` (just split off `left`) after `left` in their parent, or under a new root. */
  private addSibling(left: Node, right: Node): void {
    const parent = left.parent;
    if (!parent) {
      const root: Inner = {
        leaf: false,
        kids: [left, right],
        cnt: [sizeOf(left), sizeOf(right)],
        ks: [maxScore(left), maxScore(right)],
        km: [maxMember(left), maxMember(right)],
        size: sizeOf(left) + sizeOf(right),
        parent: null,
      };
      left.parent = root;
      right.parent = root;
      this.root = root;
      return;
    }
    const at = parent.kids.indexOf(left);
    parent.kids.splice(at + 1, 0, right);
    parent.cnt.splice(at + 1, 0, sizeOf(right));
    parent.ks.splice(at + 1, 0, maxScore(right));
    parent.km.splice(at + 1, 0, maxMember(right));
    parent.cnt[at] = sizeOf(left);
    parent.ks[at] = maxScore(left);
    parent.km[at] = maxMember(left);
    right.parent = parent;
    if (parent.kids.length > INNER_MAX) this.splitInner(parent);
  }

  /** Takes an emptied leaf out of the chain and the tree (the root leaf stays, empty). */
  private removeLeaf(leaf: Leaf): void {
    if (!leaf.parent) return;
    if (leaf.prev) leaf.prev.next = leaf.next;
    else this.head = leaf.next!;
    if (leaf.next) leaf.next.prev = leaf.prev;
    else this.tail = leaf.prev!;
    this.detach(leaf);
  }

  /**
   * Removes an emptied node from its parent: an emptied parent goes too
   * (never the root, which keeps two kids or gives way to its only one).
   */
  private detach(node: Node): void {
    const parent = node.parent!;
    const at = parent.kids.indexOf(node);
    parent.kids.splice(at, 1);
    parent.cnt.splice(at, 1);
    parent.ks.splice(at, 1);
    parent.km.splice(at, 1);
    if (parent.kids.length === 0) this.detach(parent);
    else if (at === parent.kids.length) this.refreshMax(parent);
    this.collapseRoot();
  }

  private collapseRoot(): void {
    while (!this.root.leaf && this.root.kids.length === 1) {
      this.root = this.root.kids[0];
      this.root.parent = null;
    }
  }

  /** Merges a small leaf with a neighbour under the same parent when both fit in one. */
  private mergeSmall(leaf: Leaf): void {
    const next = leaf.next;
    const parent = leaf.parent;
    if (next && parent && next.parent === parent && leaf.m.length + next.m.length <= LEAF_MAX) {
      // The pairs move left: leaf takes next's count and largest pair, and next goes.
      leaf.m.push(...next.m);
      leaf.s.push(...next.s);
      const at = parent.kids.indexOf(leaf);
      parent.cnt[at] += parent.cnt[at + 1];
      parent.ks[at] = parent.ks[at + 1];
      parent.km[at] = parent.km[at + 1];
      parent.kids.splice(at + 1, 1);
      parent.cnt.splice(at + 1, 1);
      parent.ks.splice(at + 1, 1);
      parent.km.splice(at + 1, 1);
      leaf.next = next.next;
      if (next.next) next.next.prev = leaf;
      else this.tail = leaf;
      this.collapseRoot();
      return;
    }
    const prev = leaf.prev;
    if (prev && prev.parent === parent && leaf.m.length + prev.m.length <= LEAF_MAX) this.mergeSmall(prev);
  }
}
