/**
 * Level of detail: turns a lane's spans into one colour class per pixel column.
 *
 * Each pixel gets the state that covers most of its time (spans narrower than a pixel are
 * merged this way; a pixel touched by any span is drawn, so a 1 µs blocked span still shows at
 * full zoom-out). Only visible spans are visited: a binary search finds the first, the walk stops
 * at the right edge. When many spans start inside the current pixel, a thread lane's run of them
 * is not walked: a galloping search finds the last span starting in the pixel, and the coverage
 * of every span before it (all inside the pixel, as thread spans do not overlap) is the
 * difference of two prefix sums (model/columns.ts). The work per pixel is then logarithmic in
 * the spans behind it, so a zoomed-out frame costs about the same at 1M or 4M spans. Hold lanes
 * add aligned groups of 8/64/512 spans that end inside the current pixel from their summaries.
 *
 * The output is an Int8Array per lane (-1 = nothing); the renderer turns it into pixels. This
 * module is pure and tested against a brute-force reference in Node.
 */
import { CUM_SHIFT, CUM_STEP, NSTATES, type SpanSource, type TimeIndex } from './model/columns';

/** Coverage given to a zero-length span so it still claims its pixel. */
const MIN_COVER = 1e-6;
/** Stand-ins for the group summaries of a lane that has none (thread lanes). */
const NO_GROUPS: readonly Float32Array[] = [new Float32Array(0), new Float32Array(0), new Float32Array(0)];
/** A pixel where more than this many spans start is added as a run (prefix sums), not walked. */
const RUN = 3;
/**
 * Above this many visible spans per pixel column, a thread lane is rasterized pixel by pixel
 * from prefix sums at the pixel edges (found with the lane's time index), never visiting the
 * spans in between.
 */
const PREFIX_DENSITY = 4;

export class LaneRaster {
  /** Dominant state per pixel column, -1 where nothing was drawn. */
  out: Int8Array = new Int8Array(0);
  private buf: Int8Array = new Int8Array(0);
  /** Spans accounted for during the last begin..finish (visible spans; a benchmark figure). */
  visited = 0;
  /** Loop iterations for them: fewer than `visited` when group summaries were used. */
  steps = 0;
  private readonly cov = new Float64Array(NSTATES);
  /** Scratch: prefix sums at one pixel edge. */
  private readonly part = new Float64Array(NSTATES);
  /** Scratch of addByPrefix: spans starting before each pixel edge, and P at each edge. */
  private edgeJ = new Int32Array(0);
  private edgeP = new Float64Array(0);
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
    const groups = src.groups.length === 3;
    const [g8, g64, g512] = groups ? src.groups : NO_GROUPS;
    const cum = src.cum;
    // Prefix sums stand for runs of spans only when spans do not overlap.
    const useCum = src.disjoint && cum.length > 0;
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
    if (useCum && cur === -1 && n - first > PREFIX_DENSITY * W) {
      // Dense enough to be worth it? Count the spans starting before the right edge.
      let a = first;
      let b = n;
      while (a < b) {
        const m = (a + b) >>> 1;
        if (S[m] < t1) a = m + 1;
        else b = m;
      }
      if (a - first > PREFIX_DENSITY * W) {
        const ix = src.timeIndex ? src.timeIndex() : null;
        if (ix && ix.count > 0) {
          this.addByPrefix(src, ix, first, a);
          return;
        }
      }
    }
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
      if (useCum) {
        // A run: span i starts in this pixel (not before the view) and so do the next RUN spans.
        // Spans i .. j-2 then lie inside the pixel (each ends where the next begins, or before),
        // j-1 being the last span that starts in it; only j-1 may reach further.
        const xb = cur + 1;
        if (i + RUN < n && s >= t0 && (S[i + RUN] - t0) * k < xb) {
          // The first span starting at or after the pixel's right edge: a plain scan, strided
          // (sequential loads and a predictable loop beat a binary search's mispredicted
          // branches at the tens of spans a pixel holds), galloping only past 64.
          let m = i + RUN + 1;
          let stride = 8;
          let run = 0;
          while (m + stride <= n && (S[m + stride - 1] - t0) * k < xb) {
            m += stride;
            if (++run === 8) {
              run = 0;
              stride *= 2;
            }
          }
          // Now span m-1 starts inside and the answer is in [m, m + stride]: narrow it down.
          let hiB = m + stride > n ? n : m + stride;
          while (hiB - m > 8) {
            steps++;
            const mid = (m + hiB) >>> 1;
            if ((S[mid - 1] - t0) * k < xb) m = mid;
            else hiB = mid;
          }
          while (m < n && (S[m] - t0) * k < xb) m++;
          steps += run + 1;
          const last = m - 1; // the last span starting in the pixel
          // Coverage of spans [i, last) = P(last) - P(i), P(j) = cum at j's step + the spans of
          // j's step before j.
          const qi = (i >> CUM_SHIFT) * NSTATES;
          const ql = (last >> CUM_SHIFT) * NSTATES;
          C[0] += (cum[ql] - cum[qi]) * k;
          C[1] += (cum[ql + 1] - cum[qi + 1]) * k;
          C[2] += (cum[ql + 2] - cum[qi + 2]) * k;
          C[3] += (cum[ql + 3] - cum[qi + 3]) * k;
          for (let q = last & ~(CUM_STEP - 1); q < last; q++) C[ST[q]] += (E[q] - S[q]) * k;
          for (let q = i & ~(CUM_STEP - 1); q < i; q++) C[ST[q]] -= (E[q] - S[q]) * k;
          i = last;
          continue;
        }
      } else if (groups && (i & 7) === 0 && s >= t0) {
        // Group skip: an aligned group that starts in view and ends in this pixel adds its
        // coverage at once. Largest group first.
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

  /**
   * A zoomed-out thread lane, pixel by pixel: with P(t) the time per state covered before t,
   * a pixel [a, b) gets P(b) - P(a), and P(b) is read from the prefix sums at the last span
   * starting before b (found through the time index) plus that span's part before b. Spans
   * `first` .. `end` - 1 are the visible ones. The last pixel is left open (cur, cov) like the
   * walk leaves it, so the open state drawn next can add to it.
   */
  private addByPrefix(src: SpanSource, ix: TimeIndex, first: number, end: number): void {
    const S = src.start;
    const E = src.end;
    const ST = src.state;
    const cum = src.cum;
    const n = src.length;
    const t0 = this.t0;
    const k = this.k;
    const inv = 1 / k;
    const W = this.width;
    const out = this.out;
    const C = this.cov;
    const origin = ix.origin;
    const invBin = 1 / ix.width;
    const count = ix.count;
    const idx = ix.idx;
    let steps = 0;
    const xs = (S[first] - t0) * k;
    const xFirst = xs > 0 ? xs | 0 : 0;
    const xe = (E[end - 1] - t0) * k;
    const xLast = xe >= W ? W - 1 : xe | 0;
    if (this.edgeJ.length < W + 2) {
      this.edgeJ = new Int32Array(W + 2);
      this.edgeP = new Float64Array((W + 2) * NSTATES);
    }
    const J = this.edgeJ;
    const P = this.edgeP;
    // In passes over the pixel edges xFirst .. xLast + 1, each free of the others, so the memory
    // loads of many edges are in flight together (a 4M-span lane does not fit in any cache).
    // 1. The time index's guess of j(b), the number of spans starting before edge time b.
    for (let x = xFirst; x <= xLast + 1; x++) {
      const g = Math.floor((t0 + x * inv - origin) * invBin);
      J[x] = g < 0 ? 0 : g >= count ? idx[count - 1] : idx[g];
    }
    // 2. Exact j(b): idx[g] is the first span starting at or after the bin's left edge, which is
    // at or before b up to rounding; the spans between it and b are the bin's few.
    for (let x = xFirst; x <= xLast + 1; x++) {
      const b = t0 + x * inv;
      let j = J[x];
      while (j > 0 && S[j - 1] >= b) j--;
      let run = 0;
      while (j < n && S[j] < b) {
        j++;
        steps++;
        if (++run === 8) {
          // A burst of spans in one bin: gallop, then bisect, instead of walking them.
          let lo = j - 1; // starts before b
          let step = 8;
          let hi = j + step;
          while (hi < n && S[hi] < b) {
            steps++;
            lo = hi;
            step *= 2;
            hi = lo + step;
          }
          if (hi > n) hi = n;
          while (hi - lo > 1) {
            steps++;
            const m = (lo + hi) >>> 1;
            if (S[m] < b) lo = m;
            else hi = m;
          }
          j = hi;
          break;
        }
      }
      J[x] = j;
    }
    // 3. P(b): prefix sums up to the step of span j-1 (earlier spans end before b, as spans do
    // not overlap), plus the spans of that step, clipped at b.
    const part = this.part;
    for (let x = xFirst; x <= xLast + 1; x++) {
      const j = J[x];
      const q = x * NSTATES;
      if (j === 0) {
        P[q] = P[q + 1] = P[q + 2] = P[q + 3] = 0;
        continue;
      }
      const b = t0 + x * inv;
      const gs = (j - 1) >> CUM_SHIFT;
      const base = gs * NSTATES;
      part[0] = cum[base];
      part[1] = cum[base + 1];
      part[2] = cum[base + 2];
      part[3] = cum[base + 3];
      // The step's spans before j, clipped at b: span m0 always, m0 + 1 if it starts before b,
      // without a branch (a mispredicted one would throw away the loads already in flight).
      // (Indexed adds, not a branch per state: states alternate unpredictably.)
      const m0 = gs << CUM_SHIFT;
      part[ST[m0]] += Math.min(E[m0], b) - S[m0];
      // (Weight 1 when m0 + 1 < j; past the last span, read m0 again with weight 0.)
      const m1 = m0 + 1 < n ? m0 + 1 : m0;
      part[ST[m1]] += ((m0 + 1 - j) >>> 31) * (Math.min(E[m1], b) - S[m1]);
      P[q] = part[0];
      P[q + 1] = part[1];
      P[q + 2] = part[2];
      P[q + 3] = part[3];
    }
    // 4. Pixel x covers P(x + 1) - P(x) of each state.
    for (let x = xFirst; x <= xLast; x++) {
      const q = x * NSTATES;
      const c0 = (P[q + 4] - P[q]) * k;
      const c1 = (P[q + 5] - P[q + 1]) * k;
      const c2 = (P[q + 6] - P[q + 2]) * k;
      const c3 = (P[q + 7] - P[q + 3]) * k;
      let best = -1;
      let mx = 0;
      if (c0 > mx) {
        mx = c0;
        best = 0;
      }
      if (c1 > mx) {
        mx = c1;
        best = 1;
      }
      if (c2 > mx) {
        mx = c2;
        best = 2;
      }
      if (c3 > mx) {
        mx = c3;
        best = 3;
      }
      if (x === xLast) {
        // Left open for the open state, as the walk leaves it.
        C[0] = c0 > 0 ? c0 : 0;
        C[1] = c1 > 0 ? c1 : 0;
        C[2] = c2 > 0 ? c2 : 0;
        C[3] = c3 > 0 ? c3 : 0;
        if (best < 0) this.zeroLength(S, E, ST, J[x], J[x + 1], x);
        this.cur = x;
      } else if (best >= 0) out[x] = best;
      else if (J[x + 1] > J[x]) {
        // Only zero-length spans start here: they still claim the pixel.
        C[0] = C[1] = C[2] = C[3] = 0;
        this.zeroLength(S, E, ST, J[x], J[x + 1], x);
        this.cur = x;
        this.flush();
      }
    }
    this.visited += end - first;
    this.steps += steps + (xLast - xFirst + 2);
  }

  /** MIN_COVER per zero-length span among spans [ja, jb) (they start in pixel px). */
  private zeroLength(S: Float64Array, E: Float64Array, ST: Uint8Array, ja: number, jb: number, px: number): void {
    const t0 = this.t0;
    const k = this.k;
    for (let m = ja; m < jb; m++) {
      const a = (S[m] - t0) * k;
      const e = (E[m] - t0) * k;
      if (e <= a && a >= px) this.cov[ST[m]] += MIN_COVER;
    }
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
