/** The webview's columnar model: applying deltas, resets, order repair and summaries. */
import * as assert from 'assert';
import { TimelineStore } from '../../webview/model/store';
import { CUM_STEP, HoldLane, NSTATES, ThreadSpanLane } from '../../webview/model/columns';
import { rangeStateTotals } from '../../webview/model/query';
import { delta, obj, proc, rng, spans, thread } from './webviewFixtures';

const header = { runId: 'r1', title: 'Locks', lookFor: 'Watch the lock', python: '3.12', command: 'python x.py' };

describe('webview store', () => {
  it('upserts entities and appends spans to per-thread columns in order', () => {
    const s = new TimelineStore();
    s.reset(header);
    const fx = s.apply(
      delta({
        nowNs: 500,
        processes: [proc(0, -1)],
        threads: [thread(1, 0, { isMain: true, name: 'MainThread' }), thread(2, 0)],
        spans: spans([
          [1, 0, 0, 100],
          [2, 1, 50, 80, 7],
          [1, 3, 100, 300],
        ]),
      }),
    );
    assert.strictEqual(fx.entitiesChanged, true);
    assert.strictEqual(fx.spansAdded, 3);
    const l1 = s.spans.get(1)!;
    assert.strictEqual(l1.length, 2);
    assert.deepStrictEqual([...l1.start.subarray(0, 2)], [0, 100]);
    assert.deepStrictEqual([...l1.state.subarray(0, 2)], [0, 3]);
    assert.strictEqual(s.spans.get(2)!.obj[0], 7);
    assert.strictEqual(s.extentNs, 500);
    // A thread rename arrives as an upsert of the same uid.
    s.apply(delta({ threads: [thread(2, 0, { name: 'worker' })] }));
    assert.strictEqual(s.threadName(2), 'worker');
    assert.strictEqual(s.threads.size, 2);
  });

  it('keeps per-state totals and adds the open state up to now', () => {
    const s = new TimelineStore();
    s.reset(header);
    s.apply(
      delta({
        nowNs: 1000,
        threads: [thread(1, 0)],
        spans: spans([
          [1, 0, 0, 100],
          [1, 1, 100, 250],
          [1, 0, 250, 400],
        ]),
        open: [{ thread: 1, state: 2, sinceNs: 400, obj: -1, site: -1, waitKind: 0 }],
      }),
    );
    assert.deepStrictEqual(s.stateTotals(1), [250, 150, 600, 0]);
    // `open` replaces the previous open states entirely.
    s.apply(delta({ nowNs: 1000, open: [] }));
    assert.deepStrictEqual(s.stateTotals(1), [250, 150, 0, 0]);
  });

  it('reset clears everything, including counters, flows and deadlocks', () => {
    const s = new TimelineStore();
    s.reset(header);
    s.apply(
      delta({
        nowNs: 10,
        processes: [proc(0, -1)],
        spans: spans([[1, 0, 0, 5]]),
        holds: { obj: [3], thread: [1], startNs: [0], endNs: [4] },
        counters: [{ obj: 4, tNs: 1, value: 2 }],
        flows: [{ kind: 'release-acquire', fromThread: 1, fromNs: 4, toThread: 2, toNs: 5, obj: 3 }],
        instants: [{ kind: 'notify', thread: 1, obj: 3, tNs: 2 }],
        deadlocks: [{ threads: [1, 2], objects: [3, 4], detectedNs: 9 }],
        stalled: true,
        records: { total: 10, malformed: 1, dropped: 2 },
      }),
    );
    assert.strictEqual(s.deadlocks.length, 1);
    s.reset({ ...header, runId: 'r2' });
    assert.strictEqual(s.header!.runId, 'r2');
    assert.strictEqual(s.processes.size + s.spans.size + s.holds.size + s.counters.size + s.instants.size, 0);
    assert.strictEqual(s.flows.length, 0);
    assert.strictEqual(s.deadlocks.length, 0);
    assert.strictEqual(s.stalled, false);
    assert.deepStrictEqual(s.records, { total: 0, malformed: 0, dropped: 0 });
    assert.strictEqual(s.nowNs, 0);
  });

  it('does not duplicate a deadlock reported in several deltas, and reports stall changes', () => {
    const s = new TimelineStore();
    s.reset(header);
    const d = { threads: [1, 2], objects: [3, 4], detectedNs: 9 };
    assert.strictEqual(s.apply(delta({ deadlocks: [d], stalled: true })).deadlocksChanged, true);
    const fx = s.apply(delta({ deadlocks: [{ ...d, detectedNs: 20 }], stalled: true }));
    assert.strictEqual(fx.deadlocksChanged, false);
    assert.strictEqual(fx.stalledChanged, false);
    assert.strictEqual(s.deadlocks.length, 1);
    assert.strictEqual(s.apply(delta({ stalled: false })).stalledChanged, true);
  });

  it('replaces the statistics of the objects listed only', () => {
    const s = new TimelineStore();
    s.reset(header);
    s.apply(delta({ objects: [obj(3, 0), obj(4, 0)], stats: [
      { obj: 3, acquisitions: 1, contended: 0, totalWaitNs: 0, maxWaitNs: 0 },
      { obj: 4, acquisitions: 5, contended: 2, totalWaitNs: 100, maxWaitNs: 60 },
    ] }));
    s.apply(delta({ stats: [{ obj: 3, acquisitions: 9, contended: 1, totalWaitNs: 10, maxWaitNs: 10 }] }));
    assert.strictEqual(s.stats.get(3)!.acquisitions, 9);
    assert.strictEqual(s.stats.get(4)!.acquisitions, 5);
  });

  it('repairs out-of-order spans so binary searches stay correct', () => {
    const s = new TimelineStore();
    s.reset(header);
    s.apply(delta({ spans: spans([[1, 0, 100, 200], [1, 1, 0, 100]]) }));
    s.apply(delta({ spans: spans([[1, 2, 200, 300]]) }));
    s.prepare();
    const l = s.spans.get(1)!;
    assert.deepStrictEqual([...l.start.subarray(0, 3)], [0, 100, 200]);
    assert.deepStrictEqual([...l.state.subarray(0, 3)], [1, 0, 2]);
    assert.strictEqual(l.firstReaching(150), 1);
  });

  it('keeps instants sorted per thread with their detail strings', () => {
    const s = new TimelineStore();
    s.reset(header);
    s.apply(
      delta({
        instants: [
          { kind: 'put', thread: 1, obj: 5, tNs: 30, detail: '3' },
          { kind: 'exception', thread: 1, obj: -1, tNs: 10, detail: 'ValueError: boom' },
        ],
      }),
    );
    s.prepare();
    const ins = s.instants.get(1)!;
    assert.deepStrictEqual([...ins.t.subarray(0, 2)], [10, 30]);
    assert.strictEqual(s.details[ins.detail[0]], 'ValueError: boom');
    assert.strictEqual(ins.firstAtOrAfter(11), 1);
  });
});

describe('webview span columns', () => {
  it('grows past its initial capacity without losing data', () => {
    const l = new ThreadSpanLane();
    for (let i = 0; i < 5000; i++) l.push(i * 10, i * 10 + 10, i % 4, i, -1, 0);
    assert.strictEqual(l.length, 5000);
    assert.strictEqual(l.start[4999], 49990);
    assert.strictEqual(l.obj[4321], 4321);
    assert.ok(l.capacity >= 5000);
  });

  it('keeps prefix sums of coverage per state in thread lanes, equal to the sums of their spans', () => {
    const r = rng(3);
    const l = new ThreadSpanLane();
    let t = 0;
    for (let i = 0; i < 3001; i++) {
      const d = 1 + Math.floor(r() * 1000);
      l.push(t, t + d, Math.floor(r() * 4), -1, -1, 0);
      t += d;
    }
    assert.strictEqual(l.groups.length, 0);
    assert.ok(l.disjoint);
    const sums = [0, 0, 0, 0];
    for (let g = 0; g * CUM_STEP <= l.length; g++) {
      for (let st = 0; st < NSTATES; st++) assert.strictEqual(l.cum[g * NSTATES + st], sums[st], `step ${g} state ${st}`);
      for (let i = g * CUM_STEP; i < Math.min(l.length, (g + 1) * CUM_STEP); i++) sums[l.state[i]] += l.end[i] - l.start[i];
    }
  });

  it('appends a run of a delta\'s spans exactly as pushing them one by one', () => {
    const r = rng(8);
    const cols = { startNs: [] as number[], endNs: [] as number[], state: [] as number[], obj: [] as (number | undefined)[], site: [] as (number | undefined)[], waitKind: [] as (number | undefined)[] };
    let t = 0;
    for (let i = 0; i < 3000; i++) {
      const d = Math.floor(r() * 1000);
      // Some spans out of order, some ending before they start, some without obj/site/waitKind.
      const s = i % 997 === 5 ? t - 5000 : t;
      cols.startNs.push(s);
      cols.endNs.push(i % 401 === 7 ? s - 3 : s + d);
      cols.state.push(i % 777 === 1 ? 9 : Math.floor(r() * 4));
      cols.obj.push(i % 5 === 0 ? undefined : i);
      cols.site.push(i % 7 === 0 ? undefined : i * 2);
      cols.waitKind.push(i % 3 === 0 ? undefined : i % 4);
      t += d;
    }
    const a = new ThreadSpanLane();
    const b = new ThreadSpanLane();
    let latest = -Infinity;
    for (const [from, to] of [[0, 1], [1, 900], [900, 3000]]) latest = Math.max(latest, a.appendRun(cols, from, to));
    for (let i = 0; i < 3000; i++) b.push(cols.startNs[i], cols.endNs[i], cols.state[i], cols.obj[i] ?? -1, cols.site[i] ?? -1, cols.waitKind[i] ?? 0);
    assert.strictEqual(latest, Math.max(...cols.endNs));
    a.ensureSorted();
    b.ensureSorted();
    assert.strictEqual(a.length, b.length);
    for (const k of ['start', 'end', 'state', 'obj', 'site', 'waitKind', 'cum', 'totals'] as const) {
      assert.deepStrictEqual([...a[k].subarray(0, k === 'cum' ? ((a.length >> 1) + 1) * NSTATES : k === 'totals' ? NSTATES : a.length)], [...b[k].subarray(0, k === 'cum' ? ((b.length >> 1) + 1) * NSTATES : k === 'totals' ? NSTATES : b.length)], k);
    }
    assert.strictEqual(a.disjoint, b.disjoint);
  });

  it('grows a lane ahead of need once it is three quarters full, keeping its spans', () => {
    const l = new ThreadSpanLane();
    const cap = l.capacity;
    for (let i = 0; i < (cap * 3) / 4 - 1; i++) l.push(i * 10, i * 10 + 10, i % 4, i, -1, 0);
    assert.strictEqual(l.growAhead(), 0);
    l.push(1e6, 1e6 + 1, 1, 7, -1, 0);
    assert.ok(l.growAhead() > 0);
    assert.strictEqual(l.capacity, cap * 2);
    assert.strictEqual(l.start[5], 50);
    assert.strictEqual(l.obj[(cap * 3) / 4 - 1], 7);
    assert.strictEqual(l.growAhead(), 0);
  });

  it('does not grow every lane in the same delta when many fill at the same pace', () => {
    const store = new TimelineStore();
    store.reset(null);
    const lanes = 40;
    const mk = (k: number, per: number) => {
      const d = delta({});
      const sp = d.spans;
      for (let l = 0; l < lanes; l++) {
        for (let i = 0; i < per; i++) {
          const t = (k * per + i) * 10;
          sp.thread.push(l + 1);
          sp.state.push(i & 3);
          sp.startNs.push(t);
          sp.endNs.push(t + 10);
          sp.obj.push(-1);
          sp.site.push(-1);
          sp.waitKind.push(0);
        }
      }
      return d;
    };
    // Every lane has the same length all along: without growing ahead, all 40 would double in
    // the same delta (at 8192 -> 16384 spans, ~27 MB of columns copied at once). With it, a
    // delta copies at most its byte budget (4 MB) plus the lane that crossed it.
    let maxBytes = 0;
    let maxLanes = 0;
    for (let k = 0; k < 200; k++) {
      const before = [...store.spans.values()].map((l) => l.capacity);
      store.apply(mk(k, 50));
      const lanesNow = [...store.spans.values()];
      const grown = lanesNow.filter((l, i) => i < before.length && l.capacity !== before[i]);
      maxBytes = Math.max(maxBytes, grown.reduce((a, l) => a + l.bytes(), 0));
      if (grown.some((l) => l.capacity >= 16384)) maxLanes = Math.max(maxLanes, grown.length);
    }
    assert.strictEqual(store.spans.get(1)!.length, 200 * 50);
    assert.ok(store.spans.get(1)!.capacity >= 16384);
    const laneBytes = store.spans.get(1)!.bytes();
    assert.ok(maxBytes <= (4 << 20) + laneBytes, `${maxBytes} bytes of lanes grew in one delta`);
    assert.ok(maxLanes > 0 && maxLanes < lanes / 4, `${maxLanes} of ${lanes} lanes grew to 16384 in one delta`);
  });

  it('marks a thread lane whose spans overlap as not disjoint (no prefix-sum runs for it)', () => {
    const l = new ThreadSpanLane();
    l.push(0, 100, 0, -1, -1, 0);
    l.push(100, 200, 1, -1, -1, 0);
    assert.ok(l.disjoint);
    l.push(150, 300, 2, -1, -1, 0);
    assert.ok(!l.disjoint);
  });

  it('keeps group coverage summaries of hold lanes equal to the sums of their holds', () => {
    const r = rng(3);
    const l = new HoldLane();
    let t = 0;
    for (let i = 0; i < 3000; i++) {
      const d = 1 + Math.floor(r() * 1000);
      l.push(t, t + d, Math.floor(r() * 3));
      t += d;
    }
    assert.strictEqual(l.cum.length, 0);
    const check = (shift: number, level: number) => {
      const size = 1 << shift;
      for (let g = 0; (g + 1) * size <= l.length; g++) {
        for (let st = 0; st < NSTATES; st++) {
          let sum = 0;
          for (let i = g * size; i < (g + 1) * size; i++) if (l.state[i] === st) sum += l.end[i] - l.start[i];
          const got = l.groups[level][g * NSTATES + st];
          assert.ok(Math.abs(got - sum) <= sum * 1e-6 + 1e-6, `level ${level} group ${g} state ${st}: ${got} != ${sum}`);
        }
      }
    };
    check(3, 0);
    check(6, 1);
    check(9, 2);
  });

  it('hold lanes keep a running maximum of ends for overlapping holds', () => {
    const h = new HoldLane();
    h.push(0, 100, 1);
    h.push(10, 20, 2);
    h.push(30, 40, 3);
    assert.deepStrictEqual([...h.reach.subarray(0, 3)], [100, 100, 100]);
    // Everything before index 0 ends at or before 50? No: the first hold still covers 50.
    assert.strictEqual(h.firstReaching(50), 0);
    assert.strictEqual(h.firstReaching(100), 3);
  });

  it('range totals clip spans and the open state to the range', () => {
    const l = new ThreadSpanLane();
    l.push(0, 100, 0, -1, -1, 0);
    l.push(100, 200, 1, -1, -1, 0);
    l.push(200, 300, 0, -1, -1, 0);
    const open = { thread: 1, state: 2 as const, sinceNs: 300, obj: -1, site: -1, waitKind: 0 };
    assert.deepStrictEqual(rangeStateTotals(l, open, 500, 50, 250), [100, 100, 0, 0]);
    assert.deepStrictEqual(rangeStateTotals(l, open, 500, 250, 1000), [50, 0, 200, 0]);
    assert.deepStrictEqual(rangeStateTotals(l, undefined, 500, 300, 300), [0, 0, 0, 0]);
  });
});
