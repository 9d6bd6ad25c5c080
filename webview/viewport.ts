/**
 * The visible time range and the math of zooming, panning, fitting and following the live tail.
 * Pure: interaction.ts turns input into these calls, tests check the invariants (the time under
 * the pointer stays under the pointer while zooming, limits hold).
 */

export interface View {
  t0: number;
  t1: number;
}

/**
 * 'fit': show the whole run, growing with it (the initial mode while a run is live).
 * 'tail': keep the current width, right edge pinned to now (after "Follow" on a zoomed view).
 * null: the user moved the view; it stays where it was put.
 */
export type FollowMode = 'fit' | 'tail' | null;

/** Narrowest view: 50 ns across the whole canvas (the clock is ns, spans can be a few µs). */
export const MIN_RANGE_NS = 50;
/** An empty run still gets a 1 ms wide axis. */
const MIN_EXTENT_NS = 1e6;

export function range(v: View): number {
  return v.t1 - v.t0;
}

/** Keeps a view inside sane limits for a run of the given extent (ns from T0). */
export function clampView(v: View, extentNs: number): View {
  const extent = Math.max(extentNs, MIN_EXTENT_NS);
  const maxRange = extent * 1.5;
  let w = v.t1 - v.t0;
  if (!Number.isFinite(w) || w <= 0) return fitView(extentNs);
  if (w < MIN_RANGE_NS) w = MIN_RANGE_NS;
  if (w > maxRange) w = maxRange;
  const mid = (v.t0 + v.t1) / 2;
  let t0 = Number.isFinite(mid) ? mid - w / 2 : 0;
  // Allow scrolling a little past either end, never into a void.
  const lo = -0.25 * w;
  const hi = extent + 0.25 * w - w;
  if (t0 > hi) t0 = hi;
  if (t0 < lo) t0 = lo;
  return { t0, t1: t0 + w };
}

/** The whole run with a small margin on the right so the live edge is visible. */
export function fitView(extentNs: number): View {
  const extent = Math.max(extentNs, MIN_EXTENT_NS);
  return { t0: 0, t1: extent * 1.02 };
}

/** Zooms by `factor` (>1 out, <1 in) keeping time `anchor` at the same screen position. */
export function zoomAt(v: View, anchor: number, factor: number, extentNs: number): View {
  const w = v.t1 - v.t0;
  let nw = w * factor;
  if (nw < MIN_RANGE_NS) nw = MIN_RANGE_NS;
  const maxRange = Math.max(extentNs, MIN_EXTENT_NS) * 1.5;
  if (nw > maxRange) nw = maxRange;
  const f = (anchor - v.t0) / w;
  const t0 = anchor - f * nw;
  const z = { t0, t1: t0 + nw };
  // Clamping recentres only when a limit is hit; otherwise the anchor must stay put exactly.
  const c = clampView(z, extentNs);
  return Math.abs(c.t0 - z.t0) < 1e-9 * nw ? z : c;
}

/** Pans by dt ns (positive: later). */
export function panBy(v: View, dt: number, extentNs: number): View {
  return clampView({ t0: v.t0 + dt, t1: v.t1 + dt }, extentNs);
}

/** Time at pixel x of a canvas `width` pixels wide. */
export function timeAtX(v: View, x: number, width: number): number {
  return v.t0 + (x / width) * (v.t1 - v.t0);
}

export function xAtTime(v: View, t: number, width: number): number {
  return ((t - v.t0) / (v.t1 - v.t0)) * width;
}

/** Headroom a live 'fit' view keeps on the right, so it changes scale only now and then. */
export const LIVE_FIT_HEADROOM = 0.15;

/**
 * The view a follow mode implies as the run grows. While the run is live, 'fit' changes only
 * when the data reaches the right edge, then jumps to the extent plus LIVE_FIT_HEADROOM: between
 * jumps the scale is constant, so each frame redraws only the columns new data touched (the
 * renderer reuses the rest) instead of re-merging the whole history at a slightly new scale.
 */
export function followView(v: View, mode: FollowMode, nowNs: number, extentNs: number, live = false): View {
  if (mode === 'fit') {
    if (!live) return fitView(extentNs);
    const extent = Math.max(extentNs, 1e6);
    if (v.t0 === 0 && v.t1 >= extent && v.t1 <= extent * (1 + 2 * LIVE_FIT_HEADROOM)) return v;
    return { t0: 0, t1: extent * (1 + LIVE_FIT_HEADROOM) };
  }
  if (mode === 'tail') {
    const w = v.t1 - v.t0;
    const t1 = nowNs + w * 0.02;
    return { t0: t1 - w, t1 };
  }
  return v;
}

/** Wheel delta (pixels) to a zoom factor; ~10% per notch of 100 px. */
export function wheelZoomFactor(deltaY: number, deltaMode: number): number {
  const px = deltaMode === 1 ? deltaY * 33 : deltaMode === 2 ? deltaY * 400 : deltaY;
  const clamped = Math.max(-400, Math.min(400, px));
  return Math.exp(clamped * 0.001);
}
