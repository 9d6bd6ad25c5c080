/**
 * The tracer's threading primitives and queues, on every installed CPython 3.8-3.13: each
 * primitive's wait, wake and release records, their sites, and smart-mode counters.
 */
import * as assert from 'assert';
import { installedPythons, reportMissing } from '../pythonVersions';
import { holdDurationNs } from '../../extension/host/traceSchema';
import { Runs, root, recsOf, metasOf, threadIndex, dump, lineOf, objectAt, recsOfObj, siteLine, Proc } from '../tracer/run';

const pythons = installedPythons();
const runs = new Runs();
/** The deadlocked program is killed by the sink after 3 s. */
const DEADLOCK = { timeoutS: 3 };
const PROGRAMS = ['locks_basic.py', 'sync_prims.py', 'sync_subclass.py', 'queues_basic.py', 'rlock_contended.py'];
// scheduled when mocha loads this file: the runs proceed (two at a time) while other tests run
for (const py of pythons) {
  for (const prog of PROGRAMS) runs.get(py.executable, prog);
  runs.get(py.executable, 'locks_basic.py', { mode: 'full' });
  runs.get(py.executable, 'rlock_contended.py', { mode: 'full' });
  runs.get(py.executable, 'holder_paused.py');
  runs.get(py.executable, 'holder_paused.py', { mode: 'full' });
  runs.get(py.executable, 'long_hold.py', { mode: 'full' });
  runs.get(py.executable, 'signal_lock.py', signalOpts(py.minor));
  runs.get(py.executable, 'deadlock.py', DEADLOCK);
  runs.get(py.executable, 'sem_signal.py');
}

/** 3.8 and 3.9 nest signal handlers into a RecursionError even untraced: no alarms there. */
function signalOpts(minor: string) {
  return { args: [minor === '3.8' || minor === '3.9' ? '0' : '1'], timeoutS: 20 };
}

const W = { Acquire: 1, Condition: 2, Event: 3, QueueGet: 4, QueuePut: 5, Join: 6, Barrier: 7, Sleep: 8 };

function waitsOf(p: Proc, obj: number, kind: number) {
  return recsOf(p, 'WaitBegin').filter((r) => r.obj === obj && r.flags === kind);
}

/** The WaitEnd that closes a WaitBegin (same thread, next WaitEnd on the same object). */
function endOf(p: Proc, begin: { thread: number; obj: number; t: number }) {
  return p.recs.find((r) => r.type === 'WaitEnd' && r.thread === begin.thread && r.obj === begin.obj && r.t >= begin.t);
}

function lastStats(p: Proc, obj: number) {
  const s = recsOfObj(p, obj, 'LockStats');
  return s[s.length - 1];
}

describe('tracer: threading primitives and queues', function () {
  this.timeout(120_000);
  before(() => reportMissing());

  for (const py of pythons) {
    describe(`Python ${py.version}`, () => {
      describe('Lock and RLock (smart mode)', () => {
        it('catches locks made through `from threading import Lock`, with their creation lines', async () => {
          const t = await runs.get(py.executable, 'locks_basic.py');
          const p = root(t);
          assert.strictEqual(t.rc, 0, dump(t));
          assert.strictEqual(objectAt(p, 'locks_basic.py', 'lock').kind, 'Lock');
          assert.strictEqual(objectAt(p, 'locks_basic.py', 'rlock').kind, 'RLock');
          // the Event's internal Condition and Lock are the stdlib's: not declared
          assert.deepStrictEqual(metasOf(p, 'object').map((o) => o.kind).sort(), ['Event', 'Lock', 'RLock']);
          if (py.minor === '3.13') assert.ok(t.stdout.includes('ok True'), 'isinstance(lock, threading.Lock) holds');
          assert.ok(t.stdout.includes('exitstack True True as True'), `ExitStack.enter_context(lock) holds and releases it; \`with lock as x\` gives True: ${t.stdout}`);
        });

        it('records the contended acquire with its site and holder, and the release that ends it', async () => {
          const t = await runs.get(py.executable, 'locks_basic.py');
          const p = root(t);
          const lock = objectAt(p, 'locks_basic.py', 'lock').obj;
          const holder = threadIndex(p, 'holder');
          const waiter = threadIndex(p, 'waiter');
          const waits = waitsOf(p, lock, W.Acquire);
          assert.strictEqual(waits.length, 1, dump(t));
          const w = waits[0];
          assert.strictEqual(w.thread, waiter);
          assert.strictEqual(w.b, holder + 1, 'WaitBegin.b names the holder');
          assert.strictEqual(siteLine(p, w.a), lineOf('locks_basic.py', 'contended'));
          const end = endOf(p, w)!;
          assert.strictEqual(end.flags, 0);
          const rel = recsOfObj(p, lock, 'Release');
          assert.strictEqual(rel.length, 1, 'smart mode records only the release that a waiter waits for');
          assert.strictEqual(rel[0].thread, holder);
          assert.ok(w.t <= rel[0].t && rel[0].t <= end.t, 'wait begins, holder releases, wait ends');
        });

        it('counts every acquisition exactly and contended == recorded waits', async () => {
          const t = await runs.get(py.executable, 'locks_basic.py');
          const p = root(t);
          const lock = objectAt(p, 'locks_basic.py', 'lock').obj;
          const rlock = objectAt(p, 'locks_basic.py', 'rlock').obj;
          // holder 1 + waiter 1 + 10 explicit + acquire(False) + ExitStack + `with as`; the rlock: 2 (re-entered)
          assert.deepStrictEqual([lastStats(p, lock).a, lastStats(p, lock).b], [15, 1]);
          assert.deepStrictEqual([lastStats(p, rlock).a, lastStats(p, rlock).b], [2, 0]);
          assert.strictEqual(recsOf(p, 'Acquire').length, 0, 'no per-acquire records in smart mode');
        });
      });

      describe('a contended RLock', () => {
        for (const mode of ['smart', 'full'] as const) {
          it(`${mode} mode: the blocked acquire is a recorded wait naming the holder, and nothing raises`, async () => {
            const t = await runs.get(py.executable, 'rlock_contended.py', mode === 'full' ? { mode } : {});
            const p = root(t);
            assert.strictEqual(t.rc, 0, dump(t));
            assert.ok(t.stdout.includes('rlock ok'), `the waiter got the RLock: ${t.stdout}${t.stderr}`);
            assert.deepStrictEqual(metasOf(p, 'exception'), [], 'no thread died');
            const rlock = objectAt(p, 'rlock_contended.py', 'rlock').obj;
            const waits = waitsOf(p, rlock, W.Acquire);
            assert.strictEqual(waits.length, 1, dump(t));
            assert.strictEqual(waits[0].thread, threadIndex(p, 'waiter'));
            assert.strictEqual(waits[0].b, threadIndex(p, 'holder') + 1, 'WaitBegin.b names the holder');
            assert.strictEqual(siteLine(p, waits[0].a), lineOf('rlock_contended.py', 'contended'));
            assert.strictEqual(endOf(p, waits[0])!.flags, 0, 'acquired');
          });
        }
      });

      describe('a holder paused right after its acquire', () => {
        for (const mode of ['smart', 'full'] as const) {
          it(`${mode} mode: the waiter blocked meanwhile names it as the holder, not the lock's previous owner`, async () => {
            const t = await runs.get(py.executable, 'holder_paused.py', mode === 'full' ? { mode } : {});
            const p = root(t);
            assert.strictEqual(t.rc, 0, dump(t));
            // every case really paused its holder with the lock taken while its waiter blocked
            assert.deepStrictEqual(t.stdout.trim().split('\n'), ['acquire paused', 'timeout paused', 'rlock paused'], t.stderr);
            const P = 'holder_paused.py';
            const waits = [...waitsOf(p, objectAt(p, P, 'lock').obj, W.Acquire), ...waitsOf(p, objectAt(p, P, 'rlock').obj, W.Acquire)];
            const name = (i: number) => metasOf(p, 'thread').find((m) => m.thread === i)?.name ?? `thread ${i}`;
            assert.deepStrictEqual(
              waits.map((w) => [name(w.thread), w.b > 0 ? name(w.b - 1) : 'nobody']),
              [['waiter-acquire', 'MainThread'], ['waiter-timeout', 'MainThread'], ['waiter-rlock', 'MainThread']],
              'who each wait names as the holder',
            );
          });
        }
      });

      describe('Lock and RLock (full mode)', () => {
        it('a `with lock:` block is one Hold; explicit acquire/release are Acquire/Release with their sites; an RLock re-entered is counted, not a new hold', async () => {
          const t = await runs.get(py.executable, 'locks_basic.py', { mode: 'full' });
          const p = root(t);
          assert.strictEqual(p.hello.mode, 'full');
          const lock = objectAt(p, 'locks_basic.py', 'lock').obj;
          const rlock = objectAt(p, 'locks_basic.py', 'rlock').obj;
          // with-blocks: the holder's, the waiter's (after its recorded wait), ExitStack's, `with lock as got`
          const holds = recsOfObj(p, lock, 'Hold');
          assert.strictEqual(holds.length, 4, dump(t));
          // explicit: 10 acquire()/release() pairs and one acquire(False)/release()
          const explicit = recsOfObj(p, lock, 'Acquire').filter((r) => r.flags !== 2);
          assert.strictEqual(explicit.length, 11);
          // the holder's long hold may also have been published while it went on (flags 2)
          for (const r of recsOfObj(p, lock, 'Acquire').filter((x) => x.flags === 2)) {
            assert.ok(holds.some((h) => h.t === r.t && h.thread === r.thread), 'a published hold is one of the Holds');
          }
          assert.strictEqual(recsOfObj(p, lock, 'Release').length, 11);
          assert.strictEqual(waitsOf(p, lock, W.Acquire).length, 1, 'the waiter waited');
          for (const r of explicit) assert.ok(siteLine(p, r.a), 'every explicit Acquire has a site');
          for (const h of holds) {
            assert.ok(holdDurationNs(h.b) >= 0 && holdDurationNs(h.b) < 5e9, `a plausible duration: ${holdDurationNs(h.b)} ns`);
            assert.strictEqual(h.a, 0);
          }
          const waiter = threadIndex(p, 'waiter');
          const holder = threadIndex(p, 'holder');
          assert.deepStrictEqual(holds.slice(0, 2).map((h) => h.thread), [holder, waiter], 'the holder held it first');
          // The holder waited for the waiter to block: its hold lasts at least its 50 ms sleep.
          assert.ok(holdDurationNs(holds[0].b) >= 45e6, `the holder's hold: ${holdDurationNs(holds[0].b)} ns`);
          // The outermost acquire makes the hold; the re-entrant one is counted (flags 1).
          assert.deepStrictEqual(recsOfObj(p, rlock, 'Acquire').map((r) => r.flags), [0, 1]);
          assert.strictEqual(recsOfObj(p, rlock, 'Release').length, 1);
          // holds never overlap: every hold, whole or Acquire..Release, ends before the next begins
          const spans: [number, number][] = holds.map((h) => [h.t, h.t + holdDurationNs(h.b)]);
          let began: number | null = null;
          for (const r of recsOfObj(p, lock)) {
            if (r.type === 'Acquire' && r.flags !== 2) began = r.t;
            else if (r.type === 'Release') {
              assert.ok(began !== null, 'released while free');
              spans.push([began!, r.t]);
              began = null;
            }
          }
          spans.sort((x, y) => x[0] - y[0]);
          for (let i = 1; i < spans.length; i++) assert.ok(spans[i][0] >= spans[i - 1][1], `hold ${i} began before hold ${i - 1} ended`);
          const end = endOf(p, waitsOf(p, lock, W.Acquire)[0])!;
          assert.ok(holds[1].t >= end.t, "the waiter's hold began when its wait ended");
        });
      });

      describe('a long hold in full mode', () => {
        it('is published while it goes on (an Acquire with flags 2 and the hold\'s start, before its Hold); a short one is not', async () => {
          const t = await runs.get(py.executable, 'long_hold.py', { mode: 'full' });
          const p = root(t);
          assert.strictEqual(t.rc, 0, dump(t));
          const lock = objectAt(p, 'long_hold.py', 'lock').obj;
          const recs = recsOfObj(p, lock).filter((r) => r.type === 'Acquire' || r.type === 'Hold');
          assert.deepStrictEqual(recs.map((r) => [r.type, r.flags]), [['Acquire', 2], ['Hold', 0], ['Hold', 0]], dump(t));
          assert.strictEqual(recs[0].t, recs[1].t, "published with the hold's start");
          assert.ok(holdDurationNs(recs[1].b) >= 0.29e9, `the long hold lasted ${holdDurationNs(recs[1].b)} ns`);
        });
      });

      describe('deadlock data in smart mode', () => {
        it('flushes, while the program hangs, the waits and holders that name an AB-BA cycle and a self-deadlock', async () => {
          const t = await runs.get(py.executable, 'deadlock.py', DEADLOCK);
          assert.ok(t.timedOut, 'the program deadlocked (killed by the sink)');
          const p = root(t);
          const P = 'deadlock.py';
          const l1 = objectAt(p, P, 'lock1').obj;
          const l2 = objectAt(p, P, 'lock2').obj;
          const mine = objectAt(p, P, 'mine').obj;
          const A = threadIndex(p, 'A');
          const B = threadIndex(p, 'B');
          const wa = waitsOf(p, l2, W.Acquire);
          const wb = waitsOf(p, l1, W.Acquire);
          assert.deepStrictEqual(wa.map((r) => [r.thread, r.b, siteLine(p, r.a)]), [[A, B + 1, lineOf(P, 'a-waits')]], dump(t));
          assert.deepStrictEqual(wb.map((r) => [r.thread, r.b, siteLine(p, r.a)]), [[B, A + 1, lineOf(P, 'b-waits')]]);
          const self = waitsOf(p, mine, W.Acquire);
          assert.deepStrictEqual(self.map((r) => [r.thread, r.b, siteLine(p, r.a)]), [[0, 1, lineOf(P, 'self-deadlock')]]);
          for (const o of [l1, l2, mine]) assert.strictEqual(recsOfObj(p, o, 'WaitEnd').length, 0, 'no wait ended');
        });
      });

      describe('signals', () => {
        it('a signal handler taking the interrupted traced lock never deadlocks; Ctrl-C still interrupts a blocked acquire', async () => {
          const t = await runs.get(py.executable, 'signal_lock.py', signalOpts(py.minor));
          assert.ok(!t.timedOut, 'deadlocked');
          assert.strictEqual(t.rc, 0, t.stderr);
          assert.strictEqual(t.stdout, 'alarm ok True True\ninterrupted ok\n');
        });
      });

      describe('Condition', () => {
        it('traces the Condition and its own RLock, linked', async () => {
          const t = await runs.get(py.executable, 'sync_prims.py');
          const p = root(t);
          assert.strictEqual(t.rc, 0, dump(t));
          const cond = objectAt(p, 'sync_prims.py', 'cond', 'Condition');
          const lock = objectAt(p, 'sync_prims.py', 'cond', 'RLock');
          assert.strictEqual(cond.lock, lock.obj);
        });

        it('records wait and notify with sites, and the woken waiter ends after the notify', async () => {
          const t = await runs.get(py.executable, 'sync_prims.py');
          const p = root(t);
          const cond = objectAt(p, 'sync_prims.py', 'cond', 'Condition').obj;
          const consumer = threadIndex(p, 'consumer');
          const w = waitsOf(p, cond, W.Condition).filter((r) => r.thread === consumer);
          assert.strictEqual(w.length, 1, dump(t));
          assert.strictEqual(siteLine(p, w[0].a), lineOf('sync_prims.py', 'cond-wait'));
          const notifies = recsOfObj(p, cond, 'Notify');
          assert.deepStrictEqual(notifies.map((n) => [n.flags, n.a]), [[0, 1], [1, 2]]);
          const end = endOf(p, w[0])!;
          assert.strictEqual(end.flags, 0);
          assert.ok(notifies[0].t <= end.t);
        });

        it('records wait_for waits at the wait_for line, woken by notify_all', async () => {
          const t = await runs.get(py.executable, 'sync_prims.py');
          const p = root(t);
          const cond = objectAt(p, 'sync_prims.py', 'cond', 'Condition').obj;
          for (const name of ['pw0', 'pw1']) {
            const th = threadIndex(p, name);
            const w = waitsOf(p, cond, W.Condition).filter((r) => r.thread === th);
            assert.strictEqual(w.length, 1, dump(t));
            assert.strictEqual(siteLine(p, w[0].a), lineOf('sync_prims.py', 'wait-for'));
            assert.strictEqual(endOf(p, w[0])!.flags, 0);
          }
        });
      });

      describe('Condition and Event subclasses', () => {
        it("traces the program's subclasses (notifyAll included) and leaves the stdlib's Conditions plain", async () => {
          const t = await runs.get(py.executable, 'sync_subclass.py');
          const p = root(t);
          assert.strictEqual(t.rc, 0, dump(t));
          assert.strictEqual(t.stdout, 'types MyCond MyEvent True True True\nstdlib class True\n');
          const cond = objectAt(p, 'sync_subclass.py', 'cond-init', 'Condition').obj;
          const ev = objectAt(p, 'sync_subclass.py', 'event', 'Event').obj;
          // the queue's Conditions and its lock are the stdlib's: only the Queue is declared
          assert.deepStrictEqual(metasOf(p, 'object').map((o) => o.kind).sort(), ['Condition', 'Event', 'Queue', 'RLock']);
          const consumer = threadIndex(p, 'consumer');
          const cw = waitsOf(p, cond, W.Condition);
          assert.deepStrictEqual(cw.map((w) => [w.thread, siteLine(p, w.a)]), [[consumer, lineOf('sync_subclass.py', 'wait')]], dump(t));
          assert.deepStrictEqual(recsOfObj(p, cond, 'Notify').map((n) => [n.flags, n.a]), [[1, 1]], 'notifyAll is notify_all');
          const ew = waitsOf(p, ev, W.Event);
          assert.deepStrictEqual(ew.map((w) => [w.thread, siteLine(p, w.a)]), [[consumer, lineOf('sync_subclass.py', 'ev-wait')]]);
          assert.strictEqual(recsOfObj(p, ev, 'EventSet').length, 1);
        });
      });

      describe('Event', () => {
        it('records wait, set, clear and a timed-out wait', async () => {
          const t = await runs.get(py.executable, 'sync_prims.py');
          const p = root(t);
          const ev = objectAt(p, 'sync_prims.py', 'event', 'Event').obj;
          const evw = threadIndex(p, 'evw');
          const waits = waitsOf(p, ev, W.Event);
          assert.deepStrictEqual(waits.map((w) => [w.thread, siteLine(p, w.a)]), [
            [evw, lineOf('sync_prims.py', 'event-wait')],
            [0, lineOf('sync_prims.py', 'event-timeout')],
          ]);
          assert.strictEqual(endOf(p, waits[0])!.flags, 0);
          assert.strictEqual(endOf(p, waits[1])!.flags, 1, 'timed out');
          const sets = recsOfObj(p, ev, 'EventSet');
          assert.strictEqual(sets.length, 1);
          // The set spans the moment it took effect: it begins before the wake it causes and ends
          // (t + a) after the wait began, however the two threads were scheduled.
          const [set, woken] = [sets[0], endOf(p, waits[0])!];
          assert.ok(set.a > 0 && set.t <= woken.t && set.t + set.a >= waits[0].t, `set ${set.t}+${set.a}, wait ${waits[0].t}..${woken.t}`);
          assert.strictEqual(recsOfObj(p, ev, 'EventClear').length, 1);
          assert.ok(t.stdout.includes('timed False'));
        });
      });

      describe('Semaphore and BoundedSemaphore', () => {
        it('records every value change and a blocked acquire with its site', async () => {
          const t = await runs.get(py.executable, 'sync_prims.py');
          const p = root(t);
          const sem = objectAt(p, 'sync_prims.py', 'sem');
          assert.strictEqual(sem.kind, 'Semaphore');
          assert.strictEqual(sem.value, 2);
          assert.deepStrictEqual(recsOfObj(p, sem.obj, 'SemaphoreValue').map((r) => r.a), [2, 1, 0, 1, 0, 1, 2]);
          const w = waitsOf(p, sem.obj, W.Acquire);
          assert.strictEqual(w.length, 1);
          assert.strictEqual(w[0].thread, threadIndex(p, 'semw'));
          assert.strictEqual(siteLine(p, w[0].a), lineOf('sync_prims.py', 'sem-wait'));
          assert.strictEqual(endOf(p, w[0])!.flags, 0);
          const bsem = objectAt(p, 'sync_prims.py', 'bsem');
          assert.strictEqual(bsem.kind, 'BoundedSemaphore');
          assert.deepStrictEqual(recsOfObj(p, bsem.obj, 'SemaphoreValue').map((r) => r.a), [1, 0, 1]);
          assert.ok(t.stdout.includes('bounded'), 'over-release still raises ValueError');
        });

        it('each wait it records is ended by a rise of the count made during the wait', async () => {
          // The wait is stamped before a last try to acquire: a release just after the first try
          // is then either taken at once (no wait) or recorded inside the wait, never before it.
          const t = await runs.get(py.executable, 'sem_signal.py');
          const p = root(t);
          assert.strictEqual(t.stdout, 'done\n', t.stderr);
          const sem = objectAt(p, 'sem_signal.py', 'sem').obj;
          const rises = recsOfObj(p, sem, 'SemaphoreValue').filter((r) => r.thread === threadIndex(p, 'producer'));
          const waits = waitsOf(p, sem, W.Acquire);
          assert.ok(waits.length > 0, 'the consumer waits');
          const bad = waits.filter((w) => {
            const end = endOf(p, w)!;
            return !rises.some((r) => r.t >= w.t && r.t <= end.t);
          });
          assert.deepStrictEqual(bad.map((w) => w.t), [], `${bad.length} of ${waits.length} waits saw no release`);
        });
      });

      describe('Barrier and sleep', () => {
        it('records both barrier waits with their sites', async () => {
          const t = await runs.get(py.executable, 'sync_prims.py');
          const p = root(t);
          const bar = objectAt(p, 'sync_prims.py', 'barrier');
          assert.strictEqual(bar.parties, 2);
          const waits = waitsOf(p, bar.obj, W.Barrier);
          assert.deepStrictEqual(waits.map((w) => siteLine(p, w.a)).sort(), [
            lineOf('sync_prims.py', 'barrier-wait-thread'),
            lineOf('sync_prims.py', 'barrier-wait-main'),
          ].sort());
          for (const w of waits) assert.strictEqual(endOf(p, w)!.flags, 0);
        });

        it('records time.sleep with its duration and site', async () => {
          const t = await runs.get(py.executable, 'sync_prims.py');
          const p = root(t);
          const line = lineOf('sync_prims.py', 'sleep');
          const s = recsOf(p, 'WaitBegin').filter((r) => r.flags === W.Sleep && siteLine(p, r.a) === line);
          assert.strictEqual(s.length, 1);
          assert.strictEqual(s[0].b, 20000);
          const end = endOf(p, s[0])!;
          assert.ok(end.t - s[0].t >= 19e6, 'slept ~20 ms');
        });
      });

      describe('queue', () => {
        it('records a blocking get, the put that feeds it and their sequence numbers', async () => {
          const t = await runs.get(py.executable, 'queues_basic.py');
          const p = root(t);
          assert.strictEqual(t.rc, 0, dump(t));
          const q = objectAt(p, 'queues_basic.py', 'fifo');
          assert.strictEqual(q.kind, 'Queue');
          const w = waitsOf(p, q.obj, W.QueueGet);
          assert.strictEqual(w.length, 1);
          assert.strictEqual(w[0].thread, threadIndex(p, 'consumer'));
          assert.strictEqual(siteLine(p, w[0].a), lineOf('queues_basic.py', 'fifo-get'));
          assert.deepStrictEqual(recsOfObj(p, q.obj, 'Put').map((r) => [r.a, r.b]), [[1, 1], [1, 2], [2, 3]]);
          assert.deepStrictEqual(recsOfObj(p, q.obj, 'Get').map((r) => [r.flags, r.a, r.b]), [[1, 0, 1], [1, 1, 2], [1, 0, 3]]);
          const put = recsOfObj(p, q.obj, 'Put')[0];
          const end = endOf(p, w[0])!;
          assert.ok(w[0].t <= put.t && put.t <= end.t);
        });

        it('records a put blocked on a full bounded queue, and a timed-out get', async () => {
          const t = await runs.get(py.executable, 'queues_basic.py');
          const p = root(t);
          const q = objectAt(p, 'queues_basic.py', 'bounded');
          assert.strictEqual(q.maxsize, 1);
          const w = waitsOf(p, q.obj, W.QueuePut);
          assert.strictEqual(w.length, 1);
          assert.strictEqual(siteLine(p, w[0].a), lineOf('queues_basic.py', 'bounded-put'));
          assert.strictEqual(endOf(p, w[0])!.flags, 0);
          const g = waitsOf(p, q.obj, W.QueueGet);
          assert.strictEqual(g.length, 1);
          assert.strictEqual(siteLine(p, g[0].a), lineOf('queues_basic.py', 'get-timeout'));
          assert.strictEqual(endOf(p, g[0])!.flags, 1);
        });

        it('names the put of each LifoQueue get; PriorityQueue and SimpleQueue too', async () => {
          const t = await runs.get(py.executable, 'queues_basic.py');
          const p = root(t);
          const lq = objectAt(p, 'queues_basic.py', 'lifo');
          assert.strictEqual(lq.kind, 'LifoQueue');
          assert.deepStrictEqual(recsOfObj(p, lq.obj, 'Get').map((r) => [r.flags, r.b]), [[1, 3], [1, 2], [1, 1]]);
          const pq = objectAt(p, 'queues_basic.py', 'prio');
          assert.strictEqual(pq.kind, 'PriorityQueue');
          assert.deepStrictEqual(recsOfObj(p, pq.obj, 'Get').map((r) => r.flags), [0]);
          const sq = objectAt(p, 'queues_basic.py', 'simple');
          assert.strictEqual(sq.kind, 'SimpleQueue');
          assert.strictEqual(recsOfObj(p, sq.obj, 'Put').length, 1);
          assert.strictEqual(recsOfObj(p, sq.obj, 'Get').length, 1);
        });

        it('records Queue.join as a Join wait on the queue', async () => {
          const t = await runs.get(py.executable, 'queues_basic.py');
          const p = root(t);
          const q = objectAt(p, 'queues_basic.py', 'joinq');
          const w = waitsOf(p, q.obj, W.Join);
          assert.strictEqual(w.length, 1);
          assert.strictEqual(siteLine(p, w[0].a), lineOf('queues_basic.py', 'join'));
          assert.strictEqual(endOf(p, w[0])!.flags, 0);
        });

        it('does not trace the queues and locks the stdlib makes for itself', async () => {
          const t = await runs.get(py.executable, 'queues_basic.py');
          const kinds = metasOf(root(t), 'object').map((o) => o.kind);
          assert.deepStrictEqual(kinds, ['Queue', 'Queue', 'LifoQueue', 'PriorityQueue', 'SimpleQueue', 'Queue']);
        });
      });
    });
  }
});
