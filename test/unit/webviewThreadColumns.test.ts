/**
 * Cached lane columns: after pans by whole pixels and live appends, the reused columns must
 * equal a fresh rasterization, while walking fewer spans.
 */
import * as assert from 'assert';
import type { OpenState } from '../../extension/protocol';
import { LaneRaster } from '../../webview/lod';
import { ThreadSpanLane } from '../../webview/model/columns';
import { ThreadColumnCache } from '../../webview/render/threadColumns';
import type { View } from '../../webview/viewport';
import { rng } from './webviewFixtures';

function fresh(view: View, W: number, lane: ThreadSpanLane, open: OpenState | undefined, now: number): Int8Array {
  const r = new LaneRaster();
  r.begin(view.t0, view.t1, W);
  r.addSpans(lane);
  if (open) r.addSpan(open.sinceNs, Math.max(now, open.sinceNs), open.state);
  return r.finish().slice();
}

describe('webview cached lane columns', () => {
  const W = 500;
  const r = rng(11);
  const lane = new ThreadSpanLane();
  let t = 0;
  const append = (n: number) => {
    for (let i = 0; i < n; i++) {
      const d = Math.exp(Math.log(1e3) + r() * (Math.log(1e7) - Math.log(1e3)));
      lane.push(t, t + d, Math.floor(r() * 4), -1, -1, 0);
      t += d;
    }
  };
  append(20000);
  const raster = new LaneRaster();
  const cache = new ThreadColumnCache(raster);

  it('reuses columns on whole-pixel pans and rasterizes only the new strip', () => {
    const w = t / 2;
    let view: View = { t0: t / 4, t1: t / 4 + w };
    assert.deepStrictEqual([...cache.columns(view, t, W, 1, lane, undefined)], [...fresh(view, W, lane, undefined, t)]);
    const full = raster.visited;
    for (const dx of [3, 40, -17, -200, 1]) {
      view = { t0: view.t0 + (dx * w) / W, t1: view.t1 + (dx * w) / W };
      const got = [...cache.columns(view, t, W, 1, lane, undefined)];
      assert.ok(raster.visited < full / 2, `pan ${dx}: walked ${raster.visited} of ${full}`);
      assert.deepStrictEqual(got, [...fresh(view, W, lane, undefined, t)], `pan ${dx}`);
    }
  });

  it('redraws from the first appended span and from a changed open state', () => {
    const w = t / 3;
    let view: View = { t0: t - w * 0.9, t1: t + w * 0.1 };
    let open: OpenState = { thread: 1, state: 1, sinceNs: t, obj: -1, site: -1, waitKind: 0 };
    let now = t + 1000;
    cache.columns(view, now, W, 1, lane, open);
    for (let step = 0; step < 5; step++) {
      const before = t;
      append(300);
      open = { ...open, sinceNs: t, state: (step % 4) as OpenState['state'] };
      now = t + 5000;
      // Follow the tail by a whole number of pixels.
      const dx = Math.round(((t - before) * W) / w);
      view = { t0: view.t0 + (dx * w) / W, t1: view.t1 + (dx * w) / W };
      const got = [...cache.columns(view, now, W, 1, lane, open)];
      assert.deepStrictEqual(got, [...fresh(view, W, lane, open, now)], `step ${step}`);
    }
  });

  it('redraws from the first appended span when there is no open state', () => {
    const w = t / 3;
    let view: View = { t0: t - w * 0.8, t1: t + w * 0.2 };
    cache.columns(view, t, W, 1, lane, undefined);
    for (let step = 0; step < 3; step++) {
      append(200);
      view = { t0: view.t0 + (2 * w) / W, t1: view.t1 + (2 * w) / W };
      assert.deepStrictEqual([...cache.columns(view, t, W, 1, lane, undefined)], [...fresh(view, W, lane, undefined, t)], `step ${step}`);
    }
  });

  it('recomputes everything when the scale changes or the lane was re-sorted', () => {
    const view: View = { t0: 0, t1: t * 0.7 };
    cache.columns(view, t, W, 1, lane, undefined);
    const zoomed: View = { t0: 0, t1: t * 0.69 };
    assert.deepStrictEqual([...cache.columns(zoomed, t, W, 1, lane, undefined)], [...fresh(zoomed, W, lane, undefined, t)]);
    // An out-of-order span: the lane sorts itself and bumps its version.
    lane.push(10, 20, 3, -1, -1, 0);
    lane.ensureSorted();
    assert.deepStrictEqual([...cache.columns(zoomed, t, W, 1, lane, undefined)], [...fresh(zoomed, W, lane, undefined, t)]);
  });
});
