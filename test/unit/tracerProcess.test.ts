/**
 * The tracer across processes, on every installed CPython 3.8-3.13: multiprocessing under fork,
 * spawn and forkserver (Process, Pool, ProcessPoolExecutor, the multiprocessing primitives with
 * their cross-process keys), subprocess, os.exec*, and every way a process ends.
 */
import * as assert from 'assert';
import { installedPythons, reportMissing } from '../pythonVersions';
import { Runs, Trace, Proc, root, recsOf, metasOf, dump, lineOf, objectAt, recsOfObj, siteLine } from '../tracer/run';

const pythons = installedPythons();
const runs = new Runs();
const METHODS = ['fork', 'spawn', 'forkserver'];
const FORK_WARNINGS = { PYTHONWARNINGS: 'always::DeprecationWarning' };
const EXITS = ['normal', 'sysexit', 'exception', 'osexit', 'signal', 'subprocess', 'exec', 'fork-exec'];
for (const py of pythons) {
  for (const m of METHODS) runs.get(py.executable, 'mp_children.py', { args: [m] });
  for (const e of EXITS) runs.get(py.executable, 'exits.py', { args: [e] });
  for (const m of ['fork', 'spawn']) runs.get(py.executable, 'mp_prims.py', { args: [m] });
  for (const m of ['fork', 'spawn']) runs.get(py.executable, 'mp_manager.py', { args: [m] });
  runs.get(py.executable, 'fork_warning.py', { env: FORK_WARNINGS });
  runs.get(py.executable, 'mp_queue_threads.py');
}

const W = { Acquire: 1, Event: 3, QueueGet: 4, Join: 6, Result: 9, PipeRecv: 10 };

function objByKey(p: Proc, key: string) {
  return metasOf(p, 'object').find((o) => o.key === key);
}

function renamed(p: Proc): string | undefined {
  const r = metasOf(p, 'rename').filter((m) => m.thread === -1);
  return r.length ? r[r.length - 1].name : undefined;
}

function byName(t: Trace, name: string): Proc {
  const p = t.procs.find((x) => renamed(x) === name);
  if (!p) throw new Error(`no process named ${name}\n${dump(t)}`);
  return p;
}

describe('tracer: processes', function () {
  this.timeout(180_000);
  before(() => reportMissing());

  for (const py of pythons) {
    describe(`Python ${py.version}`, () => {
      for (const method of METHODS) {
        describe(`multiprocessing, start method ${method}`, () => {
          const get = () => runs.get(py.executable, 'mp_children.py', { args: [method] });

          it('the child says hello with its start method, OS parent, name and logical parent', async () => {
            const t = await get();
            assert.strictEqual(t.rc, 0, dump(t));
            assert.ok(t.stdout.includes('exit 5'), t.stdout);
            const parent = root(t);
            const kid = byName(t, 'kid');
            assert.strictEqual(kid.hello.start, method);
            const r = metasOf(kid, 'rename').find((m) => m.thread === -1)!;
            assert.strictEqual(r.parent, parent.hello.pid);
            if (method === 'forkserver') {
              const fs = t.procs.find((p) => p.hello.pid === kid.hello.ppid)!;
              assert.ok(fs, 'the forkserver is traced');
              assert.strictEqual(fs.hello.name, 'forkserver');
              assert.strictEqual(fs.hello.start, 'spawn');
            } else {
              assert.strictEqual(kid.hello.ppid, parent.hello.pid);
            }
            for (const p of t.procs) assert.ok(p.eof && !p.bad, `conn ${p.conn} clean`);
          });

          it('records the exit code at both ends: ProcessExit in the child, ChildExit where it is reaped', async () => {
            const t = await get();
            const kid = byName(t, 'kid');
            const exit = recsOf(kid, 'ProcessExit');
            assert.deepStrictEqual(exit.map((r) => [r.flags, r.a]), [[0, 5]], dump(t));
            const reapers = t.procs.filter((p) => recsOf(p, 'ChildExit').some((r) => r.a === kid.hello.pid));
            assert.strictEqual(reapers.length, 1);
            assert.strictEqual(recsOf(reapers[0], 'ChildExit').find((r) => r.a === kid.hello.pid)!.b, 5);
            const parent = root(t);
            const join = recsOf(parent, 'WaitBegin').find((r) => r.flags === W.Join && r.b === -kid.hello.pid);
            assert.ok(join, 'Process.join is a Join wait naming the child (b = -pid)');
            assert.strictEqual(siteLine(parent, join!.a), lineOf('mp_children.py', 'join'));
          });

          it('the child traces the same Lock, Queue, Event, Semaphore and Pipe as the parent (matched by key)', async () => {
            const t = await get();
            const parent = root(t);
            const kid = byName(t, 'kid');
            const P = 'mp_children.py';
            for (const [marker, kind] of [['lock', 'Lock'], ['queue', 'Queue'], ['event', 'Event'], ['sem', 'Semaphore']]) {
              const o = objectAt(parent, P, marker);
              assert.strictEqual(o.kind, kind);
              assert.ok(o.key, `${kind} has a key`);
              const k = objByKey(kid, o.key);
              assert.ok(k, `the child declares ${kind} ${o.key}\n${dump(t)}`);
              assert.strictEqual(k!.kind, kind);
            }
            const ends = metasOf(parent, 'object').filter((o) => o.kind === 'Pipe');
            assert.strictEqual(ends.length, 2);
            assert.strictEqual(ends[0].peer, ends[1].key);
            // a spawned child receives the one end it was given; a forked one inherits both
            const kidEnd = metasOf(kid, 'object').filter((o) => o.kind === 'Pipe' && o.key === ends[1].key);
            assert.strictEqual(kidEnd.length, 1, 'the child declares the end it was given');
            if (method !== 'fork') assert.strictEqual(metasOf(kid, 'object').filter((o) => o.kind === 'Pipe').length, 1);
            // the operations, in the child...
            const kl = objByKey(kid, objectAt(parent, P, 'lock').key)!.obj;
            assert.deepStrictEqual(recsOfObj(kid, kl).map((r) => r.type), ['Acquire', 'Release']);
            assert.strictEqual(siteLine(kid, recsOfObj(kid, kl, 'Acquire')[0].a), lineOf(P, 'child-lock'));
            const kq = objByKey(kid, objectAt(parent, P, 'queue').key)!.obj;
            assert.strictEqual(recsOfObj(kid, kq, 'Put').length, 1);
            assert.strictEqual(recsOfObj(kid, kidEnd[0].obj, 'Put').length, 1, 'the send');
            const ks = objByKey(kid, objectAt(parent, P, 'sem').key)!.obj;
            assert.deepStrictEqual(recsOfObj(kid, ks, 'SemaphoreValue').map((r) => r.a), [1]);
            const ke = objByKey(kid, objectAt(parent, P, 'event').key)!.obj;
            const ew = recsOfObj(kid, ke, 'WaitBegin');
            if (ew.length) assert.strictEqual(siteLine(kid, ew[0].a), lineOf(P, 'child-wait'));
            // ...and in the parent
            const pq = objectAt(parent, P, 'queue').obj;
            assert.strictEqual(recsOfObj(parent, pq, 'Get').length, 1);
            const pe = objectAt(parent, P, 'event').obj;
            assert.strictEqual(recsOfObj(parent, pe, 'EventSet').length, 1);
            // The set spans the moment it took effect: before the child's wake, after its wait began.
            const pset = recsOfObj(parent, pe, 'EventSet')[0];
            assert.ok(pset.a > 0, 'the set says how long it took');
            if (ew.length) {
              const woken = recsOfObj(kid, ke, 'WaitEnd')[0];
              assert.ok(pset.t <= woken.t && pset.t + pset.a >= ew[0].t, `set ${pset.t}+${pset.a}, wait ${ew[0].t}..${woken.t}`);
            }
            assert.strictEqual(recsOfObj(parent, ends[0].obj, 'Get').length, 1, 'the recv');
            const ps = objectAt(parent, P, 'sem').obj;
            assert.deepStrictEqual(recsOfObj(parent, ps, 'SemaphoreValue').map((r) => r.a), [0]);
          });

          it('Pool: one TaskSubmit in the parent, every chunk started and ended in workers, flushed before they are terminated', async () => {
            const t = await get();
            const parent = root(t);
            const pool = objectAt(parent, 'mp_children.py', 'pool');
            assert.strictEqual(pool.kind, 'Pool');
            const submits = recsOfObj(parent, pool.obj, 'TaskSubmit');
            assert.strictEqual(submits.length, 1);
            assert.strictEqual(submits[0].b, 4, 'four chunks');
            const job = submits[0].a;
            const starts: number[] = [];
            const ends: number[] = [];
            for (const p of t.procs) {
              const o = objByKey(p, pool.key);
              if (!o || p === parent) continue;
              for (const r of recsOfObj(p, o.obj, 'TaskStart')) if (r.a === job) starts.push(r.b);
              for (const r of recsOfObj(p, o.obj, 'TaskEnd')) if (r.a === job) ends.push(r.b);
            }
            assert.deepStrictEqual(starts.sort(), [0, 1, 2, 3], dump(t));
            assert.deepStrictEqual(ends.sort(), [0, 1, 2, 3]);
            const waits = recsOf(parent, 'WaitBegin').filter((r) => r.flags === W.Result && r.obj === pool.obj);
            assert.ok(waits.length >= 1, 'map waits for its results');
          });

          it('ProcessPoolExecutor: submits, task start/end in workers, Future.result waits', async () => {
            const t = await get();
            const parent = root(t);
            const ex = objectAt(parent, 'mp_children.py', 'ppe');
            assert.strictEqual(ex.kind, 'ProcessPoolExecutor');
            assert.deepStrictEqual(recsOfObj(parent, ex.obj, 'TaskSubmit').map((r) => r.a), [0, 1, 2]);
            const done: number[] = [];
            for (const p of t.procs) {
              const o = objByKey(p, ex.key);
              if (!o || p === parent) continue;
              for (const r of recsOfObj(p, o.obj, 'TaskEnd')) done.push(r.a);
            }
            assert.deepStrictEqual(done.sort(), [0, 1, 2], dump(t));
            for (const w of recsOf(parent, 'WaitBegin').filter((r) => r.flags === W.Result && r.obj === ex.obj)) {
              assert.ok([0, 1, 2].includes(w.b));
            }
          });
        });
      }

      for (const method of ['fork', 'spawn']) {
        describe(`more multiprocessing primitives, start method ${method}`, () => {
          const P = 'mp_prims.py';
          const get = () => runs.get(py.executable, P, { args: [method] });

          it('runs, including a Manager (it pickles threading.Lock under spawn)', async () => {
            const t = await get();
            assert.strictEqual(t.rc, 0, dump(t));
            assert.ok(t.stdout.includes('manager lock ok'), t.stdout);
            assert.ok(t.stdout.includes('value 1') && t.stdout.includes('sq 42') && t.stdout.includes('pipe over'));
          });

          it('Condition: its own RLock is traced and linked; notify in the child wakes the wait in the parent', async () => {
            const t = await get();
            const parent = root(t);
            const kid = byName(t, 'kid');
            const cond = objectAt(parent, P, 'cond', 'Condition');
            const lock = objectAt(parent, P, 'cond', 'RLock');
            assert.strictEqual(cond.lock, lock.obj);
            const kc = objByKey(kid, cond.key)!;
            assert.ok(kc, dump(t));
            const notify = recsOfObj(kid, kc.obj, 'Notify');
            assert.strictEqual(notify.length, 1);
            // the child takes the lock at once (Acquire) or after the parent's wait releases it
            // (WaitBegin/WaitEnd stand for the acquire): either way, at its `with cond:` line
            const kl = objByKey(kid, lock.key)!.obj;
            const took = recsOf(kid, 'Acquire').find((r) => r.obj === kl) ?? recsOfObj(kid, kl, 'WaitBegin')[0];
            assert.ok(took, dump(t));
            assert.strictEqual(siteLine(kid, took.a), lineOf(P, 'child-cond-lock'));
            const w = recsOfObj(parent, cond.obj, 'WaitBegin');
            assert.strictEqual(w.length, 1);
            assert.strictEqual(siteLine(parent, w[0].a), lineOf(P, 'parent-wait'));
            const end = recsOfObj(parent, cond.obj, 'WaitEnd')[0];
            assert.strictEqual(end.flags, 0);
            assert.ok(notify[0].t <= end.t, 'the notify precedes the wake (one clock for all processes)');
          });

          it('Barrier, JoinableQueue (join), SimpleQueue, Value lock and a one-way Pipe, in both processes', async () => {
            const t = await get();
            const parent = root(t);
            const kid = byName(t, 'kid');
            const bar = objectAt(parent, P, 'barrier');
            assert.strictEqual(bar.parties, 2);
            assert.strictEqual(recsOfObj(parent, bar.obj, 'WaitBegin').length, 1);
            assert.strictEqual(recsOfObj(kid, objByKey(kid, bar.key)!.obj, 'WaitBegin').length, 1);
            const jq = objectAt(parent, P, 'jq');
            const join = recsOfObj(parent, jq.obj, 'WaitBegin').filter((r) => r.flags === W.Join);
            assert.strictEqual(join.length, 1);
            assert.strictEqual(siteLine(parent, join[0].a), lineOf(P, 'jq-join'));
            assert.strictEqual(recsOfObj(kid, objByKey(kid, jq.key)!.obj, 'Get').length, 1);
            const sq = objectAt(parent, P, 'sq');
            assert.strictEqual(sq.kind, 'SimpleQueue');
            assert.strictEqual(recsOfObj(kid, objByKey(kid, sq.key)!.obj, 'Put').length, 1);
            assert.strictEqual(recsOfObj(parent, sq.obj, 'Get').length, 1);
            const vl = metasOf(parent, 'object').find((o) => o.name === 'Value lock')!;
            assert.ok(vl, 'the Value lock is traced');
            assert.strictEqual(vl.line, lineOf(P, 'value'));
            const kvl = objByKey(kid, vl.key)!;
            assert.deepStrictEqual(recsOfObj(kid, kvl.obj).map((r) => r.type), ['Acquire', 'Release']);
            const ends = metasOf(parent, 'object').filter((o) => o.kind === 'Pipe');
            assert.deepStrictEqual(ends.map((o) => o.key.slice(-2)), [':r', ':w']);
            const kr = objByKey(kid, ends[0].key)!;
            assert.strictEqual(recsOfObj(kid, kr.obj, 'Get').length, 1, 'recv on the read end in the child');
            assert.strictEqual(recsOfObj(parent, ends[1].obj, 'Put').length, 1, 'send on the write end in the parent');
          });

          it('ThreadPoolExecutor: each task submitted, then started and ended in a worker thread', async () => {
            const t = await get();
            const parent = root(t);
            const ex = objectAt(parent, P, 'tpe');
            assert.strictEqual(ex.kind, 'ThreadPoolExecutor');
            const sub = recsOfObj(parent, ex.obj, 'TaskSubmit');
            assert.deepStrictEqual(sub.map((r) => r.a), [1, 2, 3]);
            for (const s of sub) {
              const st = recsOfObj(parent, ex.obj, 'TaskStart').find((r) => r.a === s.a)!;
              const en = recsOfObj(parent, ex.obj, 'TaskEnd').find((r) => r.a === s.a)!;
              assert.ok(st && en, dump(t));
              assert.ok(s.t <= st.t && st.t <= en.t);
              assert.notStrictEqual(st.thread, 0, 'in a worker thread');
            }
          });
        });
      }

      for (const method of ['fork', 'spawn']) {
        describe(`Manager proxies, start method ${method}`, () => {
          const P = 'mp_manager.py';
          const get = () => runs.get(py.executable, P, { args: [method] });

          it('a Manager Lock is one object in both processes: the child holds it, the parent waits until its release', async () => {
            const t = await get();
            assert.strictEqual(t.rc, 0, dump(t));
            assert.ok(t.stdout.includes('parent got it 1'), t.stdout);
            const parent = root(t);
            const child = byName(t, 'child');
            const lock = objectAt(parent, P, 'lock');
            assert.strictEqual(lock.kind, 'Lock');
            assert.match(String(lock.key), /^mgr:/);
            const inChild = objByKey(child, String(lock.key));
            assert.ok(inChild, `the child declares the same lock: ${dump(t)}`);
            // The child finds it free: an Acquire (the hold begins), not a wait.
            const childAcquires = recsOfObj(child, inChild.obj, 'Acquire');
            assert.deepStrictEqual(childAcquires.map((r) => [r.flags, siteLine(child, r.a)]), [[0, lineOf(P, 'child-acquire')]], dump(t));
            assert.strictEqual(recsOfObj(child, inChild.obj, 'WaitBegin').length, 0, 'a free lock is not waited for');
            const release = recsOfObj(child, inChild.obj, 'Release');
            assert.strictEqual(release.length, 1, 'the child releases it once');
            // The parent finds it held by the child: a recorded wait, ended by the child's release.
            const parentWait = recsOf(parent, 'WaitBegin').find((r) => r.obj === lock.obj && r.flags === W.Acquire)!;
            assert.ok(parentWait, dump(t));
            assert.strictEqual(siteLine(parent, parentWait.a), lineOf(P, 'parent-acquire'));
            const parentEnd = recsOfObj(parent, lock.obj, 'WaitEnd')[0];
            assert.strictEqual(parentEnd.flags, 0, 'acquired');
            assert.ok(parentWait.t < release[0].t && release[0].t <= parentEnd.t, 'the parent waits from before the child\'s release until after it');
            assert.strictEqual(recsOfObj(parent, lock.obj, 'Acquire').length, 0, 'the wait begins the hold: no Acquire after it');
          });

          it('a proxy method run as a raw thread\'s function works: the wrapper finds no frame above it, and copes', async () => {
            const t = await get();
            assert.strictEqual(t.rc, 0, dump(t));
            assert.ok(t.stdout.includes('raw 2'), `the call reached the manager: ${t.stdout}`);
            assert.ok(!t.stderr.includes('Traceback'), t.stderr);
          });

          it('a Manager RLock re-entered: one hold, from the outer acquire to the outermost release', async () => {
            const t = await get();
            const parent = root(t);
            const rlock = objectAt(parent, P, 'rlock');
            assert.strictEqual(rlock.kind, 'RLock');
            const acquires = recsOfObj(parent, rlock.obj, 'Acquire');
            assert.deepStrictEqual(acquires.map((r) => r.flags), [0, 1], `the outer acquire begins the hold, the inner one is counted (flags 1): ${dump(t)}`);
            assert.strictEqual(recsOfObj(parent, rlock.obj, 'WaitBegin').length, 0, 'a free RLock is not waited for');
            const releases = recsOfObj(parent, rlock.obj, 'Release');
            assert.strictEqual(releases.length, 1, 'one Release: the outermost');
            assert.ok(releases[0].t - acquires[0].t >= 45e6, 'the hold lasts past the inner release, through the sleep');
          });

          it('a Manager Lock held elsewhere: a failed try is not a wait; a timed-out acquire is one, ended TimedOut', async () => {
            const t = await get();
            assert.ok(t.stdout.includes('try False') && t.stdout.includes('timed False'), t.stdout);
            const parent = root(t);
            const busy = objectAt(parent, P, 'busy');
            const waits = recsOfObj(parent, busy.obj, 'WaitBegin');
            assert.deepStrictEqual(waits.map((w) => [w.flags, siteLine(parent, w.a)]), [[W.Acquire, lineOf(P, 'busy-timed')]], dump(t));
            assert.deepStrictEqual(recsOfObj(parent, busy.obj, 'WaitEnd').map((r) => r.flags), [1], 'timed out (WaitResult.TimedOut)');
            const ends = recsOfObj(parent, busy.obj, 'WaitEnd');
            assert.ok(ends[0].t - waits[0].t >= 45e6, 'the wait lasts the timeout');
            assert.strictEqual(recsOfObj(parent, busy.obj, 'Acquire').length, 0, 'the parent never held it');
          });

          it('a call on a Manager dict is a Result wait on it, at the calling line', async () => {
            const t = await get();
            const parent = root(t);
            const child = byName(t, 'child');
            const d = objectAt(parent, P, 'dict');
            assert.strictEqual(d.kind, 'Manager.dict');
            const inChild = objByKey(child, String(d.key))!;
            assert.ok(inChild, dump(t));
            const waits = recsOf(child, 'WaitBegin').filter((r) => r.obj === inChild.obj);
            assert.deepStrictEqual(waits.map((w) => [w.flags, siteLine(child, w.a)]), [[W.Result, lineOf(P, 'child-set')]]);
          });
        });
      }

      describe('multiprocessing queues shared by threads', () => {
        it('four threads getting from one Queue, and four from one SimpleQueue, get every item, with no error', async () => {
          // The tracer checks whether a get will wait with a poll object cached on the queue's
          // pipe; a poll object raises if a second thread polls while the first does.
          const t = await runs.get(py.executable, 'mp_queue_threads.py');
          assert.strictEqual(t.rc, 0, t.stderr);
          assert.strictEqual(t.stdout, 'Queue True [] 0\nSimpleQueue True [] 0\n', t.stderr);
          const gets = recsOf(root(t), 'Get');
          assert.strictEqual(gets.length, 2 * (5000 + 4), 'every get is recorded');
        });
      });

      describe('exits', () => {
        const get = (how: string) => runs.get(py.executable, 'exits.py', { args: [how] });

        it('a normal exit', async () => {
          const t = await get('normal');
          const p = root(t);
          assert.strictEqual(t.rc, 0);
          const last = p.recs[p.recs.length - 1];
          assert.strictEqual(last.type, 'ProcessExit');
          assert.strictEqual(last.a, 0);
          assert.ok(p.eof && !p.bad);
        });

        it('sys.exit(4)', async () => {
          const t = await get('sysexit');
          const r = recsOf(root(t), 'ProcessExit');
          assert.deepStrictEqual(r.map((x) => [x.flags, x.a]), [[0, 4]]);
          assert.strictEqual(t.rc, 4);
        });

        it('an unhandled exception: exception meta with the raising line, exit code 1', async () => {
          const t = await get('exception');
          const p = root(t);
          assert.strictEqual(t.rc, 1);
          const ex = metasOf(p, 'exception');
          assert.strictEqual(ex.length, 1, dump(t));
          assert.strictEqual(ex[0].thread, 0);
          assert.strictEqual(ex[0].type, 'KeyError');
          assert.strictEqual(ex[0].line, lineOf('exits.py', 'raise'));
          assert.deepStrictEqual(recsOf(p, 'ProcessExit').map((x) => [x.flags, x.a]), [[0, 1]]);
          assert.ok(t.stderr.includes("KeyError: 'unhandled here'"), 'the traceback is still printed');
        });

        it('os._exit(9) loses nothing recorded before it', async () => {
          const t = await get('osexit');
          const p = root(t);
          assert.strictEqual(t.rc, 9);
          const ev = objectAt(p, 'exits.py', 'osexit-event').obj;
          assert.strictEqual(recsOfObj(p, ev, 'EventSet').length, 1);
          assert.deepStrictEqual(recsOf(p, 'ProcessExit').map((x) => x.a), [9]);
        });

        it('SIGKILL: the connection ends cleanly, with every record flushed up to the last interval', async () => {
          const t = await get('signal');
          const p = root(t);
          assert.strictEqual(t.rc, -9);
          assert.ok(p.eof && !p.bad);
          assert.strictEqual(p.hello.pid > 0, true, 'the hello is sent at once, before any flush interval');
          assert.strictEqual(recsOf(p, 'ProcessExit').length, 0);
        });

        it('subprocess: the child says hello with start "subprocess"; its exit code and signal are reaped', async () => {
          const t = await get('subprocess');
          const p = root(t);
          assert.strictEqual(t.rc, 0, dump(t));
          const kids = t.procs.filter((x) => x.hello.start === 'subprocess');
          assert.strictEqual(kids.length, 2, dump(t));
          for (const k of kids) assert.strictEqual(k.hello.ppid, p.hello.pid);
          const reaped = new Map(recsOf(p, 'ChildExit').map((r) => [r.a, r.b]));
          assert.strictEqual(reaped.get(kids[0].hello.pid), 4);
          assert.strictEqual(reaped.get(kids[1].hello.pid), -9);
        });

        it('os.execv into Python: an exec meta, then the new image says hello with start "exec" and the same pid', async () => {
          const t = await get('exec');
          assert.strictEqual(t.rc, 4, dump(t));
          assert.strictEqual(t.procs.length, 2);
          const [before, after] = t.procs;
          assert.strictEqual(before.hello.start, 'root');
          const ex = metasOf(before, 'exec');
          assert.strictEqual(ex.length, 1);
          assert.deepStrictEqual(ex[0].argv.slice(-1), ['sysexit']);
          assert.strictEqual(after.hello.start, 'exec');
          assert.strictEqual(after.hello.pid, before.hello.pid);
          assert.deepStrictEqual(recsOf(after, 'ProcessExit').map((x) => x.a), [4]);
        });

        it('a forked child that execs into Python: the new image says start "exec" with the child\'s pid, the forking process says "root"', async () => {
          const t = await get('fork-exec');
          assert.strictEqual(t.rc, 0, dump(t));
          assert.ok(t.stdout.includes('child rc 4'), t.stdout);
          const starts = t.procs.map((p) => p.hello.start);
          assert.deepStrictEqual(starts, ['root', 'fork', 'exec'], dump(t));
          const [parent, child, image] = t.procs;
          assert.strictEqual(child.hello.ppid, parent.hello.pid);
          assert.strictEqual(image.hello.pid, child.hello.pid, 'exec keeps the pid');
          assert.strictEqual(metasOf(child, 'exec').length, 1);
          assert.deepStrictEqual(recsOf(image, 'ProcessExit').map((x) => x.a), [4]);
        });

        it('os.fork() warns "multi-threaded" only when the program has a thread of its own (3.12+), never for the tracer\'s, whatever filters the program adds', async () => {
          const t = await runs.get(py.executable, 'fork_warning.py', { env: FORK_WARNINGS });
          assert.strictEqual(t.rc, 0, dump(t));
          const between = (a: string, b: string) => t.stderr.slice(t.stderr.indexOf(a), t.stderr.indexOf(b));
          for (const m of ['FORK-1', 'FORK-2', 'FORK-3', 'FORK-4', 'END']) assert.ok(t.stderr.includes(m), t.stderr);
          const warns = (s: string) => /is multi-threaded/.test(s);
          assert.ok(!warns(between('FORK-1', 'FORK-2')), t.stderr);
          assert.strictEqual(warns(between('FORK-2', 'FORK-3')), Number(py.minor.split('.')[1]) >= 12, t.stderr);
          assert.ok(!warns(between('FORK-3', 'END')), t.stderr);
          assert.deepStrictEqual(t.procs.map((p) => p.hello.start), ['root', 'fork', 'fork', 'fork', 'fork'], dump(t));
        });
      });
    });
  }
});
