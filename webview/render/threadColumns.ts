/**
 * Per-lane pixel columns kept from one frame to the next. When the scale is unchanged and the
 * view moved by whole pixels (the app snaps pans and the live tail to the pixel grid), only the
 * strip that scrolled into view and the columns from the first new data onwards (appended
 * spans, a changed open state) are rasterized again. Dragging a zoomed-out million-span view,
 * or following a live run, then costs a few columns instead of a walk of every visible span.
 */
import type { OpenState } from '../../extension/protocol';
import type { LaneRaster } from '../lod';
import type { ThreadSpanLane } from '../model/columns';
import type { View } from '../viewport';

interface Entry {
  lane: ThreadSpanLane | undefined;
  len: number;
  sortVersion: number;
  t0: number;
  k: number;
  out: Int8Array;
  openSince: number;
  openEnd: number;
  openState: number;
}

export class ThreadColumnCache {
  private readonly entries = new Map<number, Entry>();
  /** Column ranges [lo, hi) to rasterize in this call, as pairs (at most two; reused). */
  private readonly ranges = new Int32Array(4);
  private nRanges = 0;

  private push(lo: number, hi: number): void {
    this.ranges[this.nRanges * 2] = lo;
    this.ranges[this.nRanges * 2 + 1] = hi;
    this.nRanges++;
  }

  constructor(private readonly raster: LaneRaster) {}

  /** Forgets everything (tests compare a cached frame with a fresh one). */
  clear(): void {
    this.entries.clear();
  }

  /**
   * The dominant state per pixel column of a thread lane (-1: nothing) for `view` at W device
   * pixels. `raster.visited` tells how many spans were walked for it. A change of scale, width
   * or span order recomputes the whole lane.
   */
  columns(view: View, nowNs: number, W: number, uid: number, lane: ThreadSpanLane | undefined, open: OpenState | undefined): Int8Array {
    const raster = this.raster;
    const k = W / (view.t1 - view.t0);
    const len = lane ? lane.length : 0;
    const sortVersion = lane ? lane.sortVersion : 0;
    const openEnd = open ? Math.max(nowNs, open.sinceNs) : 0;
    let c = this.entries.get(uid);
    this.nRanges = 0;
    if (
      c !== undefined &&
      c.lane === lane &&
      c.sortVersion === sortVersion &&
      len >= c.len &&
      c.out.length === W &&
      Math.abs(c.k - k) <= k * 1e-12
    ) {
      const dxf = (view.t0 - c.t0) * k;
      const dx = Math.round(dxf);
      if (Math.abs(dxf - dx) < 1e-6 && Math.abs(dx) < W) {
        // First time whose pixels may differ: the first appended span, or where the open
        // state was or now is, if it changed.
        let dirtyT = Infinity;
        if (len > c.len) dirtyT = lane!.start[c.len];
        const openSame = open
          ? c.openState === open.state && c.openSince === open.sinceNs && c.openEnd === openEnd
          : c.openState === -1;
        if (!openSame) {
          if (c.openState !== -1) dirtyT = Math.min(dirtyT, c.openSince);
          if (open) dirtyT = Math.min(dirtyT, open.sinceNs);
        }
        const dirty = dirtyT === Infinity ? W : Math.max(0, Math.min(W, Math.floor((dirtyT - view.t0) * k)));
        if (dx > 0) {
          c.out.copyWithin(0, dx);
          this.push(Math.min(W - dx, dirty), W);
        } else if (dx < 0) {
          c.out.copyWithin(-dx, 0, W + dx);
          if (dirty <= -dx) this.push(0, W);
          else {
            this.push(0, -dx);
            if (dirty < W) this.push(dirty, W);
          }
        } else if (dirty < W) this.push(dirty, W);
      } else c = undefined;
    } else c = undefined;

    if (c === undefined) {
      c = this.entries.get(uid) ?? { lane, len, sortVersion, t0: 0, k: 0, out: new Int8Array(W), openSince: 0, openEnd: 0, openState: -1 };
      if (c.out.length !== W) c.out = new Int8Array(W);
      this.entries.set(uid, c);
      this.push(0, W);
    }
    let visited = 0;
    for (let r = 0; r < this.nRanges; r++) {
      const lo = this.ranges[r * 2];
      const hi = this.ranges[r * 2 + 1];
      if (hi <= lo) continue;
      raster.begin(view.t0 + lo / k, view.t0 + hi / k, hi - lo);
      if (lane) raster.addSpans(lane);
      if (open) raster.addSpan(open.sinceNs, openEnd, open.state);
      c.out.set(raster.finish(), lo);
      visited += raster.visited;
    }
    raster.visited = visited;
    c.lane = lane;
    c.len = len;
    c.sortVersion = sortVersion;
    c.t0 = view.t0;
    c.k = k;
    c.openSince = open ? open.sinceNs : 0;
    c.openEnd = openEnd;
    c.openState = open ? open.state : -1;
    return c.out;
  }

}
