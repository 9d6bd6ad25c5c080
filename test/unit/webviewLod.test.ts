/**
 * Level of detail: the rasterizer must give each pixel the state covering most of it, exactly
 * like a brute-force computation, whether it walks spans one by one or skips whole groups.
 */
import * as assert from 'assert';
import { LaneRaster, referenceRaster } from '../../webview/lod';
import { HoldLane, ThreadSpanLane } from '../../webview/model/columns';
import { rng } from './webviewFixtures';

interface S {
  s: number;
  e: number;
  st: number;
}

function laneOf(list: S[]): ThreadSpanLane {
  const l = new ThreadSpanLane();
  for (const x of list) l.push(x.s, x.e, x.st, -1, -1, 0);
  return l;
}

/** Contiguous spans with log-uniform durations (like the probe's worst case), state always changing. */
function randomSpans(seed: number, n: number, gapChance = 0): S[] {
  const r = rng(seed);
  const out: S[] = [];
  let t = 1000;
  let st = 0;
  for (let i = 0; i < n; i++) {
    const d = Math.exp(Math.log(1e3) + r() * (Math.log(5e7) - Math.log(1e3)));
    if (r() < gapChance) t += d;
    st = (st + 1 + Math.floor(r() * 3)) % 4;
    out.push({ s: t, e: t + d, st });
    t += d;
  }
  return out;
}

function raster(list: S[], t0: number, t1: number, w: number, open?: S): Int8Array {
  const r = new LaneRaster();
  r.begin(t0, t1, w);
  r.addSpans(laneOf(list));
  if (open) r.addSpan(open.s, open.e, open.st);
  return r.finish().slice();
}

/**
 * Pixels where the two disagree, ignoring near-ties: float sums in a different order (pixels
 * vs ns, Float32 group sums) may flip a pixel whose top two states cover the same time.
 */
function mismatches(got: Int8Array, list: S[], t0: number, t1: number, w: number): number[] {
  const want = referenceRaster(list, t0, t1, w);
  const bad: number[] = [];
  const k = w / (t1 - t0);
  for (let x = 0; x < w; x++) {
    if (got[x] === want[x]) continue;
    const a = t0 + x / k;
    const b = t0 + (x + 1) / k;
    const cov = [0, 0, 0, 0];
    for (const sp of list) {
      const lo = Math.max(a, sp.s);
      const hi = Math.min(b, sp.e);
      if (hi > lo) cov[sp.st] += hi - lo;
    }
    const g = got[x] < 0 ? -1 : cov[got[x]];
    const wv = want[x] < 0 ? -1 : cov[want[x]];
    if (Math.abs(g - wv) > 1e-3 * (b - a)) bad.push(x);
  }
  return bad;
}

describe('webview LOD raster', function () {
  // Brute-force references over 200k spans: generous on a busy machine.
  this.timeout(30000);

  it('draws a wide span over every pixel it covers and nothing elsewhere', () => {
    const out = raster([{ s: 200, e: 600, st: 1 }], 0, 1000, 10);
    assert.deepStrictEqual([...out], [-1, -1, 1, 1, 1, 1, -1, -1, -1, -1]);
  });

  it('gives a pixel to the state covering most of it', () => {
    // Pixel 0 = [0, 100): 30 running, 70 blocked. Pixel 1: 100 waiting.
    const out = raster(
      [
        { s: 0, e: 30, st: 0 },
        { s: 30, e: 100, st: 1 },
        { s: 100, e: 200, st: 2 },
      ],
      0,
      1000,
      10,
    );
    assert.strictEqual(out[0], 1);
    assert.strictEqual(out[1], 2);
    assert.strictEqual(out[2], -1);
  });

  it('keeps a very short span visible as one pixel', () => {
    const out = raster([{ s: 5000, e: 5001, st: 1 }], 0, 100000, 100);
    assert.strictEqual(out[5], 1);
    assert.strictEqual(out.filter((v) => v >= 0).length, 1);
  });

  it('clips spans at both edges of the view', () => {
    const out = raster([{ s: -500, e: 1500, st: 3 }], 0, 1000, 10);
    assert.deepStrictEqual([...out], new Array(10).fill(3));
  });

  it('draws the open state after the closed spans', () => {
    const out = raster([{ s: 0, e: 300, st: 0 }], 0, 1000, 10, { s: 300, e: 800, st: 1 });
    assert.deepStrictEqual([...out], [0, 0, 0, 1, 1, 1, 1, 1, -1, -1]);
  });

  for (const [name, t0, t1, w, n, gaps] of [
    ['zoomed out: every pixel merges many spans (group skips)', 0, 0, 1400, 20000, 0],
    ['zoomed out with gaps between spans', 0, 0, 700, 8000, 0.3],
    ['mid zoom', 0.4, 0.45, 1000, 20000, 0],
    ['deep zoom: spans wider than pixels', 0.5, 0.50001, 800, 20000, 0],
  ] as [string, number, number, number, number, number][]) {
    it(`matches a brute-force reference, ${name}`, () => {
      const list = randomSpans(n + w, n, gaps);
      const end = list[list.length - 1].e;
      const a = t0 === 0 && t1 === 0 ? 0 : end * t0;
      const b = t0 === 0 && t1 === 0 ? end * 1.01 : end * t1;
      const got = raster(list, a, b, w);
      const bad = mismatches(got, list, a, b, w);
      assert.deepStrictEqual(bad, [], `pixels differing: ${bad.slice(0, 10).join(',')}`);
    });
  }

  it('visits far fewer spans than exist when zoomed out, thanks to group summaries', () => {
    const list = randomSpans(9, 200000);
    const lane = laneOf(list);
    const r = new LaneRaster();
    r.begin(0, list[list.length - 1].e, 500);
    r.addSpans(lane);
    r.finish();
    assert.strictEqual(r.visited, 200000);
    assert.ok(r.steps < 200000 / 5, `loop ran ${r.steps} times for 200000 spans`);
    const bad = mismatches(r.out, list, 0, list[list.length - 1].e, 500);
    assert.deepStrictEqual(bad, []);
  });

  it('matches the reference zoomed out with zero-length spans and gaps (prefix sums per pixel edge)', () => {
    const r = rng(77);
    const list: S[] = [];
    let t = 0;
    for (let i = 0; i < 30000; i++) {
      const d = r() < 0.1 ? 0 : Math.exp(Math.log(1e3) + r() * (Math.log(5e7) - Math.log(1e3)));
      if (r() < 0.2) t += d * 3;
      list.push({ s: t, e: t + d, st: Math.floor(r() * 4) });
      t += d;
    }
    // Zero-length spans alone in a pixel still claim it.
    list.push({ s: t + 1e9, e: t + 1e9, st: 2 }, { s: t + 1e9 + 5, e: t + 1e9 + 5, st: 2 }, { s: t + 1e9 + 9, e: t + 1e9 + 9, st: 1 });
    const end = t + 1.1e9;
    for (const [a, b, w] of [
      [0, end, 900],
      [end * 0.2, end * 0.7, 1300],
      [-end * 0.1, end * 1.2, 333],
    ] as [number, number, number][]) {
      const lane = laneOf(list);
      const ras = new LaneRaster();
      ras.begin(a, b, w);
      ras.addSpans(lane);
      const got = ras.finish().slice();
      assert.ok(ras.steps < list.length / 4, `${ras.steps} steps for ${ras.visited} spans`);
      const bad = mismatches(got, list, a, b, w);
      assert.deepStrictEqual(bad, [], `view ${a}..${b} at ${w} px: pixels differing ${bad.slice(0, 10).join(',')}`);
    }
  });

  it('keeps its time index right while a live lane grows, idles and bursts', () => {
    const r = rng(5);
    const list: S[] = [];
    const lane = new ThreadSpanLane();
    let t = 0;
    const ras = new LaneRaster();
    for (let round = 0; round < 12; round++) {
      // Bursts of short spans, then a long idle stretch every few rounds: the index is extended,
      // and rebuilt when its bins would outnumber the spans.
      const n = 500 + Math.floor(r() * 4000);
      const scale = round % 3 === 2 ? 1e2 : 1e5;
      for (let i = 0; i < n; i++) {
        const d = scale * (0.1 + r());
        const sp = { s: t, e: t + d, st: Math.floor(r() * 4) };
        list.push(sp);
        lane.push(sp.s, sp.e, sp.st, -1, -1, 0);
        t += d;
      }
      if (round % 4 === 3) t += 1e11;
      const ix = lane.timeIndex()!;
      assert.ok(ix.count <= 4 * lane.length + 64, `round ${round}: ${ix.count} bins for ${lane.length} spans`);
      for (let g = 0; g < ix.count; g++) {
        const edge = ix.origin + g * ix.width;
        const j = ix.idx[g];
        assert.ok(j === lane.length || lane.start[j] >= edge, `round ${round} bin ${g}`);
        assert.ok(j === 0 || lane.start[j - 1] < edge, `round ${round} bin ${g}`);
      }
      for (const [a, b, w] of [
        [0, t, 700],
        [t * 0.5, t, 400],
      ] as [number, number, number][]) {
        ras.begin(a, b, w);
        ras.addSpans(lane);
        const bad = mismatches(ras.finish().slice(), list, a, b, w);
        assert.deepStrictEqual(bad, [], `round ${round}, view ${a}..${b}: ${bad.slice(0, 10).join(',')}`);
      }
    }
  });

  it('visits only the spans of the visible range when zoomed in', () => {
    const list = randomSpans(4, 50000);
    const lane = laneOf(list);
    const mid = list[25000];
    const r = new LaneRaster();
    r.begin(mid.s, mid.s + (mid.e - mid.s) * 3, 300);
    r.addSpans(lane);
    r.finish();
    assert.ok(r.visited < 50, `visited ${r.visited}`);
  });

  it('draws overlapping hold spans (a semaphore) wherever any hold covers', () => {
    const h = new HoldLane();
    h.push(0, 500, 1);
    h.push(100, 200, 2);
    h.push(700, 800, 1);
    const r = new LaneRaster();
    r.begin(0, 1000, 10);
    r.addSpans(h);
    const out = r.finish();
    assert.deepStrictEqual(
      [...out].map((v) => (v >= 0 ? 1 : 0)),
      [1, 1, 1, 1, 1, 0, 0, 1, 0, 0],
    );
    // The view starts inside the long first hold: it must still be found (running max of ends).
    r.begin(300, 400, 4);
    r.addSpans(h);
    assert.deepStrictEqual([...r.finish()].map((v) => (v >= 0 ? 1 : 0)), [1, 1, 1, 1]);
  });
});
