/** Time axis ticks and their adaptive labels. */
import * as assert from 'assert';
import { computeTicks, labelFor, niceStep, unitFor } from '../../webview/timeAxis';

describe('webview time axis', () => {
  it('rounds steps up to 1, 2 or 5 times a power of ten', () => {
    assert.strictEqual(niceStep(1), 1);
    assert.strictEqual(niceStep(1.3), 2);
    assert.strictEqual(niceStep(3), 5);
    assert.strictEqual(niceStep(7), 10);
    assert.strictEqual(niceStep(2.4e6), 5e6);
    assert.strictEqual(niceStep(1e9), 1e9);
  });

  it('picks the unit in which a value reads 1 to 999', () => {
    assert.strictEqual(unitFor(999).name, 'ns');
    assert.strictEqual(unitFor(1000).name, 'µs');
    assert.strictEqual(unitFor(2.5e6).name, 'ms');
    assert.strictEqual(unitFor(3e9).name, 's');
  });

  it('labels a 0–10 ms view in ms', () => {
    const a = computeTicks(0, 10e6, 1000, 90);
    assert.strictEqual(a.stepNs, 1e6);
    assert.strictEqual(a.base, null);
    assert.deepStrictEqual(a.ticks.slice(0, 3).map((t) => t.label), ['0 ms', '1 ms', '2 ms']);
    assert.strictEqual(a.ticks[1].x, 100);
  });

  it('labels a sub-millisecond view in µs', () => {
    const a = computeTicks(0, 500e3, 1000, 90);
    assert.strictEqual(a.stepNs, 50e3);
    assert.deepStrictEqual(a.ticks.slice(0, 3).map((t) => t.label), ['0 µs', '50 µs', '100 µs']);
  });

  it('adds decimals when the step is finer than the unit of the magnitude', () => {
    // Around 12 s with 1 ms steps: seconds with 3 decimals.
    const a = computeTicks(12.3451e9, 12.3551e9, 1000, 90);
    assert.strictEqual(a.stepNs, 1e6);
    assert.strictEqual(a.base, null);
    assert.strictEqual(a.ticks[0].label, '12.346 s');
    // Spacing respected.
    for (let i = 1; i < a.ticks.length; i++) assert.ok(a.ticks[i].x - a.ticks[i - 1].x >= 89.9);
  });

  it('switches to offsets from a base when labels would need more than 3 decimals', () => {
    const a = computeTicks(12e9 + 5000, 12e9 + 105000, 1000, 90);
    assert.strictEqual(a.stepNs, 10e3);
    assert.ok(a.base !== null && a.base.endsWith(' s'), String(a.base));
    assert.ok(a.ticks.every((t) => t.label.startsWith('+')));
    assert.strictEqual(a.ticks[0].label, '+10 µs');
  });

  it('formats a label with the unit of the larger of value and step', () => {
    assert.strictEqual(labelFor(1.5e6, 0.5e6, 1.5e6), '1.5 ms');
    assert.strictEqual(labelFor(250, 50, 250), '250 ns');
  });

  it('handles an empty or degenerate range', () => {
    assert.deepStrictEqual(computeTicks(5, 5, 100).ticks, []);
    assert.deepStrictEqual(computeTicks(0, 100, 0).ticks, []);
  });
});
