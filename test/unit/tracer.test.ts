/**
 * The Python tracer, end to end: test programs run under test/tracer/sink.py on every installed
 * CPython 3.8-3.13, and the decoded records are checked. All runs are scheduled up front (two at
 * a time) and each test awaits its own.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { installedPythons, reportMissing, InstalledPython } from '../pythonVersions';
import { runTraced, Trace, RunOptions, root, recsOf, metasOf, threadIndex, site, dump, byPid, objectAt, recsOfObj, REPO, PROGRAMS } from '../tracer/run';

const pythons = installedPythons();
const runs = new Map<string, Promise<Trace>>();

function traced(py: InstalledPython, program: string, opts: RunOptions = {}): Promise<Trace> {
  const key = `${py.version}|${program}|${JSON.stringify(opts)}`;
  let r = runs.get(key);
  if (!r) {
    r = runTraced(py.executable, program, opts);
    r.catch(() => undefined); // awaited (and reported) by the test that needs it
    runs.set(key, r);
  }
  return r;
}

/** Every run each version needs, scheduled before any test awaits one. */
function scheduleAll(py: InstalledPython): void {
  traced(py, 'threads_basic.py');
  traced(py, 'fork_basic.py');
  traced(py, 'plain_check.py', { socket: 'none' });
  traced(py, 'threads_basic.py', { socket: 'missing' });
  traced(py, 'threads_basic.py', { socket: 'close' });
  traced(py, 'flood.py', FLOOD);
  traced(py, 'flood_threads.py', FLOOD_THREADS);
  traced(py, 'fork_stress.py', { mode: 'full' });
  traced(py, 'chained_site.py', CHAINED);
  traced(py, 'spill.py', { mode: 'full' });
  traced(py, 'slow_host_exit.py', SLOW_HOST);
  traced(py, 'idle_flush.py');
  traced(py, 'idle_counters.py');
  for (const mode of ['smart', 'full'] as const) traced(py, 'from_c.py', { mode });
}

/** The tracer first on PYTHONPATH, then a folder with a sitecustomize of the program's own. */
const CHAINED: RunOptions = {
  env: { PYTHONPATH: [path.join(REPO, 'extension', 'tracer'), path.join(PROGRAMS, 'shadowed')].join(path.delimiter) },
};

/** Full mode, a 64 KiB buffer and a host that reads nothing for 1 s: drops are certain. */
const FLOOD: RunOptions = { mode: 'full', socket: 'stall', env: { PCB_BUFFER_BYTES: '65536' }, args: ['20000'] };

/** The same, from four threads that switch at every chance (4 x 10,000 `with`). */
const FLOOD_THREADS: RunOptions = { ...FLOOD, args: ['10000'] };

/** Full mode, 50,000 records (1.2 MB) and a host that reads ~0.4 MB/s: the exit comes mid-flush. */
const SLOW_HOST: RunOptions = { mode: 'full', socket: 'slow', args: ['50000'] };

/** Interpreters the tracer refuses politely (2.7, 3.6, 3.7), when pyenv has them. */
function oldPythons(): string[] {
  let root = process.env.PYENV_ROOT ?? '';
  try {
    if (!root) root = execFileSync('pyenv', ['root'], { encoding: 'utf8' }).trim();
  } catch {
    return [];
  }
  const dir = path.join(root, 'versions');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((v) => /^(2\.7|3\.6|3\.7)\.\d+$/.test(v))
    .map((v) => path.join(dir, v, 'bin', v.startsWith('2') ? 'python2' : 'python3'))
    .filter((exe) => fs.existsSync(exe));
}

describe('tracer (Python side)', function () {
  this.timeout(120_000);
  before(() => {
    reportMissing();
    for (const py of pythons) scheduleAll(py);
  });

  it('finds at least one supported Python', () => {
    assert.ok(pythons.length > 0, 'no CPython 3.8-3.13 under $(pyenv root)/versions');
  });

  for (const exe of oldPythons()) {
    it(`tells ${path.basename(path.dirname(path.dirname(exe)))} users that Python 3.8 or newer is required, and runs the program untraced`, async () => {
      const t = await runTraced(exe, 'hello.py');
      assert.strictEqual(t.rc, 0, t.stderr);
      assert.strictEqual(t.stdout, 'ran\n');
      assert.match(t.stderr, /Python 3\.8 or newer is required/);
      assert.strictEqual(t.procs.length, 0);
    });
  }

  for (const py of pythons) {
    describe(`Python ${py.version}`, () => {
      describe('threads and exit', () => {
        it('says hello, declares the main thread first, and names every thread', async () => {
          const t = await traced(py, 'threads_basic.py');
          const p = root(t);
          assert.strictEqual(t.procs.length, 1, dump(t));
          assert.strictEqual(p.hello.python, py.version);
          assert.strictEqual(p.hello.mode, 'smart');
          assert.strictEqual(p.items[0].hasOwnProperty('meta') && (p.items[0] as { meta: { m: string } }).meta.m, 'hello');
          const names = metasOf(p, 'thread').map((m) => m.name);
          assert.deepStrictEqual(names, ['MainThread', 'worker-a', 'worker-b'], dump(t));
          const starts = recsOf(p, 'ThreadStart').map((r) => r.thread);
          assert.deepStrictEqual(starts, [0, 1, 2]);
          assert.ok(p.eof && !p.bad, dump(t));
        });

        it('records each thread exit, flagging the one that raised, with an exception meta', async () => {
          const t = await traced(py, 'threads_basic.py');
          const p = root(t);
          const a = threadIndex(p, 'worker-a');
          const b = threadIndex(p, 'worker-b');
          const exits = new Map(recsOf(p, 'ThreadExit').map((r) => [r.thread, r.flags]));
          assert.strictEqual(exits.get(a), 0);
          assert.strictEqual(exits.get(b), 1, dump(t));
          assert.strictEqual(exits.get(0), 0);
          const ex = metasOf(p, 'exception');
          assert.strictEqual(ex.length, 1);
          assert.strictEqual(ex[0].thread, b);
          assert.strictEqual(ex[0].type, 'ValueError');
          assert.strictEqual(ex[0].message, 'boom in thread');
          assert.match(ex[0].file, /threads_basic\.py$/);
          assert.strictEqual(ex[0].line, 11);
        });

        it('records a blocking join with its site and the joined thread, and no join on a finished thread', async () => {
          const t = await traced(py, 'threads_basic.py');
          const p = root(t);
          const b = threadIndex(p, 'worker-b');
          const joins = recsOf(p, 'WaitBegin').filter((r) => r.flags === 6);
          // a.join() may or may not wait (worker-a may be done); b.join() waits for b's raise
          const jb = joins.find((r) => r.b === b + 1);
          if (jb) {
            const s = site(p, jb.a);
            assert.ok(s, 'join site declared');
            assert.match(s!.file, /threads_basic\.py$/);
            assert.strictEqual(s!.line, 19);
            const end = recsOf(p, 'WaitEnd').find((r) => r.thread === 0 && r.t >= jb.t);
            assert.ok(end && end.flags === 0, dump(t));
            const exitB = recsOf(p, 'ThreadExit').find((r) => r.thread === b)!;
            assert.ok(exitB.t <= end!.t, 'the joined thread exits before the join ends');
          }
          for (const r of joins) assert.ok(r.b === b + 1 || r.b === threadIndex(p, 'worker-a') + 1);
        });

        it('ends with ProcessExit carrying the sys.exit code', async () => {
          const t = await traced(py, 'threads_basic.py');
          const p = root(t);
          assert.strictEqual(t.rc, 3);
          const last = p.recs[p.recs.length - 1];
          assert.strictEqual(last.type, 'ProcessExit', dump(t));
          assert.strictEqual(last.a, 3);
          assert.strictEqual(last.flags, 0);
          assert.ok(t.stdout.includes('threads 1'), 'the tracer thread is not visible to threading');
        });

        it('does not rename an exited thread', async () => {
          const t = await traced(py, 'threads_basic.py');
          assert.strictEqual(metasOf(root(t), 'rename').length, 0);
        });

        it('keeps timestamps monotonic within a thread', async () => {
          const t = await traced(py, 'threads_basic.py');
          const last = new Map<number, number>();
          for (const r of root(t).recs) {
            assert.ok(r.t >= (last.get(r.thread) ?? 0), `time went back: ${JSON.stringify(r)}`);
            last.set(r.thread, r.t);
          }
        });
      });

      describe('fork', () => {
        it('a forked child says hello with start "fork" and its parent pid, on its own connection', async () => {
          const t = await traced(py, 'fork_basic.py');
          assert.strictEqual(t.rc, 0, dump(t));
          assert.strictEqual(t.stderr, '', 'no warning (3.12+ fork-with-threads) caused by the tracer');
          const parent = root(t);
          const kids = t.procs.filter((p) => p.hello.start === 'fork');
          assert.strictEqual(kids.length, 1, dump(t));
          const kid = kids[0];
          assert.strictEqual(kid.hello.ppid, parent.hello.pid);
          assert.deepStrictEqual(metasOf(kid, 'thread').map((m) => m.name), ['MainThread', 'child-thread']);
          const exit = recsOf(kid, 'ProcessExit');
          assert.strictEqual(exit.length, 1);
          assert.strictEqual(exit[0].a, 7);
          // the parent's records made before the fork are not repeated by the child
          assert.strictEqual(recsOf(kid, 'ThreadStart').filter((r) => r.thread === 0).length, 1);
          const reaped = recsOf(parent, 'ChildExit');
          assert.deepStrictEqual(reaped.map((r) => [r.a, r.b]), [[kid.hello.pid, 7]]);
          assert.ok(byPid(t, kid.hello.pid));
        });
      });

      describe('fork while writing', () => {
        it('20 forks while another thread floods records: every child is complete on a clean connection, the parent stream stays well-formed', async () => {
          const t = await traced(py, 'fork_stress.py', { mode: 'full' });
          assert.strictEqual(t.rc, 0, t.stderr);
          assert.strictEqual(t.stdout, 'codes True\n');
          const parent = root(t);
          const kids = t.procs.filter((p) => p.hello.start === 'fork');
          assert.strictEqual(kids.length, 20);
          const codes: number[] = [];
          for (const k of kids) {
            assert.strictEqual(k.hello.ppid, parent.hello.pid);
            assert.ok(k.eof && !k.bad, `child ${k.hello.pid} stream clean`);
            assert.strictEqual(recsOf(k, 'Hold').length, 1, 'the child records its own hold only');
            codes.push(recsOf(k, 'ProcessExit')[0].a);
          }
          assert.deepStrictEqual(codes.sort((a, b) => a - b), [...Array(20).keys()]);
          assert.ok(parent.eof && !parent.bad);
          assert.deepStrictEqual(metasOf(parent, 'rename'), [{ m: 'rename', thread: threadIndex(parent, 'writer'), name: 'writer-renamed' }], 'a running thread renamed');
          assert.strictEqual(recsOf(parent, 'ChildExit').length, 20);
        });
      });

      describe('a host that cannot keep up', () => {
        it('never blocks the program: records past the bounded buffer are dropped, counted exactly, and the count is sent', async () => {
          const t = await traced(py, 'flood.py', FLOOD);
          const p = root(t);
          assert.strictEqual(t.rc, 0, t.stderr);
          const secs = Number(/seconds ([\d.]+)/.exec(t.stdout)![1]);
          assert.ok(secs < 1.0, `the loop finished while the host was not reading (${secs} s)`);
          // Writers look at the buffer's size once a millisecond (channel.record): past the
          // limit for fixed records it may grow by what they write in between, never to the
          // room metas get (twice the limit). Without the limit it reaches 170-250 KB here.
          const most = Number(/most buffered (\d+)/.exec(t.stdout)![1]);
          assert.ok(most <= 2 * 65536, `the buffer stayed bounded (${most} bytes at most)`);
          const drops = metasOf(p, 'dropped').map((m) => m.count);
          assert.ok(drops.length > 0, 'a dropped meta arrives');
          for (let i = 1; i < drops.length; i++) assert.ok(drops[i] >= drops[i - 1], 'cumulative');
          const got = recsOf(p, 'Hold').length;
          assert.strictEqual(got + drops[drops.length - 1], 20000, 'received + dropped = every lock record (one Hold per `with`)');
          assert.strictEqual(recsOf(p, 'ProcessExit').length, 1, 'lifecycle records are never dropped');
          assert.ok(p.eof && !p.bad);
        });

        it('threads that drop records at the same time: every drop is counted (3.8/3.9 switch threads inside `x += 1`)', async () => {
          const t = await traced(py, 'flood_threads.py', FLOOD_THREADS);
          const p = root(t);
          assert.strictEqual(t.rc, 0, t.stderr);
          assert.match(t.stdout, /^ops 40000 /);
          const secs = Number(/seconds ([\d.]+)/.exec(t.stdout)![1]);
          const drops = metasOf(p, 'dropped').map((m) => m.count);
          assert.ok(drops.length > 0, 'a dropped meta arrives');
          const got = recsOf(p, 'Hold').length;
          const accounted = got + drops[drops.length - 1];
          // One Hold per `with`: each is received or counted (before the fix, 3.8/3.9 lost thousands)
          assert.ok(accounted >= 40000, `received (${got}) + dropped = ${accounted} < 40000 lock records: drops went uncounted`);
          // The count may also hold the flusher's publications of long holds (an Acquire with
          // flags 2), at most one per lock per 10 ms tick: never more
          const ticks = Math.ceil(secs / 0.01) + 2;
          assert.ok(accounted - 40000 <= 4 * ticks, `${accounted - 40000} more than the Holds: more than the ${4 * ticks} publications ${ticks} ticks can make`);
          assert.ok(p.eof && !p.bad);
        });

        it('a host that reads slowly gets every record of a program that ends at once: the exit waits while it reads', async () => {
          const t = await traced(py, 'slow_host_exit.py', SLOW_HOST);
          const p = root(t);
          assert.strictEqual(t.rc, 0, t.stderr);
          assert.strictEqual(t.stdout.trim(), 'ops 50000');
          // The flusher is often in the middle of a send of a megabyte when the exit flush begins:
          // giving up on it after 2 s lost up to two thirds of the records, silently.
          assert.deepStrictEqual(metasOf(p, 'dropped'), [], 'nothing dropped');
          assert.strictEqual(recsOf(p, 'Hold').length, 50000, 'one Hold per `with`, every one');
          assert.strictEqual(recsOf(p, 'ProcessExit').length, 1);
          assert.ok(p.eof && !p.bad, 'the stream ends on a whole record');
        });

        it('a writer sends past SPILL_BYTES itself when the flusher cannot: records do not pile up, and every one arrives', async () => {
          const t = await traced(py, 'spill.py', { mode: 'full' });
          const p = root(t);
          assert.strictEqual(t.rc, 0, t.stderr);
          const m = /records (\d+) spill (\d+) most buffered (\d+)/.exec(t.stdout);
          assert.ok(m, t.stdout);
          const [records, spill, most] = m!.slice(1).map(Number);
          // Without the writer's own sends the buffer would hold all 24 * records bytes at the end.
          assert.ok(spill <= 65536 && most < (24 * records) / 2, `at most ${most} bytes buffered (spill at ${spill})`);
          assert.strictEqual(recsOf(p, 'Hold').length, records, 'every record arrived');
          assert.ok(p.eof && !p.bad);
        });

        it('an idle flusher sleeps until a record wakes it: records written while it sleeps are sent at once', async () => {
          const t = await traced(py, 'idle_flush.py');
          assert.strictEqual(t.rc, 0, t.stderr);
          // The flusher's idle sleep is an hour here: the buffer empties only if the writer woke it.
          assert.deepStrictEqual(t.stdout.trim().split('\n'), ['idle True', 'declared, sent True', 'idle again True', 'set, sent True']);
          const p = root(t);
          const ev = objectAt(p, 'idle_flush.py', 'ev');
          assert.strictEqual(ev.kind, 'Event');
          assert.strictEqual(recsOfObj(p, ev.obj, 'EventSet').length, 1, 'the set arrived');
          assert.ok(p.eof && !p.bad);
        });

        it('a flusher that only sends lock counters goes idle, and the counts stay exact', async () => {
          const t = await traced(py, 'idle_counters.py');
          assert.strictEqual(t.rc, 0, t.stderr);
          const m = /idle (\w+) acquisitions (\d+)/.exec(t.stdout);
          assert.ok(m, t.stdout);
          assert.strictEqual(m![1], 'True', 'the flusher went idle while the lock was being taken');
          const p = root(t);
          const lock = objectAt(p, 'idle_counters.py', 'lock');
          const stats = recsOfObj(p, lock.obj, 'LockStats');
          assert.ok(stats.length > 0, dump(t));
          assert.deepStrictEqual([stats[stats.length - 1].a, stats[stats.length - 1].b], [Number(m![2]), 0], 'every acquisition counted, none contended');
        });

        it('shows no tracer thread to the program', async () => {
          const t = await traced(py, 'flood.py', FLOOD);
          assert.ok(t.stdout.includes("threads ['MainThread'] 1"), t.stdout);
        });
      });

      describe('operations called straight from C (a raw thread\'s function, an atexit callback)', () => {
        for (const mode of ['smart', 'full'] as const) {
          it(`work as untraced ones do, with no Python frame above the wrapper (${mode} mode)`, async () => {
            const t = await traced(py, 'from_c.py', { mode });
            assert.strictEqual(t.rc, 0, t.stderr);
            // Before, sys._getframe(1) raised in the wrapper: after the lock was taken, or
            // before the queue's get, and the atexit release never happened (full mode).
            assert.strictEqual(t.stderr, '', 'no exception in a wrapper');
            assert.strictEqual(t.stdout, 'queue item taken True\nmp lock taken True\nthreading lock taken True\nlock released at exit True\n');
            assert.ok(root(t).eof && !root(t).bad, dump(t));
          });
        }
      });

      describe('sitecustomize', () => {
        it('runs the sitecustomize it shadows further down PYTHONPATH, and traces the program', async () => {
          const t = await traced(py, 'chained_site.py', CHAINED);
          assert.strictEqual(t.rc, 0, t.stderr);
          assert.strictEqual(t.stdout, 'shadowed True\ntraced True\n');
          assert.strictEqual(t.procs.length, 1, dump(t));
          assert.ok(root(t).eof && !root(t).bad, dump(t));
        });
      });

      describe('no channel', () => {
        it('has zero effect when PCB_SOCKET is unset', async () => {
          const t = await traced(py, 'plain_check.py', { socket: 'none' });
          assert.strictEqual(t.rc, 0, t.stderr);
          assert.strictEqual(t.stdout, 'modules False\nlock True\nsleep time builtin_function_or_method\nparent_env False\nok\n');
          assert.strictEqual(t.stderr, '');
          assert.strictEqual(t.procs.length, 0);
        });

        it('runs the program normally when nothing listens on PCB_SOCKET', async () => {
          const t = await traced(py, 'threads_basic.py', { socket: 'missing' });
          assert.strictEqual(t.rc, 3, t.stderr);
          assert.ok(t.stdout.includes('threads 1'));
          assert.ok(!t.stderr.includes('pcb-tracer'), t.stderr);
        });

        it('runs the program normally when the host closes the connection', async () => {
          const t = await traced(py, 'threads_basic.py', { socket: 'close' });
          assert.strictEqual(t.rc, 3, t.stderr);
          assert.ok(t.stdout.includes('threads 1'));
          assert.ok(!t.stderr.includes('pcb-tracer'), t.stderr);
          assert.ok(!t.timedOut);
        });
      });
    });
  }
});
