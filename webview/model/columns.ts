/**
 * Columnar, append-mostly storage for the timeline: one object per lane (thread or sync object)
 * holding typed arrays, never an object per event. A million spans cost ~44 bytes each here
 * (times are Float64: ns over minutes do not fit a Float32).
 *
 * Thread lanes (spans that do not overlap) also keep a prefix sum of coverage per state every
 * CUM_STEP spans, so the level-of-detail walk (lod.ts) can add all the spans that start and end
 * inside one pixel column with one subtraction, whatever their number: the cost of a frame then
 * grows with the pixels drawn and only logarithmically with the spans behind each pixel. Hold
 * lanes (a semaphore's holds overlap) keep coverage summaries of aligned groups of 8, 64 and 512
 * spans instead, stepped over when a whole group ends inside one pixel.
 */

/** Number of colour classes a span can have (thread states; hold lanes use 0/1 shades). */
export const NSTATES = 4;
/** log2 of the group sizes summarised for hold lanes: 8, 64, 512 spans. */
export const GROUP_SHIFTS = [3, 6, 9] as const;
/** log2 of the prefix sums' step in thread lanes: cum[g] holds the coverage of spans [0, 2g). */
export const CUM_SHIFT = 1;
export const CUM_STEP = 1 << CUM_SHIFT;

const INITIAL_CAPACITY = 64;

function grownF64(a: Float64Array, cap: number): Float64Array {
  const b = new Float64Array(cap);
  b.set(a);
  return b;
}
function grownI32(a: Int32Array, cap: number): Int32Array {
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}
function grownU8(a: Uint8Array, cap: number): Uint8Array {
  const b = new Uint8Array(cap);
  b.set(a);
  return b;
}
function grownF32(a: Float32Array, cap: number): Float32Array {
  const b = new Float32Array(cap);
  b.set(a);
  return b;
}

/** What the LOD rasterizer needs from a lane: sorted spans and their coverage summaries. */
export interface SpanSource {
  readonly length: number;
  readonly start: Float64Array;
  /**
   * Non-decreasing "covered until" times used to find the first visible span and to check that
   * a group ends inside a pixel: the end itself for thread lanes (spans never overlap), a running
   * maximum of ends for hold lanes (a semaphore's holds overlap).
   */
  readonly reach: Float64Array;
  readonly end: Float64Array;
  readonly state: Uint8Array;
  /**
   * Hold lanes: coverage in ns per state of aligned groups, [group * NSTATES + state], per
   * GROUP_SHIFTS. Empty for thread lanes.
   */
  readonly groups: readonly Float32Array[];
  /**
   * Thread lanes: ns per state covered by spans [0, g * CUM_STEP), at [g * NSTATES + state], for
   * every g up to length >> CUM_SHIFT. Empty for hold lanes.
   */
  readonly cum: Float64Array;
  /** No span starts before the previous one ends (cum may be used to add whole runs of spans). */
  readonly disjoint: boolean;
  /** Thread lanes: the time index brought up to date (null for hold lanes). */
  timeIndex?(): TimeIndex | null;
}

/**
 * Where spans start, on a grid of fixed time bins: idx[g] is the first span starting at or
 * after origin + g * width, for g < count. The bin width is about two spans' mean duration, so
 * the spans starting before any time t are found from idx[floor((t - origin) / width)] with a
 * step or two, without a search over the lane: a zoomed-out frame reads a few numbers per pixel
 * instead of every span behind it.
 */
export interface TimeIndex {
  origin: number;
  width: number;
  count: number;
  idx: Int32Array;
}

/**
 * Sorted spans with a colour class each. Appends are O(1) amortised; a span arriving out of order
 * (the worker host sends per-thread spans in order, but nothing in the protocol promises it)
 * marks the lane unsorted and the next reader sorts it once.
 */
export class SpanLaneBase implements SpanSource {
  length = 0;
  start: Float64Array;
  end: Float64Array;
  reach: Float64Array;
  state: Uint8Array;
  groups: Float32Array[];
  cum: Float64Array;
  disjoint: boolean;
  /** Bumped when an out-of-order arrival made the lane re-sort (indices changed). */
  sortVersion = 0;
  protected sorted = true;

  constructor(private readonly overlapping: boolean) {
    const cap = INITIAL_CAPACITY;
    this.start = new Float64Array(cap);
    this.end = new Float64Array(cap);
    this.reach = overlapping ? new Float64Array(cap) : this.end;
    this.state = new Uint8Array(cap);
    this.groups = overlapping ? GROUP_SHIFTS.map((sh) => new Float32Array(((cap >> sh) + 1) * NSTATES)) : [];
    this.cum = overlapping ? new Float64Array(0) : new Float64Array(((cap >> CUM_SHIFT) + 1) * NSTATES);
    this.disjoint = !overlapping;
  }

  get capacity(): number {
    return this.start.length;
  }

  protected grow(): void {
    const cap = this.start.length * 2;
    this.start = grownF64(this.start, cap);
    this.end = grownF64(this.end, cap);
    this.reach = this.overlapping ? grownF64(this.reach, cap) : this.end;
    this.state = grownU8(this.state, cap);
    this.groups = this.groups.map((g, i) => grownF32(g, ((cap >> GROUP_SHIFTS[i]) + 1) * NSTATES));
    if (!this.overlapping) this.cum = grownF64(this.cum, ((cap >> CUM_SHIFT) + 1) * NSTATES);
    this.growExtra(cap);
  }

  /**
   * Doubles the capacity ahead of need once the lane is three quarters full; returns the bytes
   * copied (0 if it did nothing). The store calls this for a few lanes per delta: many threads of a live
   * run fill their lanes at the same pace, and growing 64 of them in the same delta (copying
   * and faulting in ~100 MB at a million spans) stalled the panel for ~100 ms.
   */
  growAhead(): number {
    if (this.length * 4 < this.start.length * 3) return 0;
    this.grow();
    return this.bytes();
  }

  /** Grows until `n` spans fit. */
  protected reserve(n: number): void {
    while (this.start.length < n) this.grow();
  }

  /** Subclasses grow their extra columns here. */
  protected growExtra(_cap: number): void {}

  /** Appends the common columns; returns the index used (subclasses fill their own columns). */
  protected pushCore(s: number, e: number, st: number): number {
    if (e < s) e = s;
    const i = this.length;
    if (i === this.start.length) this.grow();
    if (i > 0 && s < this.start[i - 1]) this.sorted = false;
    this.start[i] = s;
    this.end[i] = e;
    this.state[i] = st;
    this.length = i + 1;
    if (this.sorted) this.summarise(i);
    return i;
  }

  /** Updates reach and the summaries completed by span i (spans 0..i are sorted). */
  protected summarise(i: number): void {
    if (!this.overlapping) {
      if (i > 0 && this.start[i] < this.end[i - 1]) this.disjoint = false;
      if ((i & (CUM_STEP - 1)) !== CUM_STEP - 1) return;
      // Span i completes a step: the prefix at its end is the previous one plus the step's spans.
      const c = this.cum;
      const q = (i >> CUM_SHIFT) * NSTATES;
      const r = q + NSTATES;
      c[r] = c[q];
      c[r + 1] = c[q + 1];
      c[r + 2] = c[q + 2];
      c[r + 3] = c[q + 3];
      for (let j = i + 1 - CUM_STEP; j <= i; j++) c[r + this.state[j]] += this.end[j] - this.start[j];
      return;
    }
    const prev = i > 0 ? this.reach[i - 1] : -Infinity;
    this.reach[i] = this.end[i] > prev ? this.end[i] : prev;
    if ((i & 7) !== 7) return;
    const g0 = this.groups[0];
    const q = (i >> 3) * NSTATES;
    g0[q] = g0[q + 1] = g0[q + 2] = g0[q + 3] = 0;
    for (let j = i - 7; j <= i; j++) g0[q + this.state[j]] += this.end[j] - this.start[j];
    // A completed group of 8 may complete a group of 64, which may complete one of 512.
    for (let level = 1; level < GROUP_SHIFTS.length; level++) {
      const sh = GROUP_SHIFTS[level];
      if (((i + 1) & ((1 << sh) - 1)) !== 0) return;
      const lower = this.groups[level - 1];
      const g = this.groups[level];
      const gi = (i >> sh) * NSTATES;
      const first = ((i + 1 - (1 << sh)) >> GROUP_SHIFTS[level - 1]) * NSTATES;
      for (let s = 0; s < NSTATES; s++) {
        let sum = 0;
        for (let k = 0; k < 8; k++) sum += lower[first + k * NSTATES + s];
        g[gi + s] = sum;
      }
    }
  }

  /** Sorts by start (stable) if an out-of-order span arrived; then rebuilds the summaries. */
  ensureSorted(): void {
    if (this.sorted) return;
    const n = this.length;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const st = this.start;
    order.sort((a, b) => st[a] - st[b] || a - b);
    this.permute(order);
    this.sorted = true;
    this.sortVersion++;
    this.disjoint = !this.overlapping;
    for (let i = 0; i < n; i++) this.summarise(i);
  }

  private readonly index: TimeIndex = { origin: 0, width: 0, count: 0, idx: new Int32Array(0) };
  /** Lane length and sort version when the index was last rebuilt from scratch. */
  private indexBuiltAt = 0;
  private indexSortVersion = -1;

  /**
   * The time index of a sorted lane, extended to the spans appended since the last call. It is
   * rebuilt from scratch (new bin width) when the sort order changed, when the lane has grown 4×
   * since the last rebuild, or when the bins would outnumber the spans 4× (a long idle stretch):
   * O(1) amortised per span, and at most ~4 bytes per span.
   */
  timeIndex(): TimeIndex | null {
    if (this.overlapping) return null;
    this.ensureSorted();
    const ix = this.index;
    const n = this.length;
    if (n === 0) {
      ix.count = 0;
      return ix;
    }
    const S = this.start;
    const lastStart = S[n - 1];
    let need = ix.width > 0 ? Math.floor((lastStart - ix.origin) / ix.width) + 1 : 0;
    if (ix.width <= 0 || this.indexSortVersion !== this.sortVersion || n > 4 * this.indexBuiltAt || need > 4 * n + 64) {
      this.indexSortVersion = this.sortVersion;
      this.indexBuiltAt = n;
      ix.origin = S[0];
      const span = lastStart - S[0];
      ix.width = span > 0 ? (span / n) * 2 : 1;
      ix.count = 0;
      need = Math.floor((lastStart - ix.origin) / ix.width) + 1;
    }
    if (need > ix.idx.length) {
      const idx = new Int32Array(Math.max(need, ix.idx.length * 2, 64));
      idx.set(ix.idx.subarray(0, ix.count));
      ix.idx = idx;
    }
    // Bins whose left edge is at or before the last start have a final first span: later
    // appends start after it.
    const idx = ix.idx;
    let i = ix.count > 0 ? idx[ix.count - 1] : 0;
    for (let g = ix.count; g < need; g++) {
      const b = ix.origin + g * ix.width;
      while (i < n && S[i] < b) i++;
      idx[g] = i;
    }
    if (need > ix.count) ix.count = need;
    return ix;
  }

  protected permute(order: Uint32Array): void {
    const n = this.length;
    const s = this.start.slice(0, n);
    const e = this.end.slice(0, n);
    const t = this.state.slice(0, n);
    for (let i = 0; i < n; i++) {
      const j = order[i];
      this.start[i] = s[j];
      this.end[i] = e[j];
      this.state[i] = t[j];
    }
  }

  /** Index of the first span whose reach is after t (all spans before it end at or before t). */
  firstReaching(t: number): number {
    const r = this.reach;
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const m = (lo + hi) >>> 1;
      if (r[m] <= t) lo = m + 1;
      else hi = m;
    }
    return lo;
  }

  /** Index of the first span starting at or after t. */
  firstStartingAtOrAfter(t: number): number {
    const s = this.start;
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const m = (lo + hi) >>> 1;
      if (s[m] < t) lo = m + 1;
      else hi = m;
    }
    return lo;
  }

  bytes(): number {
    let b = this.start.byteLength + this.end.byteLength + this.state.byteLength;
    if (this.reach !== this.end) b += this.reach.byteLength;
    for (const g of this.groups) b += g.byteLength;
    return b + this.cum.byteLength + this.index.idx.byteLength;
  }
}

/** A delta's span columns, as the protocol sends them (ModelDelta['spans']). */
export interface SpanColumnsIn {
  startNs: ArrayLike<number>;
  endNs: ArrayLike<number>;
  state: ArrayLike<number>;
  obj: ArrayLike<number | undefined>;
  site: ArrayLike<number | undefined>;
  waitKind: ArrayLike<number | undefined>;
}

/** A thread's closed state spans. */
export class ThreadSpanLane extends SpanLaneBase {
  obj: Int32Array;
  site: Int32Array;
  waitKind: Uint8Array;
  /** Total ns per state, kept on append for the Summary tab. */
  readonly totals = new Float64Array(NSTATES);

  constructor() {
    super(false);
    this.obj = new Int32Array(this.capacity);
    this.site = new Int32Array(this.capacity);
    this.waitKind = new Uint8Array(this.capacity);
  }

  protected override growExtra(cap: number): void {
    this.obj = grownI32(this.obj, cap);
    this.site = grownI32(this.site, cap);
    this.waitKind = grownU8(this.waitKind, cap);
  }

  /**
   * Appends spans from .. to-1 of a delta's span columns, exactly as push() would one by one
   * (the store calls this once per run of one thread's spans: a live delta holds ~17k spans).
   * Returns the latest end appended.
   */
  appendRun(c: SpanColumnsIn, from: number, to: number): number {
    this.reserve(this.length + (to - from));
    const start = this.start;
    const end = this.end;
    const state = this.state;
    const obj = this.obj;
    const site = this.site;
    const wait = this.waitKind;
    const totals = this.totals;
    const S = c.startNs;
    const E = c.endNs;
    const ST = c.state;
    const O = c.obj;
    const SI = c.site;
    const WK = c.waitKind;
    let i = this.length;
    let latest = -Infinity;
    for (let k = from; k < to; k++, i++) {
      const s = S[k];
      let e = E[k];
      if (e < s) e = s;
      const st0 = ST[k];
      const st = st0 >= 0 && st0 < NSTATES ? st0 : 0;
      if (i > 0 && s < start[i - 1]) this.sorted = false;
      start[i] = s;
      end[i] = e;
      state[i] = st;
      obj[i] = O[k] ?? -1;
      site[i] = SI[k] ?? -1;
      wait[i] = WK[k] ?? 0;
      totals[st] += e - s;
      if (this.sorted) this.summarise(i);
      if (E[k] > latest) latest = E[k];
    }
    this.length = i;
    return latest;
  }

  push(s: number, e: number, state: number, obj: number, site: number, waitKind: number): void {
    const st = state >= 0 && state < NSTATES ? state : 0;
    const i = this.pushCore(s, e, st);
    this.obj[i] = obj;
    this.site[i] = site;
    this.waitKind[i] = waitKind;
    this.totals[st] += this.end[i] - this.start[i];
  }

  protected override permute(order: Uint32Array): void {
    const n = this.length;
    const o = this.obj.slice(0, n);
    const si = this.site.slice(0, n);
    const w = this.waitKind.slice(0, n);
    super.permute(order);
    for (let i = 0; i < n; i++) {
      const j = order[i];
      this.obj[i] = o[j];
      this.site[i] = si[j];
      this.waitKind[i] = w[j];
    }
  }

  override bytes(): number {
    return super.bytes() + this.obj.byteLength + this.site.byteLength + this.waitKind.byteLength;
  }
}

/**
 * A lock's or semaphore's hold spans. The colour class alternates 0/1 each time the holder
 * changes, so back-to-back holds by different threads stay distinguishable when drawn.
 */
export class HoldLane extends SpanLaneBase {
  thread: Int32Array;
  private lastHolder = -1;
  private shade = 0;

  constructor() {
    super(true);
    this.thread = new Int32Array(this.capacity);
  }

  protected override growExtra(cap: number): void {
    this.thread = grownI32(this.thread, cap);
  }

  push(s: number, e: number, thread: number): void {
    if (thread !== this.lastHolder) {
      this.shade ^= 1;
      this.lastHolder = thread;
    }
    const i = this.pushCore(s, e, this.shade);
    this.thread[i] = thread;
  }

  protected override permute(order: Uint32Array): void {
    const n = this.length;
    const th = this.thread.slice(0, n);
    super.permute(order);
    for (let i = 0; i < n; i++) this.thread[i] = th[order[i]];
  }

  override bytes(): number {
    return super.bytes() + this.thread.byteLength;
  }
}

/** A step function over time: a semaphore's count, a queue's length, an event's 0/1. */
export class CounterLane {
  length = 0;
  t: Float64Array = new Float64Array(16);
  value: Float64Array = new Float64Array(16);
  max = 0;
  private sorted = true;

  push(t: number, v: number): void {
    const i = this.length;
    if (i === this.t.length) {
      this.t = grownF64(this.t, i * 2);
      this.value = grownF64(this.value, i * 2);
    }
    if (i > 0 && t < this.t[i - 1]) this.sorted = false;
    this.t[i] = t;
    this.value[i] = v;
    this.length = i + 1;
    if (v > this.max) this.max = v;
  }

  ensureSorted(): void {
    if (this.sorted) return;
    const n = this.length;
    const order = Array.from({ length: n }, (_, i) => i);
    const t = this.t.slice(0, n);
    const v = this.value.slice(0, n);
    order.sort((a, b) => t[a] - t[b] || a - b);
    for (let i = 0; i < n; i++) {
      this.t[i] = t[order[i]];
      this.value[i] = v[order[i]];
    }
    this.sorted = true;
  }

  /** Index of the last point at or before t, or -1. */
  indexAt(t: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const m = (lo + hi) >>> 1;
      if (this.t[m] <= t) lo = m + 1;
      else hi = m;
    }
    return lo - 1;
  }

  bytes(): number {
    return this.t.byteLength + this.value.byteLength;
  }
}

/** Instant markers of one thread (notify, set, put, get, task events, exceptions). */
export class InstantLane {
  length = 0;
  t: Float64Array = new Float64Array(16);
  kind: Uint8Array = new Uint8Array(16);
  obj: Int32Array = new Int32Array(16);
  /** Index into the store's detail strings, or -1. */
  detail: Int32Array = new Int32Array(16);
  private sorted = true;

  push(t: number, kind: number, obj: number, detail: number): void {
    const i = this.length;
    if (i === this.t.length) {
      const cap = i * 2;
      this.t = grownF64(this.t, cap);
      this.kind = grownU8(this.kind, cap);
      this.obj = grownI32(this.obj, cap);
      this.detail = grownI32(this.detail, cap);
    }
    if (i > 0 && t < this.t[i - 1]) this.sorted = false;
    this.t[i] = t;
    this.kind[i] = kind;
    this.obj[i] = obj;
    this.detail[i] = detail;
    this.length = i + 1;
  }

  ensureSorted(): void {
    if (this.sorted) return;
    const n = this.length;
    const order = Array.from({ length: n }, (_, i) => i);
    const t = this.t.slice(0, n);
    const k = this.kind.slice(0, n);
    const o = this.obj.slice(0, n);
    const d = this.detail.slice(0, n);
    order.sort((a, b) => t[a] - t[b] || a - b);
    for (let i = 0; i < n; i++) {
      const j = order[i];
      this.t[i] = t[j];
      this.kind[i] = k[j];
      this.obj[i] = o[j];
      this.detail[i] = d[j];
    }
    this.sorted = true;
  }

  /** Index of the first instant at or after t. */
  firstAtOrAfter(t: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const m = (lo + hi) >>> 1;
      if (this.t[m] < t) lo = m + 1;
      else hi = m;
    }
    return lo;
  }

  bytes(): number {
    return this.t.byteLength + this.kind.byteLength + this.obj.byteLength + this.detail.byteLength;
  }
}
