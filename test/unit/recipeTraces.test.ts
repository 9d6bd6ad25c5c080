/**
 * Every recipe of the cookbook, run through the real worker host (dist/workerHost.js) on the
 * default Python, with stdin closed, and checked from its trace: what the recipe teaches must be
 * visible in the lifecycle model's output (threads, processes, state spans, hold spans, flows,
 * instants, counters, deadlocks), not only in what the recipe prints.
 *
 * Most recipes run in smart mode (the product's default); the ones whose point needs every hold
 * span (never overlapping holds of a lock) run in full mode. Two runs at most at a time: each
 * test asks for its run and the next one in catalog order starts alongside it.
 *
 * A point the tracer does not record yet is written anyway and marked pending with it.skip and a
 * `TODO(tracer)` comment naming the missing record. Needs `npm run build` (dist/workerHost.js).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { RunSummary, ThreadState, TraceMode } from '../../extension/protocol';
import { layoutFromRoot, makeRunRequest } from '../../extension/host/layout';
import { RunHost } from '../../extension/host/runHost';
import { RunRecording } from '../../extension/host/runRecording';
import { WaitKind } from '../../extension/host/traceSchema';
import { defaultPython } from '../pythonVersions';
import { readCatalog, RecipeEntry, validateCatalog } from './recipeCatalog';
import {
  allOverlap,
  contains,
  Interval,
  lifetime,
  maxConcurrent,
  ms,
  overlappingPairs,
  selfOverlaps,
  Span,
  taskRuns,
  Trace,
  within,
} from './traceQueries';
import { Limiter } from '../support/limiter';

const root = path.resolve(__dirname, '..', '..', '..');
const layout = layoutFromRoot(root);
const python = defaultPython();
/** The worker host stops a run after this long (the deadlock demo is stopped long before). */
const RUN_TIMEOUT_S = 40;
const MAX_PARALLEL_RUNS = 2;
/**
 * These tests check the model against complete traces. The tracer's default buffer (8 MiB) drops
 * records once the host falls that far behind, which a loaded CI machine can cause (the drop path
 * has its own tests in tracer.test.ts): a larger one keeps these runs complete.
 */
const TRACER_BUFFER_BYTES = 64 << 20;

// ------------------------------------------------------------------------------------ catalog

function loadRecipes(): RecipeEntry[] {
  try {
    const raw = readCatalog();
    const errors = validateCatalog(raw, layout.recipesDir);
    return errors.length === 0 ? (raw as RecipeEntry[]) : [];
  } catch {
    return []; // reported by the catalog test below
  }
}
const catalog = loadRecipes();

function recipeEntry(id: string): RecipeEntry {
  const r = catalog.find((c) => c.id === id);
  if (!r) throw new Error(`recipe ${id} is not in recipes/catalog.json`);
  return r;
}

function recipeSource(id: string): string {
  return fs.readFileSync(path.join(layout.recipesDir, recipeEntry(id).file), 'utf8');
}

/** 1-based line of the only line of the recipe containing `text` (where an object is created). */
function lineOf(id: string, text: string): number {
  const lines = recipeSource(id).split('\n');
  const found = lines.map((l, i) => (l.includes(text) ? i + 1 : 0)).filter((n) => n > 0);
  if (found.length !== 1) throw new Error(`${recipeEntry(id).file}: expected one line with ${JSON.stringify(text)}, found ${found.length}`);
  return found[0];
}

/** A module-level constant of the recipe (`NAME = 123`), so the tests follow the recipe. */
function constantOf(id: string, name: string): number {
  const m = new RegExp(`^${name} = ([0-9.]+)`, 'm').exec(recipeSource(id));
  if (!m) throw new Error(`${recipeEntry(id).file} has no constant ${name}`);
  return Number(m[1]);
}

// ------------------------------------------------------------------------------------ runs

interface RunSpec {
  id: string;
  mode: TraceMode;
  stopOnDeadlock: boolean;
}
const specKey = (s: { id: string; mode: TraceMode }): string => `${s.id} (${s.mode})`;

interface RunResult {
  trace: Trace;
  wallMs: number;
}

/** Runs one recipe through the worker host and records every delta, its output and notices. */
async function runRecipe(spec: RunSpec): Promise<RunResult> {
  const file = path.join(layout.recipesDir, recipeEntry(spec.id).file);
  const request = makeRunRequest(layout, {
    python,
    script: file,
    mode: spec.mode,
    timeoutSec: RUN_TIMEOUT_S,
    stopOnDeadlock: spec.stopOnDeadlock,
    env: { PCB_BUFFER_BYTES: String(TRACER_BUFFER_BYTES) },
  });
  const started = Date.now();
  const host = new RunHost(request, layout.workerScript);
  const rec = new RunRecording();
  const notices: string[] = [];
  let output = '';
  host.onMessage((m) => {
    switch (m.type) {
      case 'started':
        host.endStdin(); // stdin closed: no recipe may wait for a person
        break;
      case 'delta':
        rec.add(m.delta);
        break;
      case 'output':
        output += m.data;
        break;
      case 'notice':
        notices.push(m.message);
        break;
    }
  });
  const outcome = await host.outcome;
  if (!outcome.ok) throw new Error(`${specKey(spec)}: the run failed: ${outcome.message}\n--- output ---\n${output}`);
  return { trace: new Trace(rec, outcome.summary, output, notices), wallMs: Date.now() - started };
}

const limiter = new Limiter(MAX_PARALLEL_RUNS);
/** Every run the tests below will ask for, in the order they ask. */
const plan: RunSpec[] = [];
const runs = new Map<string, Promise<RunResult>>();
const wallTimes: string[] = [];

/**
 * A full-mode run is checked hold by hold, so it needs every record. The tracer drops records
 * rather than block the program when the host falls behind (a loaded machine): such a run is
 * made once more, and the tests then require a complete trace.
 */
async function runComplete(spec: RunSpec): Promise<RunResult> {
  const first = await runRecipe(spec);
  const dropped = first.trace.summary.records.dropped;
  if (spec.mode !== 'full' || dropped === 0) return first;
  wallTimes.push(`(${specKey(spec)}: ${dropped} records dropped, run again)`);
  return runRecipe(spec);
}

function start(spec: RunSpec): Promise<RunResult> {
  const key = specKey(spec);
  let p = runs.get(key);
  if (!p) {
    p = limiter.run(() => runComplete(spec));
    p.catch(() => undefined); // reported by the test that awaits it
    runs.set(key, p);
    void p.then((r) => wallTimes.push(`${(r.wallMs / 1000).toFixed(2)} s  ${key}`));
  }
  return p;
}

/** The run of a recipe in a mode; also starts the next planned run, so two run at once. */
async function traceOf(id: string, mode: TraceMode): Promise<Trace> {
  const i = plan.findIndex((s) => s.id === id && s.mode === mode);
  if (i < 0) throw new Error(`no planned run for ${id} in ${mode} mode`);
  const own = start(plan[i]);
  if (i + 1 < plan.length) void start(plan[i + 1]);
  return (await own).trace;
}

// ------------------------------------------------------------------------------------ structure

const declared: string[] = [];

/**
 * The tests of one recipe: a run in each of `modes` (the first one is also checked for a clean
 * run with the catalog's threads and processes), then the recipe's own points from `body`.
 */
function recipe(id: string, modes: TraceMode[], body: (trace: (mode?: TraceMode) => Promise<Trace>) => void, stopOnDeadlock = false): void {
  declared.push(id);
  for (const mode of modes) plan.push({ id, mode, stopOnDeadlock });
  const trace = (mode: TraceMode = modes[0]): Promise<Trace> => traceOf(id, mode);
  describe(id, function () {
    const entry = catalog.find((c) => c.id === id);
    if (!entry) {
      it('is in the catalog', () => assert.fail(`recipe ${id} is not in recipes/catalog.json (or the catalog is invalid)`));
      return;
    }
    if (!entry.expectsDeadlock) {
      it(`runs to completion (${modes[0]} mode) with the threads and processes the catalog expects, cleanly traced`, async () => {
        const t = await trace();
        assertCleanRun(t, entry);
        assert.strictEqual(t.summary.exitCode, 0, `exit code ${t.summary.exitCode}, signal ${t.summary.signal}\n${t.output}`);
        assert.strictEqual(t.summary.stopped, false, `the run was stopped: ${t.notices.join('; ')}`);
      });
      it('is not flagged as a deadlock or a stall', async () => {
        const t = await trace();
        assert.deepStrictEqual(t.summary.deadlocks, [], `false deadlock: ${JSON.stringify(t.summary.deadlocks)}`);
        assert.strictEqual(t.summary.stalls, 0, 'stalls flagged');
      });
    }
    body(trace);
  });
}

function assertCleanRun(t: Trace, entry: RecipeEntry): void {
  const s: RunSummary = t.summary;
  assert.strictEqual(s.records.malformed, 0, 'malformed trace records');
  assert.strictEqual(s.records.dropped, 0, 'trace records dropped by the tracer');
  assert.ok(s.records.total > 0, 'no trace records at all');
  if (entry.expect.threads) {
    assert.deepStrictEqual(t.extraThreadNames(t.root), [...entry.expect.threads].sort(), `threads of the main process (all: ${t.describeThreads()})`);
  }
  if (entry.expect.processes !== undefined) {
    assert.strictEqual(t.processes.length, entry.expect.processes, `Python programs run: ${t.describeProcesses()}`);
  }
}

// ------------------------------------------------------------------------------------ assertions

/** Checks that hold by hold need: the tracer dropped nothing. */
function assertComplete(t: Trace): void {
  assert.strictEqual(t.summary.records.dropped, 0, `the tracer dropped ${t.summary.records.dropped} records (twice): the trace is incomplete`);
}

function assertNoOverlap<T extends Interval>(items: readonly T[], what: string, describe: (x: T) => string): void {
  const bad = selfOverlaps(items);
  assert.deepStrictEqual(
    bad.map(([a, b]) => `${describe(a)} overlaps ${describe(b)}`).slice(0, 5),
    [],
    `${what} overlap (${bad.length} pairs)`,
  );
}

function holdText(t: Trace) {
  return (h: { thread: number; startNs: number; endNs: number }) => `${t.threadName(h.thread)} ${ms(h.startNs)}..${ms(h.endNs)}`;
}

function spanText(t: Trace) {
  return (s: Span) => `${t.threadName(s.thread)} ${ms(s.startNs)}..${ms(s.endNs)}`;
}

/** The spans of a thread in one state (and wait kind), in time order. */
function statesOf(t: Trace, thread: number, state: number, waitKind?: number): Span[] {
  return t.spansWhere({ thread, state: state as Span['state'], waitKind });
}

/**
 * The waiter joined `target` until it ended: one of its join spans ends at or after the target's
 * end. (Not "covers the end": a thread or process records its end as it exits, so a join can
 * begin just after that record, while the exit is still under way, and still wait for it.)
 */
function assertJoinedUntilEnd(t: Trace, waiter: number, target: { name: string; endNs: number | null }): void {
  const end = target.endNs;
  assert.ok(end !== null, `${target.name} never ended`);
  const joins = statesOf(t, waiter, ThreadState.Waiting, WaitKind.Join);
  assert.ok(
    joins.some((j) => j.endNs >= end),
    `${t.threadName(waiter)} stopped joining before ${target.name} ended at ${ms(end)}; its joins:\n${t.describeSpans(joins)}`,
  );
}

/** A get/recv recorded as the wait for it ends (the Get record follows the WaitEnd record). */
function endsWait(w: Interval, tNs: number): boolean {
  return tNs >= w.endNs && tNs - w.endNs < 100e6;
}

function outputLines(t: Trace): string[] {
  return t.output.split('\n').map((l) => l.trimEnd());
}

// ==================================================================================== the tests

describe('recipes, checked from their traces (worker host, default Python)', function () {
  this.timeout(RUN_TIMEOUT_S * 1000 * 3);

  before(function () {
    if (!fs.existsSync(layout.workerScript)) assert.fail(`${layout.workerScript} is missing: run npm run build first`);
    console.log(`    (Python: ${python})`);
  });

  after(function () {
    if (wallTimes.length > 0) console.log(`    wall time per run:\n${wallTimes.map((w) => `      ${w}`).join('\n')}`);
  });

  it('has trace tests for every recipe of the catalog, in catalog order', () => {
    assert.ok(catalog.length > 0, 'recipes/catalog.json could not be read or is invalid (see recipes.test)');
    assert.deepStrictEqual(declared, catalog.map((r) => r.id));
  });

  // ---------------------------------------------------------------------------------- Processes
  recipe('executing-a-process-from-a-script', ['smart'], (trace) => {
    it('execs into the called program in the same process (same pid), which ends without waiting for input', async () => {
      const t = await trace();
      const images = t.processes;
      assert.strictEqual(images.length, 2, t.describeProcesses());
      const [caller, called] = images;
      assert.strictEqual(caller.startMethod, 'root');
      assert.strictEqual(called.startMethod, 'exec', 'the second image is marked as an exec');
      assert.strictEqual(called.pid, caller.pid, 'exec keeps the pid');
      assert.match(caller.argv[0] ?? '', /executing_a_process_from_a_script\.py$/);
      assert.match(called.argv[0] ?? '', /helpers\/called_process\.py$/);
      assert.ok(caller.endNs !== null && caller.endNs <= called.startNs, `the caller's image ends (${ms(caller.endNs ?? NaN)}) before the called one starts (${ms(called.startNs)})`);
      assert.strictEqual(caller.exitCode, null, 'an exec is not an exit: the calling image has no exit code');
      assert.strictEqual(caller.signal, null);
      assert.strictEqual(called.exitCode, 0);
      for (const p of images) assert.deepStrictEqual(t.extraThreadNames(p), [], `${p.name} starts no thread`);
      // stdin is closed: the called program must not sit in its 3 s wait for a line.
      const life = lifetime(called, t.rec.nowNs);
      assert.ok(life.endNs - life.startNs < 3e9, `the called program lived ${ms(life.endNs - life.startNs)} with stdin closed`);
      assert.match(t.output, /stdin is closed/);
    });
  });

  // ---------------------------------------------------------------------------------- Threads
  recipe('defining-a-thread', ['smart'], (trace) => {
    it('joining inside the start loop runs the serial-N threads one after another, while MainThread waits on join', async () => {
      const t = await trace();
      const main = t.mainThreadOf(t.root);
      const serial = [0, 1, 2, 3, 4].map((i) => t.thread(`serial-${i}`, t.root));
      for (let i = 1; i < serial.length; i++) {
        const prev = serial[i - 1];
        assert.ok(prev.endNs !== null && serial[i].startNs >= prev.endNs, `serial-${i} started at ${ms(serial[i].startNs)}, before serial-${i - 1} ended at ${ms(prev.endNs ?? NaN)}`);
      }
      for (const s of serial) assertJoinedUntilEnd(t, main.uid, s);
    });

    it('starting all then joining runs the concurrent-N threads together: their sleeps overlap', async () => {
      const t = await trace();
      const concurrent = [0, 1, 2, 3, 4].map((i) => t.thread(`concurrent-${i}`, t.root));
      const sleeps = concurrent.map((c) => {
        const s = statesOf(t, c.uid, ThreadState.Sleeping, WaitKind.Sleep);
        assert.strictEqual(s.length, 1, `${c.name} sleeps once`);
        return s[0];
      });
      assert.ok(allOverlap(sleeps), `the sleeps do not share an instant:\n${t.describeSpans(sleeps)}`);
      const main = t.mainThreadOf(t.root);
      const last = concurrent.reduce((a, b) => ((a.endNs ?? 0) > (b.endNs ?? 0) ? a : b));
      assertJoinedUntilEnd(t, main.uid, last);
    });
  });

  recipe('determining-the-current-thread', ['smart'], (trace) => {
    it('first_function and second_function sleep side by side for a second while MainThread waits on join', async () => {
      const t = await trace();
      const main = t.mainThreadOf(t.root);
      const threads = ['first_function', 'second_function'].map((n) => t.thread(n, t.root));
      const sleeps = threads.map((th) => {
        const s = statesOf(t, th.uid, ThreadState.Sleeping, WaitKind.Sleep);
        assert.strictEqual(s.length, 1, `${th.name} sleeps once`);
        assert.ok(s[0].endNs - s[0].startNs >= 0.99e9, `${th.name} slept ${ms(s[0].endNs - s[0].startNs)}, expected 1 s`);
        return s[0];
      });
      assert.ok(allOverlap(sleeps), `the sleeps do not overlap:\n${t.describeSpans(sleeps)}`);
      for (const th of threads) assertJoinedUntilEnd(t, main.uid, th);
    });
  });

  recipe('using-a-thread-in-a-subclass', ['smart'], (trace) => {
    it('each countdown-N sleeps once per step, all start together, and they end in order 3, 4, 5', async () => {
      const t = await trace();
      const threads = [3, 4, 5].map((n) => t.thread(`countdown-${n}`, t.root));
      threads.forEach((th, i) => {
        const steps = 3 + i;
        assert.strictEqual(statesOf(t, th.uid, ThreadState.Sleeping, WaitKind.Sleep).length, steps, `${th.name} sleeps ${steps} times`);
      });
      const lives = threads.map((th) => lifetime(th, t.rec.nowNs));
      assert.ok(allOverlap(lives), 'the three countdowns run at the same time');
      assert.ok(lives[0].endNs < lives[1].endNs && lives[1].endNs < lives[2].endNs, `end order: ${lives.map((l) => ms(l.endNs)).join(', ')}`);
      assertJoinedUntilEnd(t, t.mainThreadOf(t.root).uid, threads[2]);
    });
  });

  recipe('thread-synchronization-with-a-lock', ['smart', 'full'], (trace) => {
    const id = 'thread-synchronization-with-a-lock';
    it('full mode: every acquisition is a hold span, the holds never overlap, and as many increments as decrements hold it (the counter ends at 0)', async () => {
      const t = await trace('full');
      assertComplete(t);
      const count = constantOf(id, 'COUNT');
      const lock = t.objectAt('Lock', recipeEntry(id).file, lineOf(id, 'shared_resource_lock = threading.Lock()'));
      const inc = t.thread('increment-with-lock', t.root);
      const dec = t.thread('decrement-with-lock', t.root);
      const holds = t.holdsOf(lock.uid);
      assertNoOverlap(holds, 'hold spans of the lock', holdText(t));
      assert.deepStrictEqual([...new Set(holds.map((h) => t.threadName(h.thread)))].sort(), [t.threadName(dec.uid), t.threadName(inc.uid)].sort(), 'who held the lock');
      // One hold per += 1 and one per -= 1: the locked counter ends at COUNT - COUNT = 0.
      assert.strictEqual(t.holdsOf(lock.uid, inc.uid).length, count, 'holds by increment-with-lock');
      assert.strictEqual(t.holdsOf(lock.uid, dec.uid).length, count, 'holds by decrement-with-lock');
      assert.match(t.output, /with lock management is 0\n/);
    });

    it('full mode: whenever a locked thread is blocked on the lock, the other one holds it', async () => {
      const t = await trace('full');
      assertComplete(t);
      const lock = t.objectAt('Lock', recipeEntry(id).file, lineOf(id, 'shared_resource_lock = threading.Lock()'));
      const inc = t.thread('increment-with-lock', t.root);
      const dec = t.thread('decrement-with-lock', t.root);
      for (const [me, other] of [
        [inc, dec],
        [dec, inc],
      ]) {
        for (const w of t.spansWhere({ thread: me.uid, state: ThreadState.Blocked, obj: lock.uid })) {
          assert.ok(
            // Touching counts: a zero-length wait ends at the very instant of the other's release.
            t.holdsOf(lock.uid, other.uid).some((h) => h.startNs <= w.endNs && h.endNs >= w.startNs),
            `${me.name} waited ${ms(w.startNs)}..${ms(w.endNs)} while ${other.name} held nothing`,
          );
        }
      }
    });

    it('smart mode: 2 x COUNT acquisitions counted, contended holds never overlap, the without-lock threads never block', async () => {
      const t = await trace('smart');
      const count = constantOf(id, 'COUNT');
      const lock = t.objectAt('Lock', recipeEntry(id).file, lineOf(id, 'shared_resource_lock = threading.Lock()'));
      const stats = t.rec.stats.get(lock.uid);
      assert.ok(stats, 'the lock has statistics');
      assert.strictEqual(stats.acquisitions, 2 * count, 'acquisitions of the lock');
      const blocked = t.spansWhere({ state: ThreadState.Blocked, obj: lock.uid });
      assert.strictEqual(stats.contended, blocked.length, 'contended acquisitions = blocked spans on the lock');
      assertNoOverlap(t.holdsOf(lock.uid), 'hold spans of the lock', holdText(t));
      for (const name of ['increment-without-lock', 'decrement-without-lock']) {
        const th = t.thread(name, t.root);
        assert.deepStrictEqual(t.describeSpans(t.spansWhere({ thread: th.uid, state: ThreadState.Blocked })), '', `${name} never blocks`);
      }
      assert.match(t.output, /with lock management is 0\n/);
    });
  });

  recipe('thread-synchronization-with-an-rlock', ['full'], (trace) => {
    const id = 'thread-synchronization-with-an-rlock';
    it('adder and remover take turns holding the RLock, each hold with a nested acquisition that never waits', async () => {
      const t = await trace('full');
      assertComplete(t);
      const rlock = t.objectAt('RLock', recipeEntry(id).file, lineOf(id, 'self.lock = threading.RLock()'));
      const adder = t.thread('adder', t.root);
      const remover = t.thread('remover', t.root);
      const holds = t.holdsOf(rlock.uid);
      assert.strictEqual(t.holdsOf(rlock.uid, adder.uid).length, constantOf(id, 'N_ADD'), 'holds by adder');
      assert.strictEqual(t.holdsOf(rlock.uid, remover.uid).length, constantOf(id, 'N_REMOVE'), 'holds by remover');
      assertNoOverlap(holds, 'hold spans of the RLock', holdText(t));
      // add()/remove() acquire, execute() acquires again: two acquisitions per (outermost) hold.
      const stats = t.rec.stats.get(rlock.uid);
      assert.ok(stats, 'the RLock has statistics');
      assert.strictEqual(stats.acquisitions, 2 * holds.length, 'acquisitions = 2 per hold (the nested one)');
      // A thread never waits for the RLock it already holds.
      for (const w of t.spansWhere({ state: ThreadState.Blocked, obj: rlock.uid })) {
        const own = t.holdsOf(rlock.uid, w.thread).find((h) => contains(h, w.startNs) && h.startNs < w.startNs);
        assert.strictEqual(own, undefined, `${t.threadName(w.thread)} waited for the RLock it held`);
      }
      assert.match(t.output, /final total: 5 items/);
    });
  });

  recipe('thread-synchronization-with-semaphores', ['smart'], (trace) => {
    const id = 'thread-synchronization-with-semaphores';
    it('the consumer is blocked on the semaphore until its count goes from 0 to 1, three times', async () => {
      const t = await trace();
      const n = constantOf(id, 'N_ITEMS');
      const sem = t.objectAt('Semaphore', recipeEntry(id).file, lineOf(id, 'semaphore = threading.Semaphore(0)'));
      const consumer = t.thread('consumer', t.root);
      const producer = t.thread('producer', t.root);
      const waits = t.spansWhere({ thread: consumer.uid, state: ThreadState.Blocked, obj: sem.uid });
      assert.strictEqual(waits.length, n, `the consumer waits for each of the ${n} items:\n${t.describeSpans(waits)}`);
      assert.deepStrictEqual(t.spansWhere({ thread: producer.uid, state: ThreadState.Blocked }), [], 'the producer never blocks');
      const counts = t.countersOf(sem.uid);
      assert.ok(counts.length > 0 && counts[0].value === 0, 'the semaphore starts at 0');
      assert.ok(Math.max(...counts.map((c) => c.value)) <= 1, `the count never exceeds 1: ${counts.map((c) => c.value).join(',')}`);
      for (const w of waits) {
        // The release (count 0 -> 1) happens while the consumer waits; the wait ends after it.
        const rise = counts.find((c) => c.value === 1 && contains(w, c.tNs));
        assert.ok(rise, `no release while the consumer waited ${ms(w.startNs)}..${ms(w.endNs)}; counts: ${counts.map((c) => `${c.value}@${ms(c.tNs)}`).join(' ')}`);
      }
      assert.strictEqual(counts[counts.length - 1].value, 0, 'every item was consumed');
    });

    it('each of the producer\'s releases wakes the consumer: a release -> acquire flow from producer to consumer', async () => {
      const t = await trace();
      const sem = t.objectAt('Semaphore', recipeEntry(id).file, lineOf(id, 'semaphore = threading.Semaphore(0)'));
      const consumer = t.thread('consumer', t.root);
      const producer = t.thread('producer', t.root);
      const waits = t.spansWhere({ thread: consumer.uid, state: ThreadState.Blocked, obj: sem.uid });
      const flows = t.flowsOf('release-acquire', sem.uid);
      for (const w of waits) {
        assert.ok(
          flows.some((f) => f.fromThread === producer.uid && f.toThread === consumer.uid && f.toNs === w.endNs && contains(w, f.fromNs)),
          `no release -> acquire flow from the producer ends the wait ${ms(w.startNs)}..${ms(w.endNs)}`,
        );
      }
    });
  });

  recipe('thread-synchronization-with-a-condition', ['smart'], (trace) => {
    const id = 'thread-synchronization-with-a-condition';
    it('the buffer (items produced minus consumed, from the notifies) never exceeds its bound, and each side waits only when it must', async () => {
      const t = await trace();
      const capacity = constantOf(id, 'CAPACITY');
      const n = constantOf(id, 'N_ITEMS');
      const cond = t.objectAt('Condition', recipeEntry(id).file, lineOf(id, 'condition = threading.Condition()'));
      const producer = t.thread('producer', t.root);
      const consumer = t.thread('consumer', t.root);
      // Each produce() appends then notifies, each consume() pops then notifies, under the lock.
      const notifies = t.instantsOf('notify', cond.uid);
      assert.strictEqual(notifies.filter((i) => i.thread === producer.uid).length, n, 'one notify per item produced');
      assert.strictEqual(notifies.filter((i) => i.thread === consumer.uid).length, n, 'one notify per item consumed');
      const level = (tNs: number) => notifies.filter((i) => i.tNs <= tNs).reduce((sum, i) => sum + (i.thread === producer.uid ? 1 : -1), 0);
      const levels = notifies.map((i) => level(i.tNs));
      assert.ok(Math.min(...levels) >= 0, `the buffer went below 0: ${levels.join(',')}`);
      assert.ok(Math.max(...levels) <= capacity, `the buffer exceeded ${capacity}: ${levels.join(',')}`);
      assert.strictEqual(Math.max(...levels), capacity, `the fast producer fills the buffer to ${capacity}: ${levels.join(',')}`);
      const waits = t.spansWhere({ state: ThreadState.Waiting, waitKind: WaitKind.Condition, obj: cond.uid });
      const producerWaits = waits.filter((w) => w.thread === producer.uid);
      const consumerWaits = waits.filter((w) => w.thread === consumer.uid);
      assert.ok(producerWaits.length > 0, 'the producer waits for room at least once');
      assert.ok(consumerWaits.length > 0, 'the consumer waits for an item at least once');
      for (const w of producerWaits) assert.strictEqual(level(w.startNs), capacity, `the producer waited at ${ms(w.startNs)} with the buffer not full`);
      for (const w of consumerWaits) assert.strictEqual(level(w.startNs), 0, `the consumer waited at ${ms(w.startNs)} with items in the buffer`);
      assert.ok(consumerWaits[0].startNs < notifies[0].tNs, 'the consumer first waits on the empty buffer, before anything is produced');
    });

    it('every wait on the condition ends with a notify from the other thread, made during the wait', async () => {
      const t = await trace();
      const cond = t.objectAt('Condition', recipeEntry(id).file, lineOf(id, 'condition = threading.Condition()'));
      const waits = t.spansWhere({ state: ThreadState.Waiting, waitKind: WaitKind.Condition, obj: cond.uid });
      const flows = t.flowsOf('notify-wake', cond.uid);
      assert.ok(waits.length > 0, 'there are condition waits');
      for (const w of waits) {
        assert.ok(
          flows.some((f) => f.toThread === w.thread && f.toNs === w.endNs && f.fromThread !== w.thread && contains(w, f.fromNs)),
          `no notify -> wake flow ends the wait of ${t.threadName(w.thread)} ${ms(w.startNs)}..${ms(w.endNs)}`,
        );
      }
      assert.strictEqual(flows.length, waits.length, 'one notify -> wake flow per wait');
    });
  });

  recipe('thread-synchronization-with-an-event', ['smart'], (trace) => {
    const id = 'thread-synchronization-with-an-event';
    it('waiter-1..3 wait on the event until MainThread sets it, then all wake; late-waiter passes without waiting', async () => {
      const t = await trace();
      const ev = t.objectAt('Event', recipeEntry(id).file, lineOf(id, 'ready = threading.Event()'));
      const main = t.mainThreadOf(t.root);
      const sets = t.instantsOf('set', ev.uid);
      assert.strictEqual(sets.length, 1, 'the event is set once');
      assert.strictEqual(sets[0].thread, main.uid, 'by MainThread');
      const setNs = sets[0].tNs;
      const flows = t.flowsOf('set-wake', ev.uid);
      const wakes: number[] = [];
      for (const name of ['waiter-1', 'waiter-2', 'waiter-3']) {
        const th = t.thread(name, t.root);
        const waits = t.spansWhere({ thread: th.uid, state: ThreadState.Waiting, waitKind: WaitKind.Event, obj: ev.uid });
        assert.strictEqual(waits.length, 1, `${name} waits once on the event`);
        const w = waits[0];
        assert.ok(w.startNs < setNs && w.endNs >= setNs, `${name} waited ${ms(w.startNs)}..${ms(w.endNs)}, set at ${ms(setNs)}`);
        assert.ok(
          flows.some((f) => f.fromThread === main.uid && f.toThread === th.uid && f.toNs === w.endNs),
          `no set -> wake flow from MainThread to ${name}`,
        );
        wakes.push(w.endNs);
      }
      assert.ok(Math.max(...wakes) - setNs < 250e6, `the waiters woke ${wakes.map((w) => ms(w - setNs)).join(', ')} after the set`);
      const late = t.thread('late-waiter', t.root);
      assert.ok(late.startNs > setNs, 'late-waiter starts after the set');
      assert.deepStrictEqual(t.spansWhere({ thread: late.uid, obj: ev.uid }), [], 'late-waiter does not wait: the event stays set');
      assert.deepStrictEqual(t.countersOf(ev.uid).map((c) => c.value), [1], 'the event goes to set and stays set');
    });
  });

  recipe('using-the-with-statement', ['full'], (trace) => {
    const id = 'using-the-with-statement';
    const file = () => recipeEntry(id).file;
    it('with-Lock, with-RLock and with-Condition each hold their lock three times and release it even when the block raises', async () => {
      const t = await trace('full');
      assertComplete(t);
      const main = t.mainThreadOf(t.root);
      const cases: [string, number][] = [
        ['Lock', t.objectAt('Lock', file(), lineOf(id, '"Lock": threading.Lock()')).uid],
        ['RLock', t.objectAt('RLock', file(), lineOf(id, '"RLock": threading.RLock()')).uid],
        // A Condition's lock is the RLock created with it, on the same line.
        ['Condition', t.objectAt('RLock', file(), lineOf(id, '"Condition": threading.Condition()')).uid],
      ];
      t.objectAt('Condition', file(), lineOf(id, '"Condition": threading.Condition()'));
      for (const [kind, obj] of cases) {
        const th = t.thread(`with-${kind}`, t.root);
        const holds = t.holdsOf(obj, th.uid);
        assert.strictEqual(holds.length, 3, `with-${kind} holds its ${kind} 3 times (with, acquire/release, with + raise):\n${t.describeHolds(holds)}`);
        for (const h of holds) {
          assert.ok(th.endNs !== null && h.endNs < th.endNs, `a hold of with-${kind} was still open when the thread ended (${ms(h.endNs)})`);
        }
        // Afterwards MainThread takes each primitive without waiting: none was left held.
        const mainHolds = t.holdsOf(obj, main.uid);
        assert.strictEqual(mainHolds.length, 1, `MainThread acquires the ${kind} once at the end`);
        assert.ok(th.endNs !== null && mainHolds[0].startNs > th.endNs, `MainThread's hold of the ${kind} comes after with-${kind} ended`);
      }
      assert.deepStrictEqual(t.spansWhere({ state: ThreadState.Blocked }), [], 'nobody ever blocks');
      for (const kind of ['Lock', 'RLock', 'Condition', 'Semaphore']) assert.match(t.output, new RegExp(`${kind} is free again: True`));
    });

    it('the semaphore count goes 1 -> 0 -> 1 three times in with-Semaphore, then once more for MainThread, and ends at 1', async () => {
      const t = await trace('full');
      const sem = t.objectAt('Semaphore', file(), lineOf(id, '"Semaphore": threading.Semaphore(1)'));
      const values = t.countersOf(sem.uid).map((c) => c.value);
      assert.deepStrictEqual(values, [1, 0, 1, 0, 1, 0, 1, 0, 1]);
      const th = t.thread('with-Semaphore', t.root);
      const counts = t.countersOf(sem.uid);
      assert.ok(th.endNs !== null && counts[6].tNs <= th.endNs && counts[7].tNs > th.endNs, 'three holds in with-Semaphore, the fourth after it ended');
    });

    it('with-Semaphore holds its semaphore three times (hold spans), each released before the thread ends', async () => {
      const t = await trace('full');
      const sem = t.objectAt('Semaphore', file(), lineOf(id, '"Semaphore": threading.Semaphore(1)'));
      const th = t.thread('with-Semaphore', t.root);
      const holds = t.holdsOf(sem.uid, th.uid);
      assert.strictEqual(holds.length, 3, t.describeHolds(holds));
      for (const h of holds) assert.ok(th.endNs !== null && h.endNs < th.endNs);
    });
  });

  recipe('thread-communication-using-a-queue', ['smart'], (trace) => {
    const id = 'thread-communication-using-a-queue';
    it('the queue delivers FIFO: the n-th get takes the n-th put, and each consumer printed exactly the items its gets took', async () => {
      const t = await trace();
      const n = constantOf(id, 'N_ITEMS');
      const consumers = constantOf(id, 'N_CONSUMERS');
      const q = t.objectAt('Queue', recipeEntry(id).file, lineOf(id, 'q = queue.Queue(maxsize='));
      const producer = t.thread('producer', t.root);
      const puts = t.instantsOf('put', q.uid);
      const gets = t.instantsOf('get', q.uid);
      assert.strictEqual(puts.length, n + consumers, 'the items and one sentinel per consumer are put');
      assert.ok(puts.every((p) => p.thread === producer.uid), 'only the producer puts');
      assert.strictEqual(gets.length, puts.length, 'everything put is got');
      const flows = t.flowsOf('put-get', q.uid);
      assert.strictEqual(flows.length, gets.length, 'one put -> get flow per get');
      flows.forEach((f, i) => {
        assert.strictEqual(f.fromNs, puts[i].tNs, `the get #${i + 1} (by ${t.threadName(f.toThread)}) did not take the put #${i + 1}`);
        assert.ok(f.fromNs <= f.toNs, 'a get after its put');
      });
      // The items are 0..N-1 put in order: the trace's pairing must match what each consumer printed.
      for (let c = 1; c <= consumers; c++) {
        const th = t.thread(`consumer-${c}`, t.root);
        const fromTrace = flows.filter((f) => f.toThread === th.uid).map((f) => puts.findIndex((p) => p.tNs === f.fromNs)).map((i) => (i < n ? String(i) : 'stop'));
        const printed = outputLines(t)
          .map((l) => new RegExp(`^consumer-${c}: (?:got item (\\d+)|(got the stop sentinel))$`).exec(l))
          .filter((m): m is RegExpExecArray => m !== null)
          .map((m) => m[1] ?? 'stop');
        assert.deepStrictEqual(fromTrace, printed, `consumer-${c}: items from the trace's put -> get flows vs printed`);
      }
    });

    it('the bounded queue never holds more than maxsize items, and the producer waits only when it is full', async () => {
      const t = await trace();
      const q = t.objectAt('Queue', recipeEntry(id).file, lineOf(id, 'q = queue.Queue(maxsize='));
      const maxsize = Number(/queue\.Queue\(maxsize=(\d+)\)/.exec(recipeSource(id))![1]);
      const lengths = t.countersOf(q.uid);
      assert.ok(lengths.length > 0, 'queue lengths are recorded');
      assert.ok(Math.max(...lengths.map((l) => l.value)) <= maxsize, `lengths: ${lengths.map((l) => l.value).join(',')}`);
      const producer = t.thread('producer', t.root);
      const fullWaits = t.spansWhere({ thread: producer.uid, state: ThreadState.Waiting, waitKind: WaitKind.QueuePut, obj: q.uid });
      assert.ok(fullWaits.length > 0, 'the producer waits on the full queue while the slow consumers work');
      for (const w of fullWaits) assert.strictEqual(t.counterAt(q.uid, w.startNs), maxsize, `the producer waited at ${ms(w.startNs)} with the queue not full`);
    });
  });

  recipe('evaluating-the-performance-of-multithread-applications', ['smart'], (trace) => {
    it('runs each job in 4 threads and 4 forked processes side by side; the 4 I/O-bound threads all wait at the same time', async () => {
      const t = await trace();
      const io = [1, 2, 3, 4].map((i) => t.thread(`io-thread-${i}`, t.root));
      const ioSleeps = io.map((th) => statesOf(t, th.uid, ThreadState.Sleeping, WaitKind.Sleep)[0]);
      assert.ok(ioSleeps.every((s) => s !== undefined), 'every io-thread sleeps');
      assert.ok(allOverlap(ioSleeps), `the io-thread sleeps do not overlap:\n${t.describeSpans(ioSleeps)}`);
      for (const kind of ['cpu', 'io']) {
        const procs = [1, 2, 3, 4].map((i) => t.process(`${kind}-process-${i}`));
        for (const p of procs) {
          assert.strictEqual(p.parentUid, t.root.uid, `${p.name} is a child of the main process`);
          assert.strictEqual(p.startMethod, 'fork');
          assert.strictEqual(p.exitCode, 0, `${p.name} exit code`);
        }
        const lives = procs.map((p) => lifetime(p, t.rec.nowNs));
        // Processes run side by side (each has its own interpreter and GIL); forking them one
        // after another on a loaded machine staggers their starts, so not all four need overlap.
        assert.ok(maxConcurrent(lives) >= 2, `${kind}-process lifetimes: ${lives.map((l) => `${ms(l.startNs)}..${ms(l.endNs)}`).join(', ')}`);
      }
      const ioProcSleeps = [1, 2, 3, 4].map((i) => t.spansWhere({ thread: t.mainThreadOf(t.process(`io-process-${i}`)).uid, waitKind: WaitKind.Sleep })[0]);
      assert.ok(ioProcSleeps.every((s) => s !== undefined), 'every io-process sleeps');
      assert.ok(maxConcurrent(ioProcSleeps) >= 2, `the io-process sleeps overlap:\n${t.describeSpans(ioProcSleeps)}`);
    });

    // TODO(tracer): no record says which thread holds the GIL (or that a thread is runnable but
    // waiting for it), so the cpu-thread-N lanes are "running" for their whole lives and cannot
    // show that they take turns.
    it.skip('the CPU-bound threads take turns: no two cpu-thread-N are running Python code at the same instant', async () => {
      const t = await trace();
      const running = [1, 2, 3, 4].flatMap((i) => statesOf(t, t.thread(`cpu-thread-${i}`, t.root).uid, ThreadState.Running));
      assert.strictEqual(maxConcurrent(running), 1, 'cpu threads ran at the same time');
    });
  });

  recipe('spawning-a-process', ['smart'], (trace) => {
    it('serial-N processes run one after another while the main process waits on join; concurrent-N run together', async () => {
      const t = await trace();
      const main = t.mainThreadOf(t.root);
      const serial = [0, 1, 2, 3, 4].map((i) => t.process(`serial-${i}`));
      const concurrent = [0, 1, 2, 3, 4].map((i) => t.process(`concurrent-${i}`));
      for (const p of [...serial, ...concurrent]) {
        assert.strictEqual(p.parentUid, t.root.uid, `${p.name} is a child of the main process`);
        assert.strictEqual(p.exitCode, 0, `${p.name} exit code`);
        assert.ok(t.flowsOf('spawn').some((f) => f.fromThread === main.uid && t.processOfThread(f.toThread).uid === p.uid), `a spawn arrow to ${p.name}`);
      }
      for (let i = 1; i < serial.length; i++) {
        const prev = serial[i - 1];
        assert.ok(prev.endNs !== null && serial[i].startNs >= prev.endNs, `serial-${i} started at ${ms(serial[i].startNs)} before serial-${i - 1} ended at ${ms(prev.endNs ?? NaN)}`);
      }
      for (const p of serial) assertJoinedUntilEnd(t, main.uid, p);
      // Started without waiting: each concurrent-N starts while the one before it still runs.
      const lives = concurrent.map((p) => lifetime(p, t.rec.nowNs));
      const text = lives.map((l) => `${ms(l.startNs)}..${ms(l.endNs)}`).join(', ');
      for (let i = 1; i < lives.length; i++) assert.ok(lives[i].startNs < lives[i - 1].endNs, `concurrent-${i} started after concurrent-${i - 1} ended: ${text}`);
      assert.ok(maxConcurrent(lives) >= 3, `the concurrent processes hardly overlap: ${text}`);
    });
  });

  recipe('naming-a-process', ['smart'], (trace) => {
    it('the children are named foo_process (given) and Process-2 (default), and live side by side', async () => {
      const t = await trace();
      const children = t.childrenOf(t.root);
      assert.deepStrictEqual(children.map((c) => c.name).sort(), ['Process-2', 'foo_process']);
      const sleeps = children.map((c) => statesOf(t, t.mainThreadOf(c).uid, ThreadState.Sleeping, WaitKind.Sleep)[0]);
      assert.ok(sleeps.every((s) => s !== undefined && s.endNs - s.startNs >= 0.49e9), `each child sleeps 0.5 s:\n${t.describeSpans(sleeps.filter(Boolean))}`);
      assert.ok(allOverlap(sleeps), 'the two children sleep at the same time');
      for (const c of children) assertJoinedUntilEnd(t, t.mainThreadOf(t.root).uid, c);
    });
  });

  recipe('running-a-process-in-the-background', ['smart'], (trace) => {
    it('the daemon background_process is ended by SIGTERM when the main process exits; No_background_process runs to the end', async () => {
      const t = await trace();
      const bg = t.process('background_process');
      const fg = t.process('No_background_process');
      const main = t.root;
      assert.strictEqual(fg.exitCode, 0, 'the non-daemon child finishes its job');
      assert.strictEqual(bg.signal, 'SIGTERM', `background_process ended with exit code ${bg.exitCode}, signal ${bg.signal}`);
      assert.strictEqual(bg.exitCode, null);
      assert.ok(bg.endNs !== null && fg.endNs !== null && main.endNs !== null, 'all three processes ended');
      assert.ok(bg.endNs >= fg.endNs, 'the daemon outlives the non-daemon child (the main process waited for that one first)');
      assert.ok(bg.endNs <= main.endNs, 'the daemon ends no later than the main process');
      const bgSleep = statesOf(t, t.mainThreadOf(bg).uid, ThreadState.Sleeping, WaitKind.Sleep)[0];
      assert.ok(bgSleep, 'background_process sleeps (its job)');
      assert.ok(bgSleep.endNs - bgSleep.startNs < 3e9, `its 3 s job was cut short after ${ms(bgSleep.endNs - bgSleep.startNs)}`);
      assert.ok(!/Exiting background_process/.test(t.output), 'background_process never finished its job');
      assertJoinedUntilEnd(t, t.mainThreadOf(main).uid, fg);
    });
  });

  recipe('killing-a-process', ['smart'], (trace) => {
    const id = 'killing-a-process';
    it('terminate() ends long_job by SIGTERM a moment after it started, long before its 10 s sleep, and join() waits for it', async () => {
      const t = await trace();
      const child = t.process('long_job');
      const main = t.mainThreadOf(t.root);
      assert.strictEqual(child.parentUid, t.root.uid);
      assert.strictEqual(child.signal, 'SIGTERM', `long_job ended with exit code ${child.exitCode}, signal ${child.signal}`);
      assert.strictEqual(child.exitCode, null);
      const sleep = statesOf(t, t.mainThreadOf(child).uid, ThreadState.Sleeping, WaitKind.Sleep)[0];
      assert.ok(sleep, 'long_job sleeps');
      assert.ok(sleep.endNs - sleep.startNs < 10e9, `the 10 s sleep was cut short after ${ms(sleep.endNs - sleep.startNs)}`);
      assert.ok(sleep.endNs - sleep.startNs >= 0.29e9, `the child works a moment (0.3 s) before it is terminated, not ${ms(sleep.endNs - sleep.startNs)}`);
      // terminate() does not wait: the child may be gone before join() starts, but join() is
      // what waits until it is, so a join ends no earlier than the child.
      const end = child.endNs;
      const joins = statesOf(t, main.uid, ThreadState.Waiting, WaitKind.Join);
      assert.ok(
        end !== null && joins.some((j) => j.startNs > sleep.startNs && j.endNs >= end),
        `no join of MainThread ends after long_job ended at ${ms(end ?? NaN)}:\n${t.describeSpans(joins)}`,
      );
      assert.match(t.output, /exit code: -15 \(killed by SIGTERM\)/);
    });

    it('long_job\'s set() of the multiprocessing.Event wakes the main process waiting for it (a set -> wake flow across processes)', async () => {
      const t = await trace();
      const ev = t.objectAt('Event', recipeEntry(id).file, lineOf(id, 'started = multiprocessing.Event()'));
      const childMain = t.mainThreadOf(t.process('long_job'));
      const main = t.mainThreadOf(t.root);
      const sets = t.instantsOf('set', ev.uid);
      assert.deepStrictEqual(sets.map((i) => t.threadName(i.thread)), [t.threadName(childMain.uid)], 'the child sets the event once');
      const waits = t.spansWhere({ thread: main.uid, waitKind: WaitKind.Event, obj: ev.uid });
      assert.strictEqual(waits.length, 1, 'the main process waits on the event');
      // set() is stamped when called, before it takes effect: the child may call it just before the
      // main process begins to wait, and still wake it (the set ends after the wait began).
      assert.ok(sets[0].tNs <= waits[0].endNs, 'the set is called before the wait ends');
      const setWake = t.flowsOf('set-wake', ev.uid);
      assert.deepStrictEqual(
        setWake.map((f) => `${t.threadName(f.fromThread)} -> ${t.threadName(f.toThread)} at ${ms(f.toNs)}`),
        [`${t.threadName(childMain.uid)} -> ${t.threadName(main.uid)} at ${ms(waits[0].endNs)}`],
        'one set -> wake flow from the child to the waiting main process',
      );
    });
  });

  recipe('using-a-process-in-a-subclass', ['smart'], (trace) => {
    it('worker-1..3 are three processes with their own pids that start together and end in order of their job length', async () => {
      const t = await trace();
      const workers = [1, 2, 3].map((i) => t.process(`worker-${i}`));
      assert.strictEqual(new Set(workers.map((w) => w.pid)).size, 3, 'three pids');
      workers.forEach((w, i) => {
        assert.strictEqual(w.parentUid, t.root.uid);
        assert.strictEqual(w.exitCode, 0);
        const sleep = statesOf(t, t.mainThreadOf(w).uid, ThreadState.Sleeping, WaitKind.Sleep)[0];
        assert.ok(sleep && sleep.endNs - sleep.startNs >= (i + 1) * 0.1e9 - 1e6, `${w.name} sleeps ${(i + 1) * 0.1} s`);
      });
      const lives = workers.map((w) => lifetime(w, t.rec.nowNs));
      assert.ok(allOverlap(lives), 'the workers run at the same time');
      assert.ok(lives[0].endNs < lives[1].endNs && lives[1].endNs < lives[2].endNs, `end order: ${lives.map((l) => ms(l.endNs)).join(', ')}`);
      assertJoinedUntilEnd(t, t.mainThreadOf(t.root).uid, workers[2]);
    });
  });

  recipe('exchanging-objects-between-processes', ['smart'], (trace) => {
    const id = 'exchanging-objects-between-processes';
    it('the object put by queue-writer is got by the main process: a put -> get flow across processes ends its wait', async () => {
      const t = await trace();
      const q = t.objectAt('Queue', recipeEntry(id).file, lineOf(id, 'q = multiprocessing.Queue()'));
      const writer = t.mainThreadOf(t.process('queue-writer'));
      const main = t.mainThreadOf(t.root);
      const flows = t.flowsOf('put-get', q.uid);
      assert.deepStrictEqual(flows.map((f) => `${t.threadName(f.fromThread)} -> ${t.threadName(f.toThread)}`), [`${t.threadName(writer.uid)} -> ${t.threadName(main.uid)}`]);
      const wait = t.spansWhere({ thread: main.uid, waitKind: WaitKind.QueueGet, obj: q.uid });
      assert.strictEqual(wait.length, 1, 'the main process waits in get() for the object');
      assert.ok(contains(wait[0], flows[0].fromNs), `the put (${ms(flows[0].fromNs)}) happens during the wait ${ms(wait[0].startNs)}..${ms(wait[0].endNs)}`);
      assert.ok(endsWait(wait[0], flows[0].toNs), `the get (${ms(flows[0].toNs)}) comes as the wait ends (${ms(wait[0].endNs)})`);
    });

    it('pipe messages go from one process to the other, both ways, and each side waits in recv() while the other works', async () => {
      const t = await trace();
      const server = t.process('pipe-server');
      const pipeEnds = t.objectsOfKind('Pipe').map((o) => o.uid);
      assert.strictEqual(pipeEnds.length, 2, `one object per end of the duplex pipe: ${t.describeObjects()}`);
      const flows = pipeEnds.flatMap((e) => t.flowsOf('put-get', e));
      const route = (f: { fromThread: number; toThread: number }) => `${t.processOfThread(f.fromThread).name} -> ${t.processOfThread(f.toThread).name}`;
      const toServer = flows.filter((f) => route(f) === `MainProcess -> ${server.name}`);
      const toMain = flows.filter((f) => route(f) === `${server.name} -> MainProcess`);
      assert.deepStrictEqual(
        flows.map(route).filter((r) => r !== `MainProcess -> ${server.name}` && r !== `${server.name} -> MainProcess`),
        [],
        'every pipe message crosses between the two processes',
      );
      assert.strictEqual(toServer.length, 4, 'three lists and the None sentinel go to the server');
      assert.strictEqual(toMain.length, 3, 'three sums come back');
      const mainRecvs = t.spansWhere({ thread: t.mainThreadOf(t.root).uid, waitKind: WaitKind.PipeRecv });
      assert.ok(mainRecvs.length > 0, 'the main process waits in recv()');
      for (const w of mainRecvs) {
        // The send is stamped before its bytes are written (so send -> recv never goes back in time):
        // a recv that polls in between waits for a message whose send began just before the wait.
        assert.ok(
          toMain.some((f) => endsWait(w, f.toNs) && f.fromNs <= w.endNs),
          `the main process's recv wait ${ms(w.startNs)}..${ms(w.endNs)} is not ended by a message the server sent before it ended`,
        );
      }
    });
  });

  recipe('synchronizing-processes', ['smart'], (trace) => {
    const id = 'synchronizing-processes';
    it('with_barrier-1 waits at the barrier until with_barrier-2 arrives, then both leave together; the others never wait there', async () => {
      const t = await trace();
      const barrier = t.objectAt('Barrier', recipeEntry(id).file, lineOf(id, 'synchronizer = multiprocessing.Barrier('));
      const waitOf = (name: string) => t.spansWhere({ thread: t.mainThreadOf(t.process(name)).uid, waitKind: WaitKind.Barrier, obj: barrier.uid });
      const w1 = waitOf('with_barrier-1');
      const w2 = waitOf('with_barrier-2');
      assert.strictEqual(w1.length, 1, 'with_barrier-1 waits once at the barrier');
      const all2 = () => t.describeSpans(t.spansWhere({ thread: t.mainThreadOf(t.process('with_barrier-2')).uid }));
      assert.strictEqual(w2.length, 1, `with_barrier-2 calls wait() once (and is the last party); its spans:\n${all2()}`);
      assert.ok(w2[0].startNs - w1[0].startNs >= 0.3e9, `with_barrier-1 arrives first (${ms(w1[0].startNs)}), with_barrier-2 0.4 s later (${ms(w2[0].startNs)})`);
      assert.ok(w1[0].endNs >= w2[0].startNs, 'with_barrier-1 does not leave before with_barrier-2 arrives');
      assert.ok(Math.abs(w1[0].endNs - w2[0].endNs) < 100e6, `both leave at the same moment: ${ms(w1[0].endNs)} and ${ms(w2[0].endNs)}`);
      for (const name of ['without_barrier-1', 'without_barrier-2']) assert.deepStrictEqual(waitOf(name), [], `${name} never waits at the barrier`);
    });

    it('all four processes take the shared multiprocessing.Lock, two times each, one at a time', async () => {
      const t = await trace();
      const lock = t.objectAt('Lock', recipeEntry(id).file, lineOf(id, 'serializer = multiprocessing.Lock()'));
      const holds = t.holdsOf(lock.uid);
      assertNoOverlap(holds, 'holds of the shared lock', holdText(t));
      const byProcess = new Map<string, number>();
      for (const h of holds) {
        const name = t.processOfThread(h.thread).name;
        byProcess.set(name, (byProcess.get(name) ?? 0) + 1);
      }
      assert.deepStrictEqual(
        [...byProcess.entries()].sort(),
        [['with_barrier-1', 2], ['with_barrier-2', 2], ['without_barrier-1', 2], ['without_barrier-2', 2]],
        `holds per process (two reports each):\n${t.describeHolds(holds)}`,
      );
    });
  });

  recipe('managing-a-state-between-processes', ['smart'], (trace) => {
    it('the workers increment the shared Value under its lock, 100 times each, one process at a time', async () => {
      const t = await trace();
      const valueLock = t.object('RLock', /Value lock/);
      const holds = t.holdsOf(valueLock.uid);
      assertNoOverlap(holds, 'holds of the Value\'s lock', holdText(t));
      const byProcess = new Map<string, number>();
      for (const h of holds) {
        const name = t.processOfThread(h.thread).name;
        byProcess.set(name, (byProcess.get(name) ?? 0) + 1);
      }
      assert.deepStrictEqual([...byProcess.entries()].sort(), [['worker-1', 100], ['worker-2', 100], ['worker-3', 100]], 'holds per worker');
      assert.match(t.output, /shared counter: 300 /);
    });

    it('the Manager runs its own server process, alive while the workers use the shared dict', async () => {
      const t = await trace();
      const workers = [1, 2, 3].map((i) => t.process(`worker-${i}`));
      const servers = t.childrenOf(t.root).filter((p) => !workers.includes(p));
      assert.deepStrictEqual(servers.map((s) => s.name), ['SyncManager-1'], 'one more child: the manager\'s server');
      const server = lifetime(servers[0], t.rec.nowNs);
      for (const w of workers) assert.ok(within(lifetime(w, t.rec.nowNs), server), `${w.name} lives within the manager's lifetime`);
      assert.strictEqual(servers[0].exitCode, 0, 'the manager shuts down cleanly when the with block ends');
    });
  });

  recipe('using-a-process-pool', ['smart'], (trace) => {
    const id = 'using-a-process-pool';
    it('runs on 4 worker processes, started once and alive for both map() calls, every chunk run once on them', async () => {
      const t = await trace();
      const workers = t.childrenOf(t.root);
      assert.strictEqual(workers.length, 4, `4 worker processes: ${t.describeProcesses()}`);
      for (const w of workers) {
        assert.strictEqual(w.startMethod, 'fork');
        assert.match(w.name, /^ForkPoolWorker-\d+$/);
      }
      const submits = t.instantsOf('submit').filter((s) => t.processOfThread(s.thread).uid === t.root.uid);
      assert.strictEqual(submits.length, 2, 'two map() calls');
      const tasks = taskRuns(t);
      assert.ok(tasks.every((r) => !Number.isNaN(r.endNs)), 'every task that started ended');
      // Pool.map's chunks: chunksize = ceil(len / (4 * processes)) = 7, so 15 chunks per map.
      const chunks = Math.ceil(100 / Math.ceil(100 / (4 * 4)));
      for (const s of submits) assert.strictEqual(tasks.filter((r) => r.taskId === s.detail).length, chunks, `chunks run for map job ${s.detail}`);
      const ran = new Set(tasks.map((r) => t.processOfThread(r.thread).uid));
      assert.deepStrictEqual([...ran].sort(), workers.map((w) => w.uid).sort(), 'every worker process ran tasks, and only they did');
      // Started once: no worker ends before the last task of the second map (a worker may say
      // hello after the first submit: the pool queues work while its processes start).
      const lastEnd = Math.max(...tasks.map((r) => r.endNs));
      for (const w of workers) {
        const firstTask = Math.min(...tasks.filter((r) => t.processOfThread(r.thread).uid === w.uid).map((r) => r.startNs));
        assert.ok(w.startNs < firstTask && (w.endNs ?? Infinity) > lastEnd, `${w.name} lives through both maps`);
      }
      assert.ok(maxConcurrent(tasks.filter((r) => r.endNs > r.startNs)) >= 2, 'tasks run on several workers at once');
      assert.match(t.output, /ForkPoolWorker-\d+ squared \d+ of the inputs/);
      void id;
    });

    it('attributes the tasks to the Pool the recipe created (in the main process, at its line)', async () => {
      const t = await trace();
      const pool = t.object('Pool');
      assert.strictEqual(pool.processUid, t.root.uid, `the Pool belongs to ${t.rec.processes.get(pool.processUid)?.name}, not the main process`);
      assert.strictEqual(pool.line, lineOf(id, 'pool = multiprocessing.Pool('), `the Pool's creation line (label "${pool.label}")`);
      assert.ok(t.instantsOf('task-start').every((i) => i.obj === pool.uid), 'every task is the pool\'s');
    });
  });

  recipe('using-a-thread-pool', ['smart'], (trace) => {
    const id = 'using-a-thread-pool';
    it('six tasks run on the three pool threads, at most three at a time, and complete out of submission order', async () => {
      const t = await trace();
      const pool = t.objectAt('ThreadPoolExecutor', recipeEntry(id).file, lineOf(id, 'concurrent.futures.ThreadPoolExecutor('));
      const main = t.mainThreadOf(t.root);
      const submits = t.instantsOf('submit', pool.uid);
      assert.strictEqual(submits.length, 6, 'six submits');
      assert.ok(submits.every((s) => s.thread === main.uid), 'submitted by MainThread');
      const tasks = taskRuns(t, pool.uid);
      assert.deepStrictEqual(tasks.map((r) => r.taskId).sort(), submits.map((s) => s.detail ?? '').sort(), 'each submitted task runs once');
      assert.ok(tasks.every((r) => !Number.isNaN(r.endNs)), 'every task ends');
      const poolThreads = ['pool_0', 'pool_1', 'pool_2'].map((n) => t.thread(n, t.root).uid);
      assert.ok(tasks.every((r) => poolThreads.includes(r.thread)), 'tasks run on the pool threads');
      assert.strictEqual(maxConcurrent(tasks), 3, 'three tasks at once, never more');
      for (const th of poolThreads) {
        assert.deepStrictEqual(selfOverlaps(tasks.filter((r) => r.thread === th)).length, 0, `${t.threadName(th)} runs one task at a time`);
      }
      // page-a (0.4 s) is submitted first, page-b (0.1 s) second: b completes before a.
      const end = (taskId: string | undefined) => tasks.find((r) => r.taskId === taskId)!.endNs;
      assert.ok(end(submits[1].detail) < end(submits[0].detail), 'the second (short) task completes before the first (long) one');
    });

    it('MainThread waits in as_completed and wakes each time a task completes', async () => {
      const t = await trace();
      const pool = t.objectAt('ThreadPoolExecutor', recipeEntry(id).file, lineOf(id, 'concurrent.futures.ThreadPoolExecutor('));
      const waits = t.spansWhere({ thread: t.mainThreadOf(t.root).uid, waitKind: WaitKind.Result, obj: pool.uid });
      assert.ok(waits.length > 0, 'MainThread waits for results');
      // A wake needs a task that completed since the last one: the n-th wait ends after at least
      // n completions. (A task's end can come before the wait begins: the worker records it before
      // the future's result is set, and a process pool's result travels through a queue first.)
      const ends = taskRuns(t, pool.uid).map((r) => r.endNs);
      assert.ok(waits.length <= ends.length, `${waits.length} waits for ${ends.length} tasks: at most one wake per completion`);
      [...waits].sort((a, b) => a.startNs - b.startNs).forEach((w, i) => {
        const done = ends.filter((e) => e <= w.endNs).length;
        assert.ok(done >= i + 1, `the result wait #${i + 1} (${ms(w.startNs)}..${ms(w.endNs)}) ended with only ${done} tasks completed`);
      });
    });
  });

  // ---------------------------------------------------------------------------------- Beyond the seed
  recipe(
    'lock-order-deadlock',
    ['smart'],
    (trace) => {
      const id = 'lock-order-deadlock';
      it('is flagged as a deadlock naming both threads and both locks, and the run is stopped', async () => {
        const t = await trace();
        const s = t.summary;
        assert.strictEqual(s.stopped, true, 'the run was stopped on the deadlock');
        assert.notStrictEqual(s.exitCode, 0, 'the program did not end by itself');
        assert.ok(t.notices.some((n) => /deadlock detected/.test(n)), `stopped because of the deadlock: ${t.notices.join('; ')}`);
        assert.ok(s.durationMs < RUN_TIMEOUT_S * 1000 / 2, `stopped by the detection, not the timeout (${s.durationMs} ms)`);
        assert.strictEqual(s.deadlocks.length, 1, JSON.stringify(s.deadlocks));
        const pid = t.root.pid;
        const file = recipeEntry(id).file;
        const lockA = `Lock ${file}:${lineOf(id, 'lock_a = threading.Lock()')}`;
        const lockB = `Lock ${file}:${lineOf(id, 'lock_b = threading.Lock()')}`;
        const d = s.deadlocks[0];
        assert.deepStrictEqual([...d.threads].sort(), [`locks-A-then-B (pid ${pid})`, `locks-B-then-A (pid ${pid})`]);
        assert.deepStrictEqual([...d.objects].sort(), [lockA, lockB].sort());
        // Cycle order: threads[i] waits for objects[i], which threads[i + 1] holds.
        const waitsFor = new Map(d.threads.map((th, i) => [th.replace(/ \(pid \d+\)$/, ''), d.objects[i]]));
        assert.strictEqual(waitsFor.get('locks-A-then-B'), lockB, 'locks-A-then-B waits for lock_b');
        assert.strictEqual(waitsFor.get('locks-B-then-A'), lockA, 'locks-B-then-A waits for lock_a');
        assertCleanRun(t, recipeEntry(id));
      });

      it('the trace shows the cycle: each thread holds its first lock and is blocked on the other\'s until the stop', async () => {
        const t = await trace();
        const file = recipeEntry(id).file;
        const lockA = t.objectAt('Lock', file, lineOf(id, 'lock_a = threading.Lock()'));
        const lockB = t.objectAt('Lock', file, lineOf(id, 'lock_b = threading.Lock()'));
        const ab = t.thread('locks-A-then-B', t.root);
        const ba = t.thread('locks-B-then-A', t.root);
        assert.strictEqual(t.rec.deadlocks.length, 1, 'one deadlock in the deltas');
        const d = t.rec.deadlocks[0];
        assert.deepStrictEqual([...d.threads].sort(), [ab.uid, ba.uid].sort());
        // Smart mode records a hold once someone waits for it: the other thread holds the lock
        // each thread is blocked on, for the whole of its wait, until the run is stopped.
        for (const [th, wanted, other] of [
          [ab, lockB, ba],
          [ba, lockA, ab],
        ] as const) {
          const blocked = t.spansWhere({ thread: th.uid, state: ThreadState.Blocked, obj: wanted.uid });
          assert.strictEqual(blocked.length, 1, `${th.name} is blocked on ${wanted.label}`);
          assert.ok(blocked[0].startNs <= d.detectedNs, 'blocked before the detection');
          assert.ok(th.endNs !== null && blocked[0].endNs >= th.endNs, `${th.name} is still blocked when the run is stopped`);
          const holds = t.holdsOf(wanted.uid);
          assert.deepStrictEqual(holds.map((h) => t.threadName(h.thread)), [t.threadName(other.uid)], `${wanted.label} is held by ${other.name} only`);
          assert.ok(within(blocked[0], holds[0]), `${other.name} holds ${wanted.label} for the whole wait of ${th.name}:\n${t.describeHolds(holds)}\n${t.describeSpans(blocked)}`);
        }
      });
    },
    true,
  );

  recipe('race-condition-fixed-with-a-lock', ['full'], (trace) => {
    const id = 'race-condition-fixed-with-a-lock';
    it('without the lock the read-write windows of unsafe-1 and unsafe-2 interleave and updates are lost', async () => {
      const t = await trace('full');
      const n = constantOf(id, 'N');
      const [w1, w2] = ['unsafe-1', 'unsafe-2'].map((name) => statesOf(t, t.thread(name, t.root).uid, ThreadState.Sleeping, WaitKind.Sleep));
      assert.strictEqual(w1.length, n, 'one read-write window (the sleep) per increment');
      assert.strictEqual(w2.length, n);
      const interleaved = overlappingPairs(w1, w2);
      assert.ok(interleaved.length > 0, 'the two threads were never inside their read-write windows at the same time');
      for (const name of ['unsafe-1', 'unsafe-2']) assert.deepStrictEqual(t.spansWhere({ thread: t.thread(name, t.root).uid, state: ThreadState.Blocked }), [], `${name} never blocks`);
      const m = /without a lock: (\d+) \(expected (\d+)/.exec(t.output);
      assert.ok(m, t.output);
      assert.strictEqual(Number(m[2]), 2 * n);
      assert.ok(Number(m[1]) < 2 * n, `the unlocked total is ${m[1]}: no update was lost`);
    });

    it('with the lock every read-write window is inside a hold of the lock, the holds never overlap, and the total is exact', async () => {
      const t = await trace('full');
      assertComplete(t);
      const n = constantOf(id, 'N');
      const lock = t.objectAt('Lock', recipeEntry(id).file, lineOf(id, 'counter_lock = threading.Lock()'));
      const holds = t.holdsOf(lock.uid);
      assert.strictEqual(holds.length, 2 * n, 'one hold per increment');
      assertNoOverlap(holds, 'holds of the lock', holdText(t));
      const windows: Span[] = [];
      for (const name of ['safe-1', 'safe-2']) {
        const th = t.thread(name, t.root);
        const own = t.holdsOf(lock.uid, th.uid);
        assert.strictEqual(own.length, n, `holds by ${name}`);
        for (const w of statesOf(t, th.uid, ThreadState.Sleeping, WaitKind.Sleep)) {
          assert.ok(own.some((h) => within(w, h)), `${name}'s window ${ms(w.startNs)}..${ms(w.endNs)} is outside its holds of the lock`);
          windows.push(w);
        }
      }
      assert.strictEqual(windows.length, 2 * n);
      assertNoOverlap(windows, 'read-write windows of safe-1 and safe-2', spanText(t));
      assert.ok(t.spansWhere({ state: ThreadState.Blocked, obj: lock.uid }).length > 0, 'the safe threads wait for each other on the lock');
      const m = /with a lock: +(\d+) \(expected (\d+)/.exec(t.output);
      assert.ok(m, t.output);
      assert.strictEqual(Number(m[1]), Number(m[2]), 'the locked total is exact');
    });
  });

  recipe('barrier', ['smart'], (trace) => {
    const id = 'barrier';
    it('in each round nobody passes the barrier before the slowest runner arrives, then all three leave together', async () => {
      const t = await trace();
      const barrier = t.objectAt('Barrier', recipeEntry(id).file, lineOf(id, 'barrier = threading.Barrier('));
      const runners = ['runner-1', 'runner-2', 'runner-3'].map((n) => t.thread(n, t.root));
      const waits = runners.map((r) => t.spansWhere({ thread: r.uid, waitKind: WaitKind.Barrier, obj: barrier.uid }));
      const rounds = constantOf(id, 'ROUNDS');
      waits.forEach((w, i) => assert.strictEqual(w.length, rounds, `${runners[i].name} waits at the same barrier once per round`));
      for (let r = 0; r < rounds; r++) {
        const round = waits.map((w) => w[r]);
        const lastArrival = Math.max(...round.map((w) => w.startNs));
        assert.strictEqual(round[2].startNs, lastArrival, `round ${r + 1}: runner-3 (the slowest) arrives last`);
        for (const w of round) assert.ok(w.endNs >= lastArrival, `round ${r + 1}: ${t.threadName(w.thread)} left at ${ms(w.endNs)}, before the last arrival at ${ms(lastArrival)}`);
        const ends = round.map((w) => w.endNs);
        assert.ok(Math.max(...ends) - Math.min(...ends) < 100e6, `round ${r + 1}: the runners leave together (${ends.map(ms).join(', ')})`);
        if (r > 0) assert.ok(round.every((w, i) => w.startNs >= waits[i][r - 1].endNs), 'round two starts after round one');
      }
    });
  });

  recipe('process-pool-executor-with-as-completed', ['smart'], (trace) => {
    const id = 'process-pool-executor-with-as-completed';
    it('three worker processes compute at the same time; a small task submitted later completes before the big first one, which completes last', async () => {
      const t = await trace();
      const pool = t.objectAt('ProcessPoolExecutor', recipeEntry(id).file, lineOf(id, 'concurrent.futures.ProcessPoolExecutor('));
      const workers = t.childrenOf(t.root);
      assert.strictEqual(workers.length, 3, `three worker processes: ${t.describeProcesses()}`);
      const submits = t.instantsOf('submit', pool.uid);
      assert.strictEqual(submits.length, 6, 'six tasks submitted');
      const tasks = taskRuns(t, pool.uid);
      assert.deepStrictEqual(tasks.map((r) => r.taskId).sort(), submits.map((s) => s.detail ?? '').sort(), 'each task runs once');
      assert.ok(tasks.every((r) => !Number.isNaN(r.endNs)), 'every task ends');
      const ranOn = tasks.map((r) => t.processOfThread(r.thread));
      assert.ok(ranOn.every((p) => workers.some((w) => w.uid === p.uid)), 'the tasks run in the worker processes');
      assert.strictEqual(new Set(ranOn.map((p) => p.uid)).size, 3, 'on all three workers');
      assert.strictEqual(maxConcurrent(tasks), 3, 'three tasks compute at the same time');
      const end = (taskId: string | undefined) => tasks.find((r) => r.taskId === taskId)!.endNs;
      // limits[0] = 200000 is submitted first, limits[1] = 10000 second. The big one is ~3 times
      // the work of the other five together, which the two other workers share.
      assert.ok(end(submits[1].detail) < end(submits[0].detail), 'the small second task completes before the big first one');
      const last = Math.max(...tasks.map((r) => r.endNs));
      assert.strictEqual(end(submits[0].detail), last, 'the big first task completes last');
      assert.match(t.output, /completed in order: \[/);
    });

    it('MainThread waits in as_completed and wakes each time a task completes', async () => {
      const t = await trace();
      const pool = t.objectAt('ProcessPoolExecutor', recipeEntry(id).file, lineOf(id, 'concurrent.futures.ProcessPoolExecutor('));
      const waits = t.spansWhere({ thread: t.mainThreadOf(t.root).uid, waitKind: WaitKind.Result, obj: pool.uid });
      assert.ok(waits.length > 0, 'MainThread waits for results');
      // A wake needs a task that completed since the last one: the n-th wait ends after at least
      // n completions. (A task's end can come before the wait begins: the worker records it before
      // the future's result is set, and a process pool's result travels through a queue first.)
      const ends = taskRuns(t, pool.uid).map((r) => r.endNs);
      assert.ok(waits.length <= ends.length, `${waits.length} waits for ${ends.length} tasks: at most one wake per completion`);
      [...waits].sort((a, b) => a.startNs - b.startNs).forEach((w, i) => {
        const done = ends.filter((e) => e <= w.endNs).length;
        assert.ok(done >= i + 1, `the result wait #${i + 1} (${ms(w.startNs)}..${ms(w.endNs)}) ended with only ${done} tasks completed`);
      });
    });
  });

  recipe('producer-consumer-across-processes', ['smart'], (trace) => {
    const id = 'producer-consumer-across-processes';
    it('each item put by the producer is got by a consumer, and each result put by a consumer is got by the main process', async () => {
      const t = await trace();
      const n = constantOf(id, 'N_ITEMS');
      const consumers = constantOf(id, 'N_CONSUMERS');
      const file = recipeEntry(id).file;
      const work = t.objectAt('Queue', file, lineOf(id, 'work = multiprocessing.Queue('));
      const results = t.objectAt('Queue', file, lineOf(id, 'results = multiprocessing.Queue('));
      const producer = t.process('producer');
      const consumerNames = Array.from({ length: consumers }, (_, i) => `consumer-${i + 1}`);
      const proc = (thread: number) => t.processOfThread(thread).name;
      const check = (q: number, what: string, puts: number, from: string[], to: string[]) => {
        const putI = t.instantsOf('put', q);
        const getI = t.instantsOf('get', q);
        assert.strictEqual(putI.length, puts, `${what}: puts`);
        assert.strictEqual(getI.length, puts, `${what}: gets`);
        assert.ok(putI.every((i) => from.includes(proc(i.thread))), `${what}: put by ${from.join('/')}`);
        assert.ok(getI.every((i) => to.includes(proc(i.thread))), `${what}: got by ${to.join('/')}`);
        const flows = t.flowsOf('put-get', q);
        assert.strictEqual(flows.length, getI.length, `${what}: one put -> get flow per get (${flows.length} flows for ${getI.length} gets)`);
        for (const f of flows) {
          assert.ok(from.includes(proc(f.fromThread)) && to.includes(proc(f.toThread)), `${what}: flow ${proc(f.fromThread)} -> ${proc(f.toThread)}`);
          assert.ok(f.fromNs <= f.toNs, `${what}: a flow goes back in time (${ms(f.fromNs)} -> ${ms(f.toNs)})`);
        }
      };
      check(work.uid, 'work queue', n + consumers, [producer.name], consumerNames);
      check(results.uid, 'results queue', n, consumerNames, ['MainProcess']);
    });

    it('the producer process waits on the full work queue while the consumers work', async () => {
      const t = await trace();
      const work = t.objectAt('Queue', recipeEntry(id).file, lineOf(id, 'work = multiprocessing.Queue('));
      const producer = t.mainThreadOf(t.process('producer'));
      const fullWaits = t.spansWhere({ thread: producer.uid, waitKind: WaitKind.QueuePut, obj: work.uid });
      assert.ok(fullWaits.length > 0, 'the producer waits in put() at least once');
      const consumerGets = t.instantsOf('get', work.uid).filter((g) => t.processOfThread(g.thread).name.startsWith('consumer-'));
      for (const w of fullWaits) {
        // get() frees the slot before it unpickles the item and returns, so its record may
        // follow the producer's wake by a little.
        assert.ok(consumerGets.some((g) => contains(w, g.tNs, 20e6)), `the producer's wait ${ms(w.startNs)}..${ms(w.endNs)} ends without a consumer making room`);
      }
    });
  });
});
