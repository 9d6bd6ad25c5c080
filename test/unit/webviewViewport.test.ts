/** Zoom, pan, fit and follow math. */
import * as assert from 'assert';
import { clampView, fitView, followView, LIVE_FIT_HEADROOM, MIN_RANGE_NS, panBy, timeAtX, wheelZoomFactor, xAtTime, zoomAt } from '../../webview/viewport';

describe('webview viewport', () => {
  const extent = 10e9;

  it('keeps the time under the pointer fixed while zooming in and out', () => {
    let v = { t0: 1e9, t1: 3e9 };
    const x = 300;
    const w = 1000;
    const anchor = timeAtX(v, x, w);
    for (const f of [0.5, 0.8, 1.25, 2, 0.1]) {
      v = zoomAt(v, anchor, f, extent);
      assert.ok(Math.abs(xAtTime(v, anchor, w) - x) < 1e-6, `factor ${f}: ${xAtTime(v, anchor, w)}`);
    }
  });

  it('zoom in changes the range by the factor; limits hold', () => {
    const v = zoomAt({ t0: 0, t1: 1e9 }, 5e8, 0.5, extent);
    assert.strictEqual(v.t1 - v.t0, 5e8);
    const tiny = zoomAt({ t0: 0, t1: 100 }, 50, 0.01, extent);
    assert.strictEqual(tiny.t1 - tiny.t0, MIN_RANGE_NS);
    const huge = zoomAt({ t0: 0, t1: extent }, 0, 100, extent);
    assert.ok(huge.t1 - huge.t0 <= extent * 1.5 + 1);
  });

  it('pans by a time delta and never far past either end', () => {
    assert.deepStrictEqual(panBy({ t0: 1e9, t1: 2e9 }, 5e8, extent), { t0: 1.5e9, t1: 2.5e9 });
    const left = panBy({ t0: 1e9, t1: 2e9 }, -5e9, extent);
    assert.strictEqual(left.t0, -0.25e9);
    const right = panBy({ t0: 1e9, t1: 2e9 }, 50e9, extent);
    assert.strictEqual(right.t1, extent + 0.25e9);
  });

  it('fits the whole run with a margin, and a minimum width for an empty run', () => {
    assert.deepStrictEqual(fitView(1e9), { t0: 0, t1: 1.02e9 });
    assert.ok(fitView(0).t1 >= 1e6);
  });

  it('follows: fit grows with the run, tail keeps the width pinned to now', () => {
    const v = { t0: 2e9, t1: 3e9 };
    assert.deepStrictEqual(followView(v, 'fit', 5e9, 5e9), fitView(5e9));
    const tail = followView(v, 'tail', 8e9, 8e9);
    assert.ok(Math.abs(tail.t1 - tail.t0 - 1e9) < 1);
    assert.ok(tail.t0 < 8e9 && tail.t1 > 8e9);
    assert.strictEqual(followView(v, null, 8e9, 8e9), v);
  });

  it('a live fit keeps its scale until the data reaches the right edge, then jumps with headroom', () => {
    let v = followView({ t0: 0, t1: 1e6 }, 'fit', 2e9, 2e9, true);
    assert.deepStrictEqual(v, { t0: 0, t1: 2e9 * (1 + LIVE_FIT_HEADROOM) });
    // Growing inside the headroom: same view object, same scale.
    assert.strictEqual(followView(v, 'fit', 2.2e9, 2.2e9, true), v);
    v = followView(v, 'fit', 2.4e9, 2.4e9, true);
    assert.deepStrictEqual(v, { t0: 0, t1: 2.4e9 * (1 + LIVE_FIT_HEADROOM) });
    // Once the run is over, fit is tight again.
    assert.deepStrictEqual(followView(v, 'fit', 2.4e9, 2.4e9, false), fitView(2.4e9));
  });

  it('repairs a broken view', () => {
    const v = clampView({ t0: NaN, t1: NaN }, 1e9);
    assert.ok(Number.isFinite(v.t0) && v.t1 > v.t0);
  });

  it('turns wheel deltas into zoom factors, clamped per event', () => {
    assert.ok(wheelZoomFactor(100, 0) > 1);
    assert.ok(wheelZoomFactor(-100, 0) < 1);
    assert.strictEqual(wheelZoomFactor(10000, 0), wheelZoomFactor(400, 0));
    assert.ok(Math.abs(wheelZoomFactor(3, 1) - wheelZoomFactor(99, 0)) < 1e-12);
  });
});
