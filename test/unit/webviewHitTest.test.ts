/** Hit testing: what is under the pointer at a time and row. */
import * as assert from 'assert';
import { hitTest, holdAt, nearestInstant, spanAt } from '../../webview/hitTest';
import { buildLayout } from '../../webview/layout';
import { TimelineStore } from '../../webview/model/store';
import { describeHit } from '../../webview/describe';
import { delta, obj, proc, spans, thread } from './webviewFixtures';

function storeWithRun(): TimelineStore {
  const s = new TimelineStore();
  s.reset({ runId: 'r', title: 't', lookFor: '', python: '', command: '' });
  s.apply(
    delta({
      nowNs: 10_000,
      processes: [proc(0, -1)],
      threads: [thread(1, 0, { name: 'worker-1' }), thread(2, 0, { name: 'worker-2' })],
      objects: [obj(5, 0, 'Lock', 'a')],
      sites: [{ uid: 9, file: '/src/prog.py', line: 42, func: 'work' }],
      spans: spans([
        [1, 0, 0, 1000],
        [1, 1, 1000, 3000, 5, 9],
        [1, 0, 3000, 4000],
        [2, 0, 0, 8000],
      ]),
      open: [{ thread: 1, state: 2, sinceNs: 4000, obj: -1, site: -1, waitKind: 0 }],
      holds: { obj: [5], thread: [2], startNs: [500], endNs: [3000] },
      instants: [{ kind: 'notify', thread: 2, obj: 5, tNs: 6000 }],
    }),
  );
  return s;
}

describe('webview hit testing', () => {
  const s = storeWithRun();
  const layout = buildLayout(s, new Set());
  const row = (key: string) => layout.rows.findIndex((r) => r.key === key);

  it('finds the span containing the time and describes it with its object and source', () => {
    const hit = hitTest(s, layout, { t: 1500, nsPerPx: 10, row: row('t:1'), yInRow: 10 });
    assert.deepStrictEqual(hit, { kind: 'span', thread: 1, index: 1, spansInPixel: 1 });
    const d = describeHit(s, hit!)!;
    assert.match(d.title, /^Blocked on Lock a/);
    assert.deepStrictEqual(d.source, { file: '/src/prog.py', line: 42 });
    assert.ok(d.rows.some(([k, v]) => k === 'Duration' && v === '2 µs'));
    assert.ok(d.rows.some(([k, v]) => k === 'Source' && v.includes('prog.py:42')));
  });

  it('reports how many spans share the pixel when zoomed out', () => {
    const hit = hitTest(s, layout, { t: 2000, nsPerPx: 4000, row: row('t:1'), yInRow: 10 });
    assert.strictEqual(hit?.kind, 'span');
    assert.strictEqual(hit && hit.kind === 'span' ? hit.spansInPixel : 0, 3);
  });

  it('returns the open state from its start to now', () => {
    const hit = hitTest(s, layout, { t: 9000, nsPerPx: 10, row: row('t:1'), yInRow: 10 });
    assert.deepStrictEqual(hit, { kind: 'open', thread: 1 });
    assert.match(describeHit(s, hit!)!.title, /Waiting.*\(now\)/);
  });

  it('prefers an instant marker in the top band of a lane', () => {
    assert.deepStrictEqual(hitTest(s, layout, { t: 6010, nsPerPx: 10, row: row('t:2'), yInRow: 2 }), {
      kind: 'instant',
      thread: 2,
      index: 0,
    });
    assert.strictEqual(hitTest(s, layout, { t: 6010, nsPerPx: 10, row: row('t:2'), yInRow: 12 })?.kind, 'span');
  });

  it('finds hold spans on object lanes and names the holder', () => {
    const hit = hitTest(s, layout, { t: 2000, nsPerPx: 10, row: row('o:5'), yInRow: 10 });
    assert.deepStrictEqual(hit, { kind: 'hold', obj: 5, index: 0 });
    assert.strictEqual(describeHit(s, hit!)!.title, 'Lock a held by worker-2');
  });

  it('falls back to the lane when nothing is near', () => {
    assert.deepStrictEqual(hitTest(s, layout, { t: 9000, nsPerPx: 10, row: row('t:2'), yInRow: 10 }), { kind: 'thread', thread: 2 });
    assert.deepStrictEqual(hitTest(s, layout, { t: 0, nsPerPx: 10, row: row('p:0'), yInRow: 5 }), { kind: 'process', process: 0 });
    assert.strictEqual(hitTest(s, layout, { t: 0, nsPerPx: 10, row: 99, yInRow: 5 }), null);
  });

  it('spanAt uses the slop only in gaps, picking the closer neighbour', () => {
    const st = new Float64Array([0, 100, 300]);
    const en = new Float64Array([100, 200, 400]);
    assert.strictEqual(spanAt(st, en, 3, 150, 0), 1);
    assert.strictEqual(spanAt(st, en, 3, 250, 10), -1);
    assert.strictEqual(spanAt(st, en, 3, 205, 10), 1);
    assert.strictEqual(spanAt(st, en, 3, 295, 10), 2);
    assert.strictEqual(spanAt(st, en, 3, 450, 10), -1);
    assert.strictEqual(spanAt(st, en, 3, 405, 10), 2);
  });

  it('holdAt finds the innermost overlapping hold and nearestInstant respects slop', () => {
    const st = new Float64Array([0, 10, 50]);
    const en = new Float64Array([100, 20, 60]);
    assert.strictEqual(holdAt(st, en, 3, 15, 0), 1);
    assert.strictEqual(holdAt(st, en, 3, 80, 0), 0);
    assert.strictEqual(holdAt(st, en, 3, 150, 5), -1);
    const t = new Float64Array([10, 20, 40]);
    assert.strictEqual(nearestInstant(t, 3, 22, 5), 1);
    assert.strictEqual(nearestInstant(t, 3, 31, 5), -1);
  });
});
