/** Lane layout: process tree order, thread order, collapsing, row lookup. */
import * as assert from 'assert';
import { buildLayout, processOrder, rowAtY, visibleRows } from '../../webview/layout';
import type { ObjectInfo, ProcessInfo, ThreadInfo } from '../../extension/protocol';
import { obj, proc, thread } from './webviewFixtures';

function maps(ps: ProcessInfo[], ts: ThreadInfo[], os: ObjectInfo[] = []) {
  return {
    processes: new Map(ps.map((p) => [p.uid, p])),
    threads: new Map(ts.map((t) => [t.uid, t])),
    objects: new Map(os.map((o) => [o.uid, o])),
  };
}

describe('webview layout', () => {
  it('orders processes depth-first, children by start time, whatever the arrival order', () => {
    const ps = [
      proc(5, 2, { startNs: 50 }),
      proc(3, 0, { startNs: 300 }),
      proc(2, 0, { startNs: 200 }),
      proc(0, -1, { startNs: 0 }),
      proc(4, 2, { startNs: 40 }),
    ];
    const order = processOrder(new Map(ps.map((p) => [p.uid, p])));
    assert.deepStrictEqual(
      order.map((o) => [o.uid, o.depth]),
      [
        [0, 0],
        [2, 1],
        [4, 2],
        [5, 2],
        [3, 1],
      ],
    );
  });

  it('does not lose processes whose parents form a cycle or are unknown', () => {
    const ps = [proc(1, 2), proc(2, 1), proc(7, 99)];
    const order = processOrder(new Map(ps.map((p) => [p.uid, p])));
    assert.deepStrictEqual(order.map((o) => o.uid).sort(), [1, 2, 7]);
  });

  it('puts each process header before its threads (main first) and its object group', () => {
    const l = buildLayout(
      maps(
        [proc(0, -1), proc(1, 0)],
        [thread(12, 1, { isMain: true, startNs: 5 }), thread(11, 0, { startNs: 30 }), thread(10, 0, { isMain: true, startNs: 90 }), thread(13, 0, { startNs: 20 })],
        [obj(20, 0)],
      ),
      new Set(),
    );
    assert.deepStrictEqual(
      l.rows.map((r) => r.key),
      ['p:0', 't:10', 't:13', 't:11', 'g:0', 'o:20', 'p:1', 't:12'],
    );
    // Rows are contiguous.
    let y = 0;
    for (const r of l.rows) {
      assert.strictEqual(r.y, y);
      y += r.h;
    }
    assert.strictEqual(l.height, y);
    assert.strictEqual(l.rows[l.threadRow.get(12)!].depth, 1);
  });

  it('hides the rows of a collapsed process or object group', () => {
    const input = maps([proc(0, -1), proc(1, 0)], [thread(10, 0), thread(11, 1)], [obj(20, 0), obj(21, 0)]);
    const collapsedGroup = buildLayout(input, new Set(['g:0']));
    assert.deepStrictEqual(collapsedGroup.rows.map((r) => r.key), ['p:0', 't:10', 'g:0', 'p:1', 't:11']);
    const collapsedProc = buildLayout(input, new Set(['p:0']));
    assert.deepStrictEqual(collapsedProc.rows.map((r) => r.key), ['p:0', 'p:1', 't:11']);
    assert.strictEqual(collapsedProc.threadRow.has(10), false);
  });

  it('starts a large object group collapsed, and a toggle flips it open', () => {
    const many = Array.from({ length: 41 }, (_, i) => obj(100 + i, 0));
    const input = maps([proc(0, -1)], [thread(10, 0)], many);
    const closed = buildLayout(input, new Set());
    assert.deepStrictEqual(closed.rows.map((r) => r.key), ['p:0', 't:10', 'g:0']);
    assert.strictEqual(closed.rows[2].collapsed, true);
    assert.strictEqual(closed.rows[2].count, 41);
    const open = buildLayout(input, new Set(['g:0']));
    assert.strictEqual(open.rows.length, 3 + 41);
    assert.strictEqual(open.rows[2].collapsed, false);
  });

  it('gives threads with data but no info a lane under an unknown process', () => {
    const l = buildLayout({ ...maps([proc(0, -1)], [thread(10, 0)]), extraThreads: [10, 99] }, new Set());
    assert.deepStrictEqual(l.rows.map((r) => r.key), ['p:0', 't:10', 'p:-1', 't:99']);
  });

  it('finds the row under a y and the rows in a viewport', () => {
    const l = buildLayout(maps([proc(0, -1)], [thread(1, 0), thread(2, 0), thread(3, 0)]), new Set());
    // process 36px, then 20px thread rows
    assert.strictEqual(rowAtY(l.rows, 0), 0);
    assert.strictEqual(rowAtY(l.rows, 35.9), 0);
    assert.strictEqual(rowAtY(l.rows, 36), 1);
    assert.strictEqual(rowAtY(l.rows, 82), 3);
    assert.strictEqual(rowAtY(l.rows, 96), -1);
    assert.deepStrictEqual(visibleRows(l.rows, 30, 60), [0, 3]);
    assert.deepStrictEqual(visibleRows(l.rows, 40, 60), [1, 3]);
    assert.deepStrictEqual(visibleRows(l.rows, 0, 1000), [0, 4]);
  });
});
