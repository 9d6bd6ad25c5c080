import * as assert from 'assert';
import { LifecycleModel, connectionClosed } from '../../extension/host/lifecycleModel';
import { GET_SETTLE_NS } from '../../extension/host/syncObject';
import { HelloMeta, RecordType, StartMethod, WaitKind, WaitResult } from '../../extension/host/traceSchema';
import { ThreadState } from '../../extension/protocol';

const hello = (pid: number, ppid: number, start: StartMethod = 'root', t = 0): HelloMeta => ({
  m: 'hello', v: 1, pid, ppid, start, python: '3.12.1', exe: 'python3', argv: ['x.py'], name: pid === 100 ? 'MainProcess' : `Process-${pid}`, mode: 'smart', t,
});

function thread(sink: ReturnType<LifecycleModel['connect']>, index: number, name: string, t: number) {
  sink.meta({ m: 'thread', thread: index, ident: 1000 + index, native: 5000 + index, name, daemon: false });
  sink.record(RecordType.ThreadStart, 0, index, 0, t, 0, 0);
}

/** The summary of a run that ended with `base` (the fields the engine supplies). */
function summaryOf(model: LifecycleModel, base: Partial<Parameters<LifecycleModel['summarize']>[0]> = {}) {
  return model.summarize({ exitCode: 0, signal: null, durationMs: 1, python: '', stopped: false, outputTruncated: false, liveLagMs: { p50: 0, p99: 0, deltas: 0, hostP99: 0 }, ...base });
}

/** Process 100 with threads MainThread (0), `one` (1) and `two` (2), and one object (obj 1). */
function objectRun(kind = 'Lock', name = 'lock', one = 'a', two = 'b') {
  const model = new LifecycleModel();
  const s = model.connect();
  s.meta(hello(100, 1));
  thread(s, 0, 'MainThread', 0);
  thread(s, 1, one, 0);
  thread(s, 2, two, 0);
  s.meta({ m: 'object', obj: 1, kind, name });
  return { model, s };
}

/** Process 100 (MainThread from 0) and its child 101 started by `start` at 5 (MainThread from 5). */
function rootAndChild(start: StartMethod) {
  const model = new LifecycleModel();
  const root = model.connect();
  root.meta(hello(100, 1));
  thread(root, 0, 'MainThread', 0);
  const child = model.connect();
  child.meta(hello(101, 100, start, 5));
  thread(child, 0, 'MainThread', 5);
  return { model, root, child };
}

describe('LifecycleModel', () => {
  it('builds processes and threads with their lifetimes and a summary', () => {
    const model = new LifecycleModel();
    const root = model.connect();
    root.meta(hello(100, 1));
    thread(root, 0, 'MainThread', 0);
    thread(root, 1, 'worker-1', 10);
    root.record(RecordType.ThreadExit, 0, 1, 0, 40_000_010, 0, 0);
    const child = model.connect();
    child.meta(hello(101, 100, 'fork', 20));
    thread(child, 0, 'MainThread', 20);
    child.record(RecordType.ProcessExit, 0, 0, 0, 60, 7, 0);
    root.record(RecordType.ProcessExit, 0, 0, 0, 90_000_000, 0, 0);

    const delta = model.takeDelta(100);
    assert.strictEqual(delta.processes.length, 2);
    const childInfo = delta.processes.find((p) => p.pid === 101)!;
    const rootInfo = delta.processes.find((p) => p.pid === 100)!;
    assert.strictEqual(childInfo.parentUid, rootInfo.uid);
    assert.strictEqual(childInfo.startMethod, 'fork');
    assert.strictEqual(childInfo.exitCode, 7);
    assert.deepStrictEqual(delta.threads.map((t) => [t.pid, t.name, t.endNs]).sort(), [
      [100, 'MainThread', 90_000_000],
      [100, 'worker-1', 40_000_010],
      [101, 'MainThread', 60],
    ]);
    assert.ok(delta.flows.some((f) => f.kind === 'spawn'), 'parent -> child flow');
    const summary = summaryOf(model, { python: '3.12.1' });
    assert.deepStrictEqual(summary.threads.find((t) => t.name === 'worker-1')!.stateMs.running, 40);
    assert.strictEqual(summary.records.total, 11); // 5 metas + 6 fixed records
  });

  it("full mode's Hold records: whole holds, the end of a hold a wait began, a confirmed hint, and a late Hold that leaves the next owner alone", () => {
    const f32 = (ns: number) => new Int32Array(new Float32Array([ns]).buffer)[0]; // b's encoding
    const { model, s } = objectRun();
    s.record(RecordType.Hold, 0, 1, 1, 10, 0, f32(20)); // a: [10, 30], whole
    assert.strictEqual(model.nowNs, 30, 'a Hold is new at its end (the model clock, the live lag)');
    s.record(RecordType.WaitBegin, WaitKind.Acquire, 2, 1, 40, 0, 2); // b waits, a holds (a hint)
    s.record(RecordType.Hold, 0, 1, 1, 35, 0, f32(15)); // a's hold: [35, 50], confirms the hint
    s.record(RecordType.WaitEnd, WaitResult.Ok, 2, 1, 55, 0, 0); // b's wait begins its hold
    s.record(RecordType.Hold, 0, 2, 1, 56, 0, f32(4)); // ... which b's Hold ends at 60
    s.record(RecordType.WaitBegin, WaitKind.Acquire, 2, 1, 70, 0, 2);
    s.record(RecordType.WaitEnd, WaitResult.Ok, 2, 1, 80, 0, 0); // b holds from 80
    s.record(RecordType.Hold, 0, 1, 1, 65, 0, f32(12)); // a's [65, 77] arrives late
    const late = model.takeDelta(85);
    const uidOf = (name: string) => late.threads.find((t) => t.name === name)!.uid;
    assert.deepStrictEqual(late.openHolds.map((h) => [h.thread, h.sinceNs]), [[uidOf('b'), 80]], 'the late Hold left the owner alone');
    s.record(RecordType.Hold, 0, 2, 1, 81, 0, f32(9)); // b's ends at 90
    const d = model.takeDelta(95);
    const holds = late.holds.startNs.map((t, i) => [late.holds.thread[i], t, late.holds.endNs[i]]);
    holds.push(...d.holds.startNs.map((t, i) => [d.holds.thread[i], t, d.holds.endNs[i]]));
    assert.deepStrictEqual(holds, [
      [uidOf('a'), 10, 30],
      [uidOf('a'), 35, 50],
      [uidOf('b'), 55, 60],
      [uidOf('a'), 65, 77],
      [uidOf('b'), 80, 90],
    ]);
    assert.deepStrictEqual(d.openHolds, []);
    assert.ok(late.flows.some((f) => f.kind === 'release-acquire' && f.fromNs === 50 && f.toNs === 55), 'a\'s release -> b\'s acquire');
    const summary = summaryOf(model);
    assert.strictEqual(summary.objects.find((o) => o.name === 'lock')!.acquisitions, 5, 'every hold counted once');
    // The flusher publishes a hold that goes on (Acquire flags 2); one older than the last release is stale.
    s.record(RecordType.Acquire, 2, 1, 1, 66, 0, 0);
    assert.deepStrictEqual(model.takeDelta(96).openHolds, [], 'a stale publication opens nothing');
    s.record(RecordType.Acquire, 2, 1, 1, 100, 0, 0);
    assert.deepStrictEqual(model.takeDelta(105).openHolds.map((h) => [h.thread, h.sinceNs]), [[uidOf('a'), 100]], 'shown while it goes on');
    s.record(RecordType.Hold, 0, 1, 1, 100, 0, f32(10));
    const ended = model.takeDelta(115);
    assert.deepStrictEqual([ended.holds.startNs, ended.holds.endNs, ended.openHolds], [[100], [110], []], 'its Hold ends it');
    const after = summaryOf(model);
    assert.strictEqual(after.objects.find((o) => o.name === 'lock')!.acquisitions, 6, 'the published hold counted once');
  });

  it('a release that comes after another owner took the lock does not end an older displaced hold', () => {
    // Smart mode: a's hold (begun by its recorded wait) is displaced when b's wait ends, its own
    // release never recorded. A Release of a's that comes later (a waiter's account of a stale
    // holder, or a's release of a later hold) must not stretch the old hold over b's.
    const { model, s } = objectRun();
    s.record(RecordType.WaitBegin, WaitKind.Acquire, 1, 1, 90, 0, 0);
    s.record(RecordType.WaitEnd, WaitResult.Ok, 1, 1, 100, 0, 0); // a holds from 100
    s.record(RecordType.WaitBegin, WaitKind.Acquire, 2, 1, 110, 0, 0);
    s.record(RecordType.WaitEnd, WaitResult.Ok, 2, 1, 127, 0, 0); // b holds from 127: a displaced
    s.record(RecordType.Release, 0, 2, 1, 143, 0, 0); // b's release
    s.record(RecordType.Release, 0, 1, 1, 220, 0, 0); // a stale Release of a's
    const d = model.takeDelta(230);
    const uidOf = (name: string) => d.threads.find((t) => t.name === name)!.uid;
    const holds = d.holds.startNs.map((t, i) => [d.holds.thread[i], t, d.holds.endNs[i]]);
    assert.deepStrictEqual(holds, [[uidOf('b'), 127, 143]], 'no hold of a from 100 to 220 over b\'s');
    // A late Release from before b's acquire still ends the displaced hold where it really ended.
    const late = objectRun();
    late.s.record(RecordType.WaitBegin, WaitKind.Acquire, 1, 1, 90, 0, 0);
    late.s.record(RecordType.WaitEnd, WaitResult.Ok, 1, 1, 100, 0, 0);
    late.s.record(RecordType.WaitBegin, WaitKind.Acquire, 2, 1, 110, 0, 2);
    late.s.record(RecordType.WaitEnd, WaitResult.Ok, 2, 1, 127, 0, 0);
    late.s.record(RecordType.Release, 0, 1, 1, 125, 0, 0); // a's own release, written late
    const d2 = late.model.takeDelta(130);
    const uid2 = (name: string) => d2.threads.find((t) => t.name === name)!.uid;
    assert.deepStrictEqual(d2.holds.startNs.map((t, i) => [d2.holds.thread[i], t, d2.holds.endNs[i]]), [[uid2('a'), 100, 125]]);
  });

  it("a wait's hint older than the known owner's acquire leaves that owner and its hold alone", () => {
    // b's wait began at 90 and names c, who held the lock then; a took it at 100 (its Acquire
    // came first), so c's hold had ended. Had the hint displaced a, a's release at 150 (after
    // the hint) could end nothing, and a's hold would be lost.
    const { model, s } = objectRun();
    s.meta({ m: 'thread', thread: 3, ident: 1003, native: 5003, name: 'c', daemon: false });
    s.record(RecordType.ThreadStart, 0, 3, 0, 0, 0, 0);
    s.record(RecordType.Acquire, 0, 1, 1, 100, 0, 0);
    s.record(RecordType.WaitBegin, WaitKind.Acquire, 2, 1, 90, 0, 3 + 1);
    const during = model.takeDelta(120);
    const uidOf = (name: string) => during.threads.find((t) => t.name === name)!.uid;
    assert.deepStrictEqual(during.openHolds.map((h) => [h.thread, h.sinceNs]), [[uidOf('a'), 100]], 'a still holds it');
    s.record(RecordType.Release, 0, 1, 1, 150, 0, 0);
    s.record(RecordType.WaitEnd, WaitResult.Ok, 2, 1, 160, 0, 0);
    s.record(RecordType.Release, 0, 2, 1, 170, 0, 0);
    const d = model.takeDelta(200);
    assert.deepStrictEqual(d.holds.startNs.map((t, i) => [d.holds.thread[i], t, d.holds.endNs[i]]), [
      [uidOf('a'), 100, 150],
      [uidOf('b'), 160, 170],
    ]);
    // A hint newer than the owner's acquire still counts: the owner's release has not come yet.
    s.record(RecordType.Acquire, 0, 1, 1, 300, 0, 0);
    s.record(RecordType.WaitBegin, WaitKind.Acquire, 2, 1, 310, 0, 3 + 1);
    assert.deepStrictEqual(model.takeDelta(320).openHolds.map((h) => [h.thread, h.sinceNs]), [[uidOf('c'), 310]], 'c holds it, as the newer hint says');
  });

  it('turns waits into state spans, holds, flows and per-object statistics', () => {
    const { model, s } = objectRun();
    s.meta({ m: 'site', site: 3, file: '/x.py', line: 12, func: 'work' });
    // a holds the lock (known from b's wait: holder index 1 + 1), b waits 100 ns, a releases, b acquires.
    s.record(RecordType.WaitBegin, WaitKind.Acquire, 2, 1, 100, 3, 2);
    s.record(RecordType.Release, 0, 1, 1, 190, 0, 0);
    s.record(RecordType.WaitEnd, WaitResult.Ok, 2, 1, 200, 0, 0);
    s.record(RecordType.Release, 0, 2, 1, 260, 0, 0);
    s.record(RecordType.LockStats, 0, 0, 1, 270, 1000, 1);
    const d = model.takeDelta(300);
    const blocked = d.spans.state.findIndex((st) => st === ThreadState.Blocked);
    assert.ok(blocked >= 0);
    assert.strictEqual(d.spans.startNs[blocked], 100);
    assert.strictEqual(d.spans.endNs[blocked], 200);
    assert.strictEqual(d.sites[0].line, 12);
    assert.strictEqual(d.spans.site[blocked], d.sites[0].uid);
    assert.deepStrictEqual(d.holds.startNs, [100, 200]);
    assert.deepStrictEqual(d.holds.endNs, [190, 260]);
    const flow = d.flows.find((f) => f.kind === 'release-acquire')!;
    assert.deepStrictEqual([flow.fromNs, flow.toNs], [190, 200]);
    assert.deepStrictEqual(d.stats, [{ obj: d.objects[0].uid, acquisitions: 1000, contended: 1, totalWaitNs: 100, maxWaitNs: 100 }]);
  });

  it('a set stamped before a wait began still wakes it when the set ended after the wait began', () => {
    const { model, s } = objectRun('Event', 'ev', 'setter', 'waiter');
    // setter: set() called at 100, returned at 100 + 50. waiter: found the event clear, waited
    // from 120, woken at 160. Then a set that was over (at 210) before a wait began at 220.
    s.record(RecordType.EventSet, 0, 1, 1, 100, 50, 0);
    s.record(RecordType.WaitBegin, WaitKind.Event, 2, 1, 120, 0, 0);
    s.record(RecordType.WaitEnd, WaitResult.Ok, 2, 1, 160, 0, 0);
    s.record(RecordType.EventSet, 0, 1, 1, 200, 10, 0);
    s.record(RecordType.WaitBegin, WaitKind.Event, 2, 1, 220, 0, 0);
    s.record(RecordType.WaitEnd, WaitResult.Ok, 2, 1, 230, 0, 0);
    // the same, the wake decoded before the set (its record is written when set() returns)
    s.record(RecordType.WaitBegin, WaitKind.Event, 2, 1, 320, 0, 0);
    s.record(RecordType.WaitEnd, WaitResult.Ok, 2, 1, 360, 0, 0);
    s.record(RecordType.EventSet, 0, 1, 1, 300, 50, 0);
    const d = model.takeDelta(400);
    assert.deepStrictEqual(d.flows.filter((f) => f.kind === 'set-wake').map((f) => [f.fromNs, f.toNs]), [[100, 160], [300, 360]]);
  });

  it('pairs a queue\'s gets with its puts in time order, even when an earlier get arrives last', () => {
    // MainThread puts twice; b gets the first item at 2 ms, a the second at 5 ms. As when a and b
    // are processes, a's get is decoded first, and b's get and the second put only after it.
    const ms = 1e6;
    const { model, s } = objectRun('Queue', 'work', 'a', 'b');
    s.record(RecordType.Put, 0, 0, 1, 1 * ms, -1, 1);
    s.record(RecordType.Get, 0, 1, 1, 5 * ms, -1, 1);
    const early = model.takeDelta(5 * ms);
    assert.deepStrictEqual(early.flows.filter((f) => f.kind === 'put-get'), [], 'a get waits for the gets before it');
    s.record(RecordType.Get, 0, 2, 1, 2 * ms, -1, 1);
    s.record(RecordType.Put, 0, 0, 1, 3 * ms, -1, 2);
    const d = model.takeDelta(5 * ms + GET_SETTLE_NS);
    const uidOf = (name: string) => early.threads.find((t) => t.name === name)!.uid;
    const pairs = d.flows.filter((f) => f.kind === 'put-get').map((f) => [f.fromThread, f.fromNs / ms, f.toThread, f.toNs / ms]);
    assert.deepStrictEqual(pairs, [[uidOf('MainThread'), 1, uidOf('b'), 2], [uidOf('MainThread'), 3, uidOf('a'), 5]]);
  });

  it('pairs the gets still waiting when the run ends, and a get with no put yet takes the put that comes', () => {
    const { model, s } = objectRun('Queue', 'work', 'a', 'b');
    s.record(RecordType.Get, 0, 1, 1, 50, -1, 1); // decoded before the put it took
    s.record(RecordType.Put, 0, 2, 1, 40, -1, 1);
    s.record(RecordType.Put, 0, 2, 1, 60, -1, 2);
    s.record(RecordType.Get, 0, 1, 1, 70, -1, 2);
    model.finish(100);
    const d = model.takeDelta(100);
    assert.deepStrictEqual(d.flows.filter((f) => f.kind === 'put-get').map((f) => [f.fromNs, f.toNs]), [[40, 50], [60, 70]]);
  });

  it('a semaphore raised by one thread ends another thread\'s wait: a release -> acquire flow, no hold', () => {
    const { model, s } = objectRun('Semaphore', 'sem', 'consumer', 'producer');
    s.record(RecordType.SemaphoreValue, 0, 0, 1, 10, 0, 0);
    s.record(RecordType.WaitBegin, WaitKind.Acquire, 1, 1, 100, 0, 0);
    s.record(RecordType.SemaphoreValue, 0, 2, 1, 150, 1, 0); // producer: 0 -> 1
    s.record(RecordType.SemaphoreValue, 0, 1, 1, 160, 0, 0); // consumer takes it: 1 -> 0
    s.record(RecordType.WaitEnd, WaitResult.Ok, 1, 1, 170, 0, 0);
    s.record(RecordType.ThreadExit, 0, 1, 0, 300, 0, 0);
    const d = model.takeDelta(400);
    const flows = d.flows.filter((f) => f.kind === 'release-acquire');
    const uidOf = (name: string) => d.threads.find((t) => t.name === name)!.uid;
    assert.deepStrictEqual(flows.map((f) => [f.fromThread, f.fromNs, f.toThread, f.toNs]), [[uidOf('producer'), 150, uidOf('consumer'), 170]]);
    assert.deepStrictEqual(d.holds.startNs, [], 'a semaphore has no owner: no hold span to the thread\'s end');
    assert.strictEqual(d.stats.find((st) => st.obj === d.objects[0].uid)?.acquisitions, 1, 'acquisitions are the falls of the value');
  });

  it('names a lock-order deadlock cycle once, and a self-deadlock', () => {
    const { model, s } = objectRun('Lock', 'A', 'left', 'right');
    s.meta({ m: 'object', obj: 2, kind: 'Lock', name: 'B' });
    // left holds A (full mode acquire), right holds B, then each waits for the other.
    s.record(RecordType.Acquire, 0, 1, 1, 10, 0, 0);
    s.record(RecordType.Acquire, 0, 2, 2, 11, 0, 0);
    s.record(RecordType.WaitBegin, WaitKind.Acquire, 1, 2, 20, 0, 0);
    assert.deepStrictEqual(model.detectDeadlocks(25), []);
    s.record(RecordType.WaitBegin, WaitKind.Acquire, 2, 1, 30, 0, 0);
    const found = model.detectDeadlocks(35);
    assert.strictEqual(found.length, 1);
    assert.strictEqual(found[0].threads.length, 2);
    assert.deepStrictEqual(model.detectDeadlocks(40), [], 'reported once');
    const summary = summaryOf(model, { exitCode: null, stopped: true });
    assert.strictEqual(summary.deadlocks.length, 1);
    assert.deepStrictEqual(summary.deadlocks[0].objects.map((o) => o.split(' ')[1]).sort(), ['A', 'B']);
    // The deadlocked locks are held until the end: each delta carries their open holds.
    const d = model.takeDelta(45);
    const uidOf = (name: string) => d.threads.find((t) => t.name === name)!.uid;
    const lockUid = (name: string) => d.objects.find((o) => o.label === name)!.uid;
    assert.deepStrictEqual(d.holds.startNs, [], 'no hold has ended');
    assert.deepStrictEqual(
      d.openHolds.map((h) => [h.obj, h.thread, h.sinceNs]).sort(),
      [[lockUid('A'), uidOf('left'), 10], [lockUid('B'), uidOf('right'), 11]].sort(),
    );
    s.record(RecordType.Release, 0, 1, 1, 42, 0, 0);
    assert.deepStrictEqual(model.takeDelta(50).openHolds.map((h) => h.obj), [lockUid('B')], 'a released hold is no longer open');

    // The main thread takes a plain Lock twice.
    s.meta({ m: 'object', obj: 3, kind: 'Lock', name: 'C' });
    s.record(RecordType.Acquire, 0, 0, 3, 50, 0, 0);
    s.record(RecordType.WaitBegin, WaitKind.Acquire, 0, 3, 60, 0, 0);
    const self = model.detectDeadlocks(70);
    assert.strictEqual(self.length, 1);
    assert.strictEqual(self[0].threads.length, 1);
  });

  it('reports a stall only when every live thread waits and records stop for 2 s', () => {
    const model = new LifecycleModel();
    const s = model.connect();
    s.meta(hello(100, 1));
    thread(s, 0, 'MainThread', 0);
    s.meta({ m: 'object', obj: 1, kind: 'Event', name: 'go' });
    s.record(RecordType.WaitBegin, WaitKind.Event, 0, 1, 1e6, 0, 0);
    assert.strictEqual(model.checkStall(1e9), false);
    assert.strictEqual(model.checkStall(2.5e9), true);
    s.record(RecordType.WaitEnd, WaitResult.Ok, 0, 1, 2.6e9, 0, 0);
    assert.strictEqual(model.checkStall(2.7e9), false);
    assert.strictEqual(model.stallCount, 1);
  });

  it('ends a process whose connection closed without an exit record, and takes signals from the parent', () => {
    const { model, root, child } = rootAndChild('spawn');
    connectionClosed(model, child, 40);
    root.record(RecordType.ChildExit, 0, 0, 0, 45, 101, -9);
    const p = model.processList().find((x) => x.pid === 101)!;
    assert.strictEqual(p.endNs, 40);
    assert.strictEqual(p.signal, 'SIGKILL');
    assert.strictEqual(p.exitCode, null);
    assert.strictEqual(model.threadList().find((t) => t.pid === 101)!.endNs, 40);
  });

  it('keeps a child\'s last records that are decoded after its parent reaped it', () => {
    const { model, root, child } = rootAndChild('fork');
    child.meta({ m: 'object', obj: 1, kind: 'Barrier', name: 'b' });
    // The child's final flush (a barrier wait, its exit at 60) comes after the parent's record
    // of reaping it (at 70): the host read the parent's connection first.
    root.record(RecordType.ChildExit, 0, 0, 0, 70, 101, 0);
    child.record(RecordType.WaitBegin, WaitKind.Barrier, 0, 1, 50, 0, 0);
    child.record(RecordType.WaitEnd, WaitResult.Ok, 0, 1, 55, 0, 0);
    child.record(RecordType.ThreadExit, 0, 0, 0, 60, 0, 0);
    child.record(RecordType.ProcessExit, 0, 0, 0, 60, 0, 0);
    connectionClosed(model, child, 80);
    const d = model.takeDelta(100);
    const kid = d.threads.find((t) => t.pid === 101)!;
    const waits = d.spans.thread.map((th, i) => [th, d.spans.waitKind[i], d.spans.startNs[i], d.spans.endNs[i]]).filter(([th, k]) => th === kid.uid && k === WaitKind.Barrier);
    assert.deepStrictEqual(waits, [[kid.uid, WaitKind.Barrier, 50, 55]], 'the barrier wait is kept');
    const p = model.processList().find((x) => x.pid === 101)!;
    assert.deepStrictEqual([p.endNs, p.exitCode, kid.endNs], [60, 0, 60]);
  });

  it('ends an image that execs when the new image starts, even when its close is seen after that', () => {
    const model = new LifecycleModel();
    const before = model.connect();
    before.meta(hello(100, 1));
    thread(before, 0, 'MainThread', 0);
    before.meta({ m: 'exec', argv: ['python3', 'called.py'] });
    connectionClosed(model, before, 80); // the host saw the close late
    const after = model.connect();
    after.meta(hello(100, 1, 'exec', 60));
    thread(after, 0, 'MainThread', 60);
    const [caller, called] = model.processList();
    assert.deepStrictEqual([caller.endNs, caller.exitCode, called.startNs, called.endNs], [60, null, 60, null]);
  });

  it('counts records that arrive before hello as malformed instead of failing', () => {
    const model = new LifecycleModel();
    const s = model.connect();
    s.record(RecordType.ThreadStart, 0, 0, 0, 1, 0, 0);
    s.meta({ m: 'thread', thread: 0, ident: 1, native: 1, name: 'x', daemon: false });
    assert.strictEqual(model.counts.malformed, 2);
    assert.strictEqual(model.threadList().length, 0);
  });
});
