/**
 * The cookbook's recipes: the catalog is complete and right, and every recipe runs correctly.
 *
 * - catalog: fields, ids, files, the seed's 22 sections in its order, 27 recipes in all;
 * - every recipe but the deadlock demo runs with stdin closed on every installed Python 3.8-3.13
 *   (the multiprocessing ones also with the spawn start method on the newest), under a hard
 *   timeout, at most 2 at a time: exit code 0, no traceback, the recipe's point visible in its
 *   output, its catalog `expect` matching what ran, and no process left behind;
 * - "Executing a process from a script" under a pseudo-terminal reads a typed line;
 * - the deadlock demo really deadlocks: still alive once both threads wait for their second lock.
 *
 * What ran is recorded by a probe: a sitecustomize.py put on PYTHONPATH that appends, to a log
 * file, one line per Python process (started, or forked) and one per thread started.
 */
import * as assert from 'assert';
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { InstalledPython, installedPythons, reportMissing } from '../pythonVersions';
import { RecipeEntry, readCatalog, recipesDir, repoRoot, SEED_SECTIONS, seedHeadings, validateCatalog } from './recipeCatalog';
import { Limiter } from '../support/limiter';

const RUN_TIMEOUT_MS = 30_000; // hard limit per run: a recipe should need < 5 s
const PARALLEL_RUNS = 2; // the machine has 2 cores
const GROUP_GONE_TIMEOUT_MS = 3_000;

const PROBE_SITECUSTOMIZE = `
import os
_log = os.environ.get("PCB_PROBE_LOG")
if _log:
    def _write(line):
        fd = os.open(_log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, (line + "\\n").encode("utf-8", "replace"))
        finally:
            os.close(fd)
    _write("process %d" % os.getpid())
    os.register_at_fork(after_in_child=lambda: _write("process %d" % os.getpid()))
    import threading
    _start = threading.Thread.start
    def _probe_start(self):
        _write("thread %d %s" % (os.getpid(), self.name))
        return _start(self)
    threading.Thread.start = _probe_start
    _method = os.environ.get("PCB_START_METHOD")
    if _method:
        import multiprocessing
        multiprocessing.set_start_method(_method, force=True)
`;

/** Runs argv[1:] on a pseudo-terminal, relaying our stdin to it and its output to our stdout. */
const PTY_DRIVER = `
import os, pty, select, sys
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
stdin_open = True
while True:
    ready, _, _ = select.select([fd] + ([0] if stdin_open else []), [], [])
    if fd in ready:
        try:
            data = os.read(fd, 4096)
        except OSError:  # EIO: the terminal's other side is closed, the child is done
            data = b""
        if not data:
            break
        os.write(1, data)
    if 0 in ready:
        data = os.read(0, 4096)
        if data:
            os.write(fd, data)
        else:
            stdin_open = False
_, status = os.waitpid(pid, 0)
sys.exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))
`;

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  timedOut: boolean;
  /** Processes of the run still alive GROUP_GONE_TIMEOUT_MS after it ended (then killed). */
  leftovers: boolean;
  probe: { processes: number; mainThreads: string[] };
}

let catalogJson: unknown = null;
let catalogError: string | null = null;
try {
  catalogJson = readCatalog();
} catch (err) {
  catalogError = (err as Error).message; // reported by the first catalog test
}
const catalog: RecipeEntry[] = Array.isArray(catalogJson) ? (catalogJson as RecipeEntry[]) : [];
const recipePath = (r: RecipeEntry): string => path.join(recipesDir(), r.file);
const usesMultiprocessing = (r: RecipeEntry): boolean =>
  fs.existsSync(recipePath(r)) && /\bmultiprocessing\b|ProcessPoolExecutor/.test(fs.readFileSync(recipePath(r), 'utf8'));

/** Every installed Python 3.8-3.13 (a missing one is reported by reportMissing, not faked). */
function pythonsUnderTest(): InstalledPython[] {
  const all = installedPythons();
  if (all.length === 0) return [{ minor: 'python3', version: '?', executable: 'python3' }];
  return all;
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Resolves true once no process of the group is left, false after `timeoutMs`. */
function waitGroupGone(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve) => {
    const check = (): void => {
      if (!groupAlive(pgid)) resolve(true);
      else if (Date.now() > deadline) resolve(false);
      else setTimeout(check, 20);
    };
    check();
  });
}

let probeDir = '';
/**
 * The run's environment: the probe on PYTHONPATH, and output unbuffered (as a live terminal
 * wants it, and the harder case for lines printed at the same moment) except in spawn runs,
 * which check the buffered case.
 */
function probeEnv(logFile: string, startMethod?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PCB_PROBE_LOG: logFile, PYTHONDONTWRITEBYTECODE: '1' };
  env.PYTHONPATH = [probeDir, process.env.PYTHONPATH].filter(Boolean).join(path.delimiter);
  delete env.PCB_START_METHOD;
  delete env.PYTHONUNBUFFERED;
  if (startMethod) env.PCB_START_METHOD = startMethod;
  else env.PYTHONUNBUFFERED = '1';
  return env;
}

function readProbe(logFile: string, rootPid: number): RunResult['probe'] {
  const lines = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n') : [];
  let processes = 0;
  const mainThreads: string[] = [];
  for (const line of lines) {
    const m = /^(process|thread) (\d+)(?: (.*))?$/.exec(line);
    if (!m) continue;
    if (m[1] === 'process') processes++;
    else if (Number(m[2]) === rootPid) mainThreads.push(m[3] ?? '');
  }
  return { processes, mainThreads };
}

/** Runs a recipe with stdin closed, in its own process group, under a hard timeout. */
function runRecipe(python: string, file: string, startMethod?: string): Promise<RunResult> {
  const logFile = path.join(probeDir, `run-${process.pid}-${Math.random().toString(36).slice(2)}.log`);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(python, [file], {
      cwd: os.tmpdir(), // recipes must not depend on the current directory
      env: probeEnv(logFile, startMethod),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // own process group: a timeout kills the whole tree
    });
    const pgid = child.pid;
    if (pgid === undefined) {
      reject(new Error(`could not start ${python}`));
      return;
    }
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(pgid);
    }, RUN_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const ms = Date.now() - started;
      void waitGroupGone(pgid, GROUP_GONE_TIMEOUT_MS).then((gone) => {
        if (!gone) killGroup(pgid);
        resolve({ code, signal, stdout, stderr, ms, timedOut, leftovers: !gone, probe: readProbe(logFile, pgid) });
      });
    });
  });
}

/** Resolves with the output so far once `done(output)` holds; rejects on exit or timeout. */
function waitForOutput(child: ChildProcess, done: (output: string) => boolean, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(output);
    };
    const onData = (d: Buffer): void => {
      output += d.toString('utf8');
      if (done(output)) finish();
    };
    const onExit = (code: number | null, signal: string | null): void =>
      finish(new Error(`exited (code ${code}, signal ${signal}) before the expected output:\n${output}`));
    const timer = setTimeout(() => finish(new Error(`expected output not seen in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    child.stdout!.on('data', onData);
    child.on('exit', onExit);
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

// ---------------------------------------------------------------------------------------------
// What each recipe's output must show. Output of different threads and processes may come in
// any order, so the checks only rely on order where the recipe guarantees it.

function linesMatching(out: string, re: RegExp): RegExpMatchArray[] {
  return out.split(/\r?\n/).flatMap((line) => {
    const m = re.exec(line);
    return m ? [m] : [];
  });
}

function section(out: string, from: string, to?: string): string {
  const start = out.indexOf(from);
  assert.ok(start >= 0, `missing ${JSON.stringify(from)} in:\n${out}`);
  const end = to === undefined ? -1 : out.indexOf(to, start);
  return end >= 0 ? out.slice(start, end) : out.slice(start);
}

function includes(out: string, ...texts: string[]): void {
  for (const t of texts) assert.ok(out.includes(t), `missing ${JSON.stringify(t)} in:\n${out}`);
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

const OUTPUT_CHECKS: Record<string, (out: string) => void> = {
  'executing-a-process-from-a-script': (out) => {
    const calling = /Process calling \(pid (\d+)\)/.exec(out);
    const called = /Hello python Parallel Cookbook!! \(called process, pid (\d+)\)/.exec(out);
    assert.ok(calling && called, out);
    assert.strictEqual(called[1], calling[1], 'exec keeps the pid');
    includes(out, '(stdin is closed: nothing to read, exiting)', 'Called process exits');
  },
  'defining-a-thread': (out) => {
    // join() inside the loop: each thread ends before the next one starts.
    const serial = linesMatching(section(out, '1) Pitfall', '2) Fix'), /^(function called by thread|thread) (\d) ?(done)?/);
    assert.deepStrictEqual(
      serial.map((m) => `${m[2]}${m[3] ? ' done' : ''}`),
      range(5).flatMap((i) => [`${i}`, `${i} done`]),
    );
    assert.strictEqual(linesMatching(section(out, '2) Fix'), /^thread \d done$/).length, 5);
    includes(out, 'join inside the loop:', 'start all, then join:');
  },
  'determining-the-current-thread': (out) =>
    includes(
      out,
      'The main program runs in MainThread',
      'first_function is starting',
      'second_function is starting',
      'first_function is exiting',
      'second_function is exiting',
    ),
  'using-a-thread-in-a-subclass': (out) =>
    includes(out, 'countdown-3 counted [3, 2, 1]', 'countdown-4 counted [4, 3, 2, 1]', 'countdown-5 counted [5, 4, 3, 2, 1]'),
  'thread-synchronization-with-a-lock': (out) => {
    includes(out, 'The value of shared variable with lock management is 0\n');
    assert.ok(/The value of shared variable with race condition is -?\d+\n/.test(out), out);
  },
  'thread-synchronization-with-an-rlock': (out) => {
    assert.strictEqual(linesMatching(out, /^adder: added one item/).length, 5);
    assert.strictEqual(linesMatching(out, /^remover: removed one item/).length, 5);
    includes(out, 'final total: 5 items (5 at start + 5 added - 5 removed)');
  },
  'thread-synchronization-with-semaphores': (out) => {
    const produced = linesMatching(out, /^Producer notify: produced item number (\d+)$/).map((m) => m[1]);
    const consumed = linesMatching(out, /^Consumer notify: consumed item number (\d+)$/).map((m) => m[1]);
    assert.strictEqual(produced.length, 3);
    assert.deepStrictEqual(consumed, produced, 'the consumer gets each item the producer released');
  },
  'thread-synchronization-with-a-condition': (out) => {
    const sizes = linesMatching(out, /buffer holds (\d+)$/).map((m) => Number(m[1]));
    assert.strictEqual(sizes.length, 24);
    assert.ok(Math.max(...sizes) <= 5, `the buffer exceeded its bound: ${sizes}`);
    const consumed = linesMatching(out, /^Consumer notify: consumed item (\d+)/).map((m) => Number(m[1]));
    assert.deepStrictEqual(consumed, range(12));
    includes(out, 'Consumer notify: no items to consume, waiting');
  },
  'thread-synchronization-with-an-event': (out) => {
    const after = section(out, 'MainThread: setting the event');
    for (const w of ['waiter-1', 'waiter-2', 'waiter-3', 'late-waiter']) includes(after, `${w}: the event is set, going on`);
    assert.ok(!section(out, 'waiter-1', 'MainThread: setting').includes('going on'), 'nobody went on before set()');
  },
  'using-the-with-statement': (out) => {
    for (const kind of ['Lock', 'RLock', 'Condition', 'Semaphore']) {
      includes(out, `${kind} acquired via with`, `${kind} acquired directly`, `${kind} is free again: True`);
    }
  },
  'thread-communication-using-a-queue': (out) => {
    const got = linesMatching(out, /^consumer-\d: got item (\d+)$/).map((m) => Number(m[1]));
    assert.deepStrictEqual([...got].sort((a, b) => a - b), range(8), 'each item got exactly once');
    assert.strictEqual(linesMatching(out, /got the stop sentinel$/).length, 2);
  },
  'evaluating-the-performance-of-multithread-applications': (out) => {
    const line = linesMatching(out, /^PCB-RESULT (.*)$/);
    assert.strictEqual(line.length, 1, out);
    const result = JSON.parse(line[0][1]) as { rows: Array<Record<string, unknown>> };
    assert.deepStrictEqual(
      result.rows.map((r) => r.job),
      ['cpu', 'io'],
    );
    for (const row of result.rows) {
      for (const k of ['sequentialS', 'threadsS', 'processesS', 'speedupThreads', 'speedupProcesses']) {
        assert.ok(typeof row[k] === 'number' && (row[k] as number) > 0, `${k} in ${line[0][1]}`);
      }
    }
    // Waiting releases the GIL: four 0.1 s waits overlap in threads.
    assert.ok((result.rows[1].speedupThreads as number) > 1.5, line[0][1]);
    includes(out, 'CPU-bound', 'I/O-bound');
  },
  'spawning-a-process': (out) => {
    const serial = linesMatching(section(out, '1) Pitfall', '2) Fix'), /^called function in process: (\d)$/);
    assert.deepStrictEqual(
      serial.map((m) => Number(m[1])),
      range(5),
    );
    assert.strictEqual(linesMatching(section(out, '2) Fix'), /^called function in process: \d$/).length, 5);
  },
  'naming-a-process': (out) =>
    includes(out, 'The main program runs in MainProcess', 'Starting foo_process', 'Exiting foo_process', 'Starting Process-2', 'Exiting Process-2'),
  'running-a-process-in-the-background': (out) => {
    includes(out, 'Starting No_background_process', 'Exiting No_background_process');
    assert.ok(!out.includes('Exiting background_process'), 'the daemon process must be terminated before its job ends');
  },
  'killing-a-process': (out) => {
    includes(out, 'Starting function', 'Process exit code: -15 (killed by SIGTERM)');
    assert.ok(/Process terminated: .* False$/m.test(out), out);
    assert.ok(!out.includes('Finished function'), out);
  },
  'using-a-process-in-a-subclass': (out) => {
    for (const w of ['worker-1', 'worker-2', 'worker-3']) includes(out, `called run method by ${w}`, `${w} exit code 0`);
  },
  'exchanging-objects-between-processes': (out) =>
    includes(
      out,
      "from the queue: {'worker': 1, 'squares': [0, 1, 4, 9]}",
      'sum of [1, 2, 3] from the pipe: 6',
      'sum of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] from the pipe: 45',
      'sum of [40, 2] from the pipe: 42',
      'exit codes: queue-writer 0, pipe-server 0',
    ),
  'synchronizing-processes': (out) => {
    const at = (name: string, what: string): number => {
      const m = new RegExp(`^${name} ${what} at (\\d+\\.\\d+) s$`, 'm').exec(out);
      assert.ok(m, `missing "${name} ${what}" in:\n${out}`);
      return Number(m[1]);
    };
    // Nobody passes the barrier before the last one has arrived.
    const lastArrival = Math.max(at('with_barrier-1', 'arrived'), at('with_barrier-2', 'arrived'));
    assert.ok(at('with_barrier-1', 'passed the barrier') >= lastArrival, out);
    assert.ok(at('with_barrier-2', 'passed the barrier') >= lastArrival, out);
    at('without_barrier-1', 'went on without waiting');
    at('without_barrier-2', 'went on without waiting');
  },
  'managing-a-state-between-processes': (out) =>
    includes(out, 'shared counter: 300 ', 'results[1] = square of 1 is 1', 'results[2] = square of 2 is 4', 'results[3] = square of 3 is 9'),
  'using-a-process-pool': (out) => {
    includes(out, `Pool:   [${range(100).map((i) => i * i).join(', ')}]`);
    const counts = linesMatching(out, /^(\S+) squared (\d+) of the inputs$/);
    assert.ok(counts.length >= 1 && counts.length <= 4, out);
    assert.strictEqual(
      counts.reduce((sum, m) => sum + Number(m[2]), 0),
      100,
    );
  },
  'using-a-thread-pool': (out) => {
    const done = linesMatching(out, /^completed (page-\w): \1 downloaded by (pool_[0-2]) in/);
    assert.deepStrictEqual(done.map((m) => m[1]).sort(), ['page-a', 'page-b', 'page-c', 'page-d', 'page-e', 'page-f']);
  },
  'race-condition-fixed-with-a-lock': (out) => {
    const unsafe = /^without a lock: (\d+) \(expected (\d+),/m.exec(out);
    assert.ok(unsafe, out);
    assert.ok(Number(unsafe[1]) < Number(unsafe[2]), `the race should lose updates: ${unsafe[0]}`);
    includes(out, `with a lock:    ${unsafe[2]} (expected ${unsafe[2]}, 0 updates lost)`);
  },
  barrier: (out) => {
    for (const round of [1, 2]) {
      const lines = out.split('\n');
      const reached = lines.map((l, i) => (l.includes(`reached the barrier (round ${round})`) ? i : -1)).filter((i) => i >= 0);
      const passed = lines.map((l, i) => (l.includes(`passed the barrier (round ${round})`) ? i : -1)).filter((i) => i >= 0);
      assert.strictEqual(reached.length, 3);
      assert.strictEqual(passed.length, 3);
      assert.ok(Math.max(...reached) < Math.min(...passed), `round ${round}: someone passed before all arrived:\n${out}`);
    }
  },
  'process-pool-executor-with-as-completed': (out) => {
    const known: Record<number, number> = { 10000: 1229, 20000: 2262, 30000: 3245, 40000: 4203, 50000: 5133, 200000: 17984 };
    for (const [limit, count] of Object.entries(known)) includes(out, `${count} primes below ${limit} `);
    const order = /^completed in order: \[(.*)\]$/m.exec(out);
    assert.ok(order, out);
    assert.deepStrictEqual(order[1].split(', ').map(Number).sort(), Object.keys(known).map(Number).sort());
  },
  'producer-consumer-across-processes': (out) => {
    includes(out, 'consumed 10 items, each exactly once: True', 'consumer-1: no more work', 'consumer-2: no more work');
    assert.strictEqual(linesMatching(out, /^item \d -> \d+ \(by consumer-[12]\)$/).length, 10);
  },
};

// ---------------------------------------------------------------------------------------------

describe('recipes', function () {
  describe('catalog', function () {
    it('is valid: fields, ids, files, 22 seed sections in order with their titles, 27 in all', function () {
      assert.strictEqual(catalogError, null);
      assert.deepStrictEqual(validateCatalog(catalogJson, recipesDir()), []);
    });

    it('is checked by a validator that catches mistakes', function () {
      const broken = JSON.parse(JSON.stringify(catalog)) as Array<Record<string, unknown>>;
      [broken[1], broken[2]] = [broken[2], broken[1]]; // out of the seed's order
      delete broken[3].lookFor; // a missing field
      broken[4].id = broken[5].id; // a duplicate id
      broken[6].file = 'no_such_recipe.py';
      broken[7].expect = { threads: 'consumer' };
      const errors = validateCatalog(broken, recipesDir()).join('\n');
      for (const expected of [
        'seedSection should be "Defining a thread"',
        'lookFor must be a non-empty string',
        'duplicate id',
        'no_such_recipe.py does not exist',
        'expect.threads must be an array of names',
      ]) {
        assert.ok(errors.includes(expected), `not reported: ${expected}\n${errors}`);
      }
      assert.deepStrictEqual(validateCatalog(broken.slice(0, 26), recipesDir()).filter((e) => /recipes, expected/.test(e)), [
        '26 recipes, expected 27',
      ]);
    });

    it('follows the seed file, when the seed is present next to the repository', function () {
      const seed = path.join(repoRoot(), '..', 'shared', 'seed', '000_6ac0e81b92111eb3.txt');
      if (!fs.existsSync(seed)) this.skip();
      assert.deepStrictEqual(
        seedHeadings(seed),
        SEED_SECTIONS.map((s) => s.heading),
      );
    });

    it('puts "Executing a process from a script" in Processes and only the deadlock demo expects a deadlock', function () {
      const exec = catalog.find((r) => r.id === 'executing-a-process-from-a-script');
      assert.strictEqual(exec?.section, 'Processes');
      assert.deepStrictEqual(
        catalog.filter((r) => r.expectsDeadlock).map((r) => r.id),
        ['lock-order-deadlock'],
      );
    });

    it('has an output check for every recipe that runs to completion', function () {
      assert.deepStrictEqual(
        catalog.filter((r) => !r.expectsDeadlock && !OUTPUT_CHECKS[r.id]).map((r) => r.id),
        [],
      );
    });

    it('has a README explaining the catalog fields', function () {
      const readme = fs.readFileSync(path.join(recipesDir(), 'README.md'), 'utf8');
      for (const f of ['id', 'title', 'section', 'file', 'description', 'demonstrates', 'lookFor', 'seedSection', 'seedBug', 'expectsDeadlock', 'expect']) {
        assert.ok(readme.includes(`\`${f}\``), `README.md does not explain ${f}`);
      }
    });
  });

  const limiter = new Limiter(PARALLEL_RUNS);
  const pythons = pythonsUnderTest();
  const newest = pythons[pythons.length - 1];
  const completing = catalog.filter((r) => !r.expectsDeadlock);

  interface Job {
    recipe: RecipeEntry;
    python: InstalledPython;
    startMethod?: string;
  }
  const jobs: Job[] = [];
  for (const python of pythons) for (const recipe of completing) jobs.push({ recipe, python });
  for (const recipe of completing.filter(usesMultiprocessing)) jobs.push({ recipe, python: newest, startMethod: 'spawn' });
  const results = new Map<Job, Promise<RunResult>>();
  const wallTimes: string[] = [];

  before(function () {
    reportMissing();
    probeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pcb-recipes-'));
    fs.writeFileSync(path.join(probeDir, 'sitecustomize.py'), PROBE_SITECUSTOMIZE);
  });

  after(function () {
    if (wallTimes.length > 0) console.log(`    wall time per run:\n${wallTimes.map((t) => `      ${t}`).join('\n')}`);
    if (probeDir) fs.rmSync(probeDir, { recursive: true, force: true });
  });

  describe('run to completion with stdin closed', function () {
    this.timeout(jobs.length * RUN_TIMEOUT_MS);
    before(function () {
      // Queue every run now, so two run at any time while the tests below read their results.
      for (const job of jobs) {
        const p = limiter.run(() => runRecipe(job.python.executable, recipePath(job.recipe), job.startMethod));
        p.catch(() => undefined); // reported by the job's own test
        results.set(job, p);
      }
    });
    for (const job of jobs) {
      const { recipe, python, startMethod } = job;
      const label = `${recipe.id} on Python ${python.minor}${startMethod ? ` (${startMethod})` : ''}`;
      it(label, async function () {
        const r = await results.get(job)!;
        const seconds = (r.ms / 1000).toFixed(2);
        wallTimes.push(`${seconds} s  ${label}`);
        const context = `\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
        assert.ok(!r.timedOut, `killed after ${RUN_TIMEOUT_MS} ms${context}`);
        assert.strictEqual(r.code, 0, `exit code ${r.code}, signal ${r.signal}${context}`);
        assert.ok(!/Traceback|Fatal Python error/.test(r.stderr), `error on stderr${context}`);
        assert.ok(!r.leftovers, `processes were left running after the recipe ended${context}`);
        OUTPUT_CHECKS[recipe.id]?.(r.stdout);
        // The catalog's expectations, as seen by the probe.
        if (recipe.expect.threads) {
          assert.deepStrictEqual([...r.probe.mainThreads].sort(), [...recipe.expect.threads].sort(), 'threads of the main process');
        }
        if (recipe.expect.processes !== undefined && !startMethod) {
          assert.strictEqual(r.probe.processes, recipe.expect.processes, 'Python processes run');
        }
      });
    }
  });

  describe('Executing a process from a script, under a terminal', function () {
    this.timeout(2 * RUN_TIMEOUT_MS);
    const recipe = catalog.find((r) => r.id === 'executing-a-process-from-a-script');
    for (const python of pythons) {
      it(`reads the line typed in the terminal, on Python ${python.minor}`, async function () {
        assert.ok(recipe, 'recipe missing from the catalog');
        if (process.platform === 'win32') this.skip();
        await limiter.run(async () => {
          const child = spawn(python.executable, ['-c', PTY_DRIVER, python.executable, recipePath(recipe)], {
            stdio: ['pipe', 'pipe', 'pipe'],
            detached: true,
          });
          let stderr = '';
          child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
          const end = exited(child);
          const all: string[] = [];
          child.stdout!.on('data', (d: Buffer) => all.push(d.toString('utf8')));
          try {
            await waitForOutput(child, (out) => out.includes('Press Enter to exit'), RUN_TIMEOUT_MS);
            child.stdin!.end('typed by the test\n');
            const timer = setTimeout(() => killGroup(child.pid!), RUN_TIMEOUT_MS);
            const { code } = await end;
            clearTimeout(timer);
            const out = all.join('');
            assert.strictEqual(code, 0, `exit code ${code}\n${out}\n${stderr}`);
            assert.ok(out.includes("You typed: 'typed by the test'"), out);
            assert.ok(!/Traceback/.test(out + stderr), out + stderr);
          } finally {
            killGroup(child.pid!);
          }
        });
      });
    }
  });

  describe('Executing a process from a script, with stdin a pipe that stays open', function () {
    this.timeout(2 * RUN_TIMEOUT_MS);
    const recipe = catalog.find((r) => r.id === 'executing-a-process-from-a-script');

    /** Runs the recipe with stdin a pipe, writes `input` to it (never closing it), waits for the end. */
    async function runWithOpenPipe(input: string): Promise<{ code: number | null; out: string }> {
      assert.ok(recipe, 'recipe missing from the catalog');
      return limiter.run(async () => {
        const child = spawn(newest.executable, [recipePath(recipe)], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
        let out = '';
        child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
        child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
        const timer = setTimeout(() => killGroup(child.pid!), RUN_TIMEOUT_MS);
        if (input) child.stdin!.write(input);
        const { code } = await exited(child);
        clearTimeout(timer);
        child.stdin!.destroy();
        return { code, out };
      });
    }

    it(`reads a line that arrives on the pipe, on Python ${newest.minor}`, async function () {
      const { code, out } = await runWithOpenPipe('piped line\n');
      assert.strictEqual(code, 0, out);
      assert.ok(out.includes("You typed: 'piped line'"), out);
    });

    it(`does not wait forever when nothing arrives, on Python ${newest.minor}`, async function () {
      const { code, out } = await runWithOpenPipe('');
      assert.strictEqual(code, 0, out);
      assert.ok(/no input after \d+ s: going on/.test(out), out);
    });
  });

  describe('lock-order deadlock', function () {
    this.timeout(2 * RUN_TIMEOUT_MS);
    const recipe = catalog.find((r) => r.id === 'lock-order-deadlock');
    for (const python of pythons) {
      it(`deadlocks for real and stays alive until killed, on Python ${python.minor}`, async function () {
        assert.ok(recipe, 'recipe missing from the catalog');
        await limiter.run(async () => {
          const child = spawn(python.executable, [recipePath(recipe)], {
            stdio: ['ignore', 'pipe', 'pipe'],
            detached: true,
          });
          const end = exited(child);
          try {
            const bothWaiting = (out: string): boolean =>
              out.includes('locks-A-then-B: holding lock_a, waiting for the second lock, lock_b') &&
              out.includes('locks-B-then-A: holding lock_b, waiting for the second lock, lock_a');
            const out = await waitForOutput(child, bothWaiting, RUN_TIMEOUT_MS);
            assert.ok(out.includes('DELIBERATE DEADLOCK DEMO'), out);
            assert.strictEqual(child.exitCode, null, 'the process must still be running');
            assert.strictEqual(child.signalCode, null, 'the process must still be running');
            assert.ok(!out.includes('got both locks'), out);
          } finally {
            killGroup(child.pid!);
          }
          const { signal } = await end;
          assert.strictEqual(signal, 'SIGKILL');
        });
      });
    }
  });
});
