/**
 * What is under the pointer: a span, the open state, a hold, a counter step, an instant marker
 * or just a lane. Pure over the store and layout so it is tested in Node; the tolerance lets a
 * span narrower than a pixel still be hovered at the zoom where it is drawn one pixel wide.
 */
import type { Layout } from './layout';
import type { TimelineStore } from './model/store';

export type Hit =
  | { kind: 'span'; thread: number; index: number; spansInPixel: number }
  | { kind: 'open'; thread: number }
  | { kind: 'instant'; thread: number; index: number }
  | { kind: 'hold'; obj: number; index: number }
  | { kind: 'counter'; obj: number; index: number }
  | { kind: 'thread'; thread: number }
  | { kind: 'process'; process: number }
  | { kind: 'objects'; process: number }
  | { kind: 'object'; obj: number };

export interface HitQuery {
  /** Time under the pointer and the ns covered by one pixel (for tolerance). */
  t: number;
  nsPerPx: number;
  /** Content y (scroll offset included) and the y inside the row. */
  row: number;
  yInRow: number;
}

/** Pixels of slack around a span or marker when nothing covers the exact time. */
export const HIT_SLOP_PX = 3;
/** Instant markers occupy the top of a thread lane. */
export const INSTANT_BAND_PX = 7;

export function hitTest(store: TimelineStore, layout: Layout, q: HitQuery): Hit | null {
  const row = layout.rows[q.row];
  if (!row) return null;
  const slop = HIT_SLOP_PX * q.nsPerPx;
  switch (row.kind) {
    case 'process':
      return { kind: 'process', process: row.uid };
    case 'objects':
      return { kind: 'objects', process: row.uid };
    case 'thread': {
      const uid = row.uid;
      if (q.yInRow < INSTANT_BAND_PX) {
        const ins = store.instants.get(uid);
        if (ins && ins.length > 0) {
          const idx = nearestInstant(ins.t, ins.length, q.t, slop);
          if (idx >= 0) return { kind: 'instant', thread: uid, index: idx };
        }
      }
      const lane = store.spans.get(uid);
      const open = store.open.get(uid);
      const openEnd = open ? Math.max(store.nowNs, open.sinceNs) : 0;
      // The open state owns everything from its start to now; closed spans end at or before it.
      if (open && q.t >= open.sinceNs && q.t <= openEnd + slop) return { kind: 'open', thread: uid };
      if (lane && lane.length > 0) {
        const idx = spanAt(lane.start, lane.end, lane.length, q.t, slop);
        if (idx >= 0) {
          const a = lane.firstReaching(q.t - q.nsPerPx / 2);
          const b = lane.firstStartingAtOrAfter(q.t + q.nsPerPx / 2);
          return { kind: 'span', thread: uid, index: idx, spansInPixel: Math.max(1, b - a) };
        }
      }
      if (open && q.t >= open.sinceNs - slop && q.t <= openEnd + slop) return { kind: 'open', thread: uid };
      return { kind: 'thread', thread: uid };
    }
    case 'object': {
      const uid = row.uid;
      const holds = store.holds.get(uid);
      if (holds && holds.length > 0) {
        const idx = holdAt(holds.start, holds.end, holds.length, q.t, slop);
        if (idx >= 0) return { kind: 'hold', obj: uid, index: idx };
      }
      const c = store.counters.get(uid);
      if (c && c.length > 0) {
        const idx = c.indexAt(q.t);
        if (idx >= 0) return { kind: 'counter', obj: uid, index: idx };
      }
      return { kind: 'object', obj: uid };
    }
  }
}

/**
 * Index of the span containing t in sorted, non-overlapping spans, else the nearest one within
 * `slop` ns, else -1.
 */
export function spanAt(start: Float64Array, end: Float64Array, n: number, t: number, slop: number): number {
  // First span ending after t.
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (end[m] <= t) lo = m + 1;
    else hi = m;
  }
  if (lo < n && start[lo] <= t) return lo;
  // In a gap (or past either end): the closer neighbour within slop.
  let best = -1;
  let bestD = slop;
  if (lo < n) {
    const d = start[lo] - t;
    if (d <= bestD) {
      best = lo;
      bestD = d;
    }
  }
  if (lo > 0) {
    const d = t - end[lo - 1];
    if (d <= bestD) best = lo - 1;
  }
  return best;
}

/** Hold spans may overlap (semaphores): the latest-starting hold that contains t, else nearest. */
export function holdAt(start: Float64Array, end: Float64Array, n: number, t: number, slop: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (start[m] <= t + slop) lo = m + 1;
    else hi = m;
  }
  // Scan back a bounded number of holds; overlapping holds are few (a semaphore's count).
  let best = -1;
  let bestD = Infinity;
  for (let i = lo - 1, seen = 0; i >= 0 && seen < 256; i--, seen++) {
    const s = start[i];
    const e = end[i];
    const d = t < s ? s - t : t > e ? t - e : 0;
    if (d === 0) return i;
    if (d <= slop && d < bestD) {
      best = i;
      bestD = d;
    }
  }
  return best;
}

/** Nearest instant to t within slop, or -1. */
export function nearestInstant(times: Float64Array, n: number, t: number, slop: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (times[m] < t) lo = m + 1;
    else hi = m;
  }
  let best = -1;
  let bestD = slop;
  if (lo < n && times[lo] - t <= bestD) {
    best = lo;
    bestD = times[lo] - t;
  }
  if (lo > 0 && t - times[lo - 1] <= bestD) best = lo - 1;
  return best;
}
