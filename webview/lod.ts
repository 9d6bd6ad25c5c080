/**
 * Level of detail: turns a lane's spans into one colour class per pixel column.
 *
 * Each pixel gets the state that covers most of its time (spans narrower than a pixel are
 * merged this way; a pixel touched by any span is drawn, so a 1 µs blocked span still shows at
 * full zoom-out). Only visible spans are visited: a binary search finds the first, the walk stops
 * at the right edge, and aligned groups of 8/64/512 spans that end inside the current pixel are
 * added in O(1) from their precomputed coverage (model/columns.ts), which bounds the work per
 * pixel instead of per span when the view is zoomed far out.
 *
 * The output is an Int8Array per lane (-1 = nothing); the renderer turns it into pixels. This
 * module is pure and tested against a brute-force reference in Node.
 */
import { NSTATES, type SpanSource } from './model/columns';

/** Coverage given to a zero-length span so it still claims its pixel. */
const MIN_COVER = 1e-6;

export class LaneRaster {
  /** Dominant state per pixel column, -1 where nothing was drawn. */
  out: Int8Array = new Int8Array(0);
  private buf: Int8Array = new Int8Array(0);
  /** Spans accounted for during the last begin..finish (visible spans; a benchmark figure). */
  visited = 0;
  /** Loop iterations for them: fewer than `visited` when group summaries were used. */
  steps = 0;
  private readonly cov = new Float64Array(NSTATES);
  private t0 = 0;
  private k = 1;
  private width = 0;
  private cur = -1;

  /** Starts a lane: time t0..t1 maps to pixel columns 0..width. */
  begin(t0: number, t1: number, width: number): void {
    // One buffer reused at every width (full lanes and the narrow strips of a pan).
    if (this.buf.length < width) this.buf = new Int8Array(Math.max(width, this.buf.length * 2));
    if (this.out.length !== width) this.out = this.buf.subarray(0, width);
    this.out.fill(-1);
    this.t0 = t0;
    this.k = width / (t1 - t0);
    this.width = width;
    this.cur = -1;
    this.cov.fill(0);
    this.visited = 0;
    this.steps = 0;
  }

  private flush(): void {
    const cur = this.cur;
    if (cur < 0 || cur >= this.width) return;
    const c = this.cov;
    let best = -1;
    let m = 0;
    for (let s = 0; s < NSTATES; s++) {
      if (c[s] > m) {
        m = c[s];
        best = s;
      }
    }
    if (best >= 0) this.out[cur] = best;
  }

  /** Adds every span of a sorted source that is visible in the current range. */
  addSpans(src: SpanSource): void {
    const n = src.length;
    if (n === 0) return;
    const S = src.start;
    const E = src.end;
    const R = src.reach;
    const ST = src.state;
    const [g8, g64, g512] = src.groups;
    const t0 = this.t0;
    const k = this.k;
    const W = this.width;
    const t1 = t0 + W / k;
    const C = this.cov;
    const out = this.out;
    let cur = this.cur;

    // First span whose reach is after t0: everything before it is left of the view.
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const m = (lo + hi) >>> 1;
      if (R[m] <= t0) lo = m + 1;
      else hi = m;
    }
    let i = lo;
    const first = i;
    let steps = 0;
    while (i < n) {
      steps++;
      const s = S[i];
      if (s >= t1) break;
      let xs = (s - t0) * k;
      if (xs < 0) xs = 0;
      const px = xs | 0;
      if (px !== cur) {
        this.cur = cur;
        this.flush();
        cur = px;
        C[0] = C[1] = C[2] = C[3] = 0;
      }
      // Group skip: an aligned group that starts in view and ends in this pixel adds its
      // coverage at once. Largest group first.
      if ((i & 7) === 0 && s >= t0) {
        if ((i & 511) === 0 && i + 512 <= n && (R[i + 511] - t0) * k < cur + 1) {
          const q = (i >> 9) * NSTATES;
          C[0] += g512[q] * k;
          C[1] += g512[q + 1] * k;
          C[2] += g512[q + 2] * k;
          C[3] += g512[q + 3] * k;
          i += 512;
          continue;
        }
        if ((i & 63) === 0 && i + 64 <= n && (R[i + 63] - t0) * k < cur + 1) {
          const q = (i >> 6) * NSTATES;
          C[0] += g64[q] * k;
          C[1] += g64[q + 1] * k;
          C[2] += g64[q + 2] * k;
          C[3] += g64[q + 3] * k;
          i += 64;
          continue;
        }
        if (i + 8 <= n && (R[i + 7] - t0) * k < cur + 1) {
          const q = (i >> 3) * NSTATES;
          C[0] += g8[q] * k;
          C[1] += g8[q + 1] * k;
          C[2] += g8[q + 2] * k;
          C[3] += g8[q + 3] * k;
          i += 8;
          continue;
        }
      }
      let xe = (E[i] - t0) * k;
      if (xe > W) xe = W;
      const st = ST[i];
      i++;
      if (xe <= xs) {
        C[st] += MIN_COVER;
        continue;
      }
      const pe = xe | 0;
      if (pe <= cur) {
        C[st] += xe - xs;
        continue;
      }
      C[st] += cur + 1 - xs;
      this.cur = cur;
      this.flush();
      for (let x = cur + 1; x < pe; x++) out[x] = st;
      cur = pe;
      C[0] = C[1] = C[2] = C[3] = 0;
      C[st] = xe - pe;
    }
    this.cur = cur;
    this.visited += i - first;
    this.steps += steps;
  }

  /** Adds one span (a thread's open state, drawn up to now). */
  addSpan(s: number, e: number, st: number): void {
    const t0 = this.t0;
    const k = this.k;
    const W = this.width;
    if (e <= t0 || s >= t0 + W / k) {
      if (!(e === s && s === t0)) return;
    }
    const C = this.cov;
    let xs = (s - t0) * k;
    if (xs < 0) xs = 0;
    let xe = (e - t0) * k;
    if (xe > W) xe = W;
    const px = xs | 0;
    if (px !== this.cur) {
      this.flush();
      this.cur = px;
      C.fill(0);
    }
    if (xe <= xs) {
      C[st] += MIN_COVER;
      return;
    }
    const pe = xe | 0;
    if (pe <= this.cur) {
      C[st] += xe - xs;
      return;
    }
    C[st] += this.cur + 1 - xs;
    this.flush();
    for (let x = this.cur + 1; x < pe; x++) this.out[x] = st;
    this.cur = pe;
    C.fill(0);
    C[st] = xe - pe;
  }

  /** Ends the lane and returns the per-pixel states. */
  finish(): Int8Array {
    this.flush();
    this.cur = -1;
    return this.out;
  }
}

/**
 * Reference implementation for tests: exact coverage per pixel per state, computed in ns from
 * each span's overlap with every pixel it touches (no walking state, no groups). Never used
 * for drawing.
 */
export function referenceRaster(
  spans: { s: number; e: number; st: number }[],
  t0: number,
  t1: number,
  width: number,
): Int8Array {
  const out = new Int8Array(width).fill(-1);
  const k = width / (t1 - t0);
  const cov = new Float64Array(width * 4);
  const touched = new Uint8Array(width);
  for (const sp of spans) {
    if (sp.e === sp.s) {
      const x = Math.floor((sp.s - t0) * k);
      if (sp.s >= t0 && x >= 0 && x < width) {
        cov[x * 4 + sp.st] += MIN_COVER / k;
        touched[x] = 1;
      }
      continue;
    }
    const xa = Math.max(0, Math.floor((sp.s - t0) * k));
    const xb = Math.min(width - 1, Math.floor((sp.e - t0) * k));
    for (let x = xa; x <= xb; x++) {
      const a = t0 + x / k;
      const b = t0 + (x + 1) / k;
      const lo = Math.max(a, sp.s);
      const hi = Math.min(b, sp.e);
      if (hi > lo) {
        cov[x * 4 + sp.st] += hi - lo;
        touched[x] = 1;
      }
    }
  }
  for (let x = 0; x < width; x++) {
    if (!touched[x]) continue;
    let best = 0;
    for (let s = 1; s < 4; s++) if (cov[x * 4 + s] > cov[x * 4 + best]) best = s;
    out[x] = best;
  }
  return out;
}
