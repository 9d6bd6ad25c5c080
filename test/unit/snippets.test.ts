/**
 * The snippet library (snippets/python.json): every snippet is correct as VS Code inserts it.
 *
 * - The file: valid JSON, no duplicate names, unique prefixes in the `pc-<id>` + `<id>` scheme,
 *   discoverable by typing "lock", "semaphore", "pool", a description, at least 25 snippets;
 *   the README table matches it.
 * - Tab stops: numbered 1..n in reading order, one final cursor at the end of a code line.
 * - Text: a PEP 8 subset (4-space indents, no tabs, <= 79 columns, no trailing whitespace, two
 *   blank lines around top-level definitions).
 * - Compiles: every expansion (every choice too) with every installed Python 3.8–3.13, one
 *   interpreter process per version.
 * - Structure (Python's ast): a main guard in every whole program, locks taken with `with` (no
 *   acquire()), pools/executors/managers used as context managers, every start() joined,
 *   multiprocessing objects created inside functions, the final cursor inside a worker function.
 * - Runs: every whole program, as inserted, on the oldest and newest installed Python (all of them
 *   with PCB_SNIPPETS_ALL_PYTHONS=1) under `-X dev`: exit 0, empty stderr, checked output.
 *   Multiprocessing programs also under spawn and forkserver; every choice is run; the two
 *   fragments are run wrapped in the few lines they need.
 * - Patterns: the semaphores never admit more than N holders (counted by instrumenting
 *   threading.Semaphore in Python, with a negative control proving the count can see a
 *   violation); code typed at the final cursor runs in a worker thread or process; a task that
 *   fails is reported per future / through error_callback while the others complete.
 * - Tracer: every whole program under `node dist/cli.js trace`: the trace shows the expected
 *   worker threads or processes, the chosen start method, and every process and thread ending
 *   cleanly (exit code 0, no signal: pools closed and joined, not terminated).
 */
import * as assert from 'assert';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { RunSummary } from '../../extension/protocol';
import { InstalledPython, defaultPython, installedPythons, reportMissing } from '../pythonVersions';
import { ExpandOptions, Expansion, bodyText, choicesOf, expandSnippet, tabstopReadingOrder } from './snippetExpand';
import { README_FILE, REPO, SNIPPETS_FILE, SnippetEntry, readSnippets, readmeTable, renderSnippetsTable } from './snippetsTable';

const CLI = path.join(REPO, 'dist', 'cli.js');
const RUN_TIMEOUT_MS = 20_000;
const ALL_PYTHONS = process.env.PCB_SNIPPETS_ALL_PYTHONS === '1';

// ------------------------------------------------------------------------------ expectations

/** What a whole program must print, and which workers its trace must show. */
interface ProgramSpec {
  /** Asserts on stdout; `choice` is the option picked at the snippet's choice tab stop, if any. */
  output(stdout: string, choice: string | undefined): void;
  /** Worker threads of the main process, or worker processes (without helper processes). */
  workers: { threads: number | [number, number] } | { processes: number | [number, number] };
}

function outLines(stdout: string): string[] {
  return stdout.split('\n').filter((l) => l !== '');
}
/** Exactly these lines, in this order. */
const exactly = (expected: string[]) => (stdout: string) => assert.deepStrictEqual(outLines(stdout), expected);
/** Exactly these lines, in any order (threads and processes finish in any order). */
const anyOrder = (expected: string[]) => (stdout: string) =>
  assert.deepStrictEqual([...outLines(stdout)].sort(), [...expected].sort());
const range = (n: number) => [...Array(n).keys()];

const SPECS: Record<string, ProgramSpec> = {
  'Thread with target and args': {
    output: anyOrder(range(4).map((i) => `worker ${i} runs in worker-${i}`)),
    workers: { threads: 4 },
  },
  'Thread subclass with run()': { output: exactly(['results: [0, 1, 4, 9]']), workers: { threads: 4 } },
  'Daemon thread stopped by an Event': {
    output: (stdout) => {
      const lines = outLines(stdout);
      assert.strictEqual(lines.pop(), 'background thread stopped: True');
      assert.ok(lines.length >= 1, 'the background thread worked at least once');
      assert.ok(lines.every((l) => l === 'still alive'), stdout);
    },
    workers: { threads: 1 },
  },
  'Timer calling a function after a delay': { output: exactly(['timer fired: hello']), workers: { threads: 1 } },
  'Lock protecting shared state': { output: exactly(['counter = 40000']), workers: { threads: 4 } },
  'RLock with a re-entrant call': { output: exactly(['balance = 24']), workers: { threads: 4 } },
  'Semaphore limiting concurrent access': { output: exactly(['10 threads done']), workers: { threads: 10 } },
  'BoundedSemaphore guarding a resource pool': { output: exactly(['extra release rejected']), workers: { threads: 6 } },
  'Condition producer/consumer': {
    output: exactly(range(5).map((i) => `consumed ${i}`)), // one consumer: FIFO order
    workers: { threads: 2 },
  },
  'Condition wait_for with timeout': { output: exactly(['all results in: [0, 1, 4, 9]']), workers: { threads: 4 } },
  'Event set/wait with timeout': {
    output: anyOrder(range(3).map((i) => `waiter ${i} saw the event`)),
    workers: { threads: 3 },
  },
  'Barrier synchronising N threads': {
    output: (stdout) => {
      const lines = outLines(stdout);
      const phase1 = lines.map((l, i) => (l.endsWith('finished phase 1') ? i : -1)).filter((i) => i >= 0);
      const phase2 = lines.map((l, i) => (l.endsWith('starts phase 2') ? i : -1)).filter((i) => i >= 0);
      const all = lines.filter((l) => l === 'all 3 workers reached the barrier');
      assert.strictEqual(phase1.length, 3, stdout);
      assert.strictEqual(phase2.length, 3, stdout);
      assert.strictEqual(all.length, 1, 'exactly one party is told it was last');
      // The barrier's promise: nobody starts phase 2 before everybody finished phase 1.
      assert.ok(Math.max(...phase1) < Math.min(...phase2), stdout);
      assert.ok(Math.max(...phase1) < lines.indexOf(all[0]), stdout);
    },
    workers: { threads: 3 },
  },
  'Queue producer/consumers with a sentinel': { output: exactly(['sum of results: 2470']), workers: { threads: 3 } },
  'Thread-local data': {
    output: (stdout) => {
      const lines = outLines(stdout);
      assert.strictEqual(lines.pop(), 'main thread sees a user: False');
      anyOrder(['ada', 'grace', 'linus'].map((u) => `thread-${u} serves ${u}`))(lines.join('\n'));
    },
    workers: { threads: 3 },
  },
  'Process with the main guard': {
    output: (stdout) => {
      const lines = outLines(stdout);
      assert.strictEqual(lines.pop(), 'exit codes: [0, 0, 0, 0]');
      const parsed = lines.map((l) => /^worker (\d) runs in process (\d+)$/.exec(l));
      assert.ok(parsed.every((m) => m), stdout);
      assert.deepStrictEqual(parsed.map((m) => m![1]).sort(), ['0', '1', '2', '3']);
      assert.strictEqual(new Set(parsed.map((m) => m![2])).size, 4, 'one process per worker');
    },
    workers: { processes: 4 },
  },
  'Process subclass with run()': {
    output: (stdout) => {
      const lines = outLines(stdout);
      assert.strictEqual(lines.pop(), 'exit codes: [0, 0, 0, 0]');
      const squares = lines.map((l) => /^Worker-\d+ squares (\d) -> (\d+)$/.exec(l));
      assert.ok(squares.every((m) => m && Number(m[2]) === Number(m[1]) ** 2), stdout);
      assert.deepStrictEqual(squares.map((m) => m![1]).sort(), ['0', '1', '2', '3']);
    },
    workers: { processes: 4 },
  },
  'Pool.map': { output: exactly(['[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]']), workers: { processes: 4 } },
  'Pool.imap_unordered with progress': {
    output: exactly([...range(20).map((i) => `progress: ${i + 1}/20`), 'sum of results: 2470']),
    workers: { processes: 4 },
  },
  'Pool.apply_async with callbacks': {
    output: exactly(['results: [0, 1, 4, 9, 16, 25, 36, 49, 64, 81]', 'errors: []']),
    workers: { processes: 4 },
  },
  'Queue between processes': { output: exactly(['received: [0, 1, 4, 9, 16]']), workers: { processes: 1 } },
  'Pipe between processes': { output: exactly(range(5).map((i) => `${i} -> ${2 * i}`)), workers: { processes: 1 } },
  'Lock across processes': { output: exactly(['counter = 4000']), workers: { processes: 4 } },
  'Manager dict and list': {
    output: exactly(['squares: {0: 0, 1: 1, 2: 4, 3: 9}', 'seen: [0, 1, 2, 3]']),
    workers: { processes: 5 }, // 4 workers + the manager's server process
  },
  'Value and Array in shared memory': {
    output: (stdout, choice) =>
      exactly(
        choice === 'd' ? ['squares: [0.0, 1.0, 4.0, 9.0]', 'total: 14.0'] : ['squares: [0, 1, 4, 9]', 'total: 14'],
      )(stdout),
    workers: { processes: 4 },
  },
  'Start method with get_context': {
    output: (stdout, choice) => exactly([`${choice} results: [0, 1, 4]`])(stdout),
    workers: { processes: 3 },
  },
  'ThreadPoolExecutor with as_completed': {
    output: anyOrder(range(10).map((i) => `${i} -> ${i * i}`)),
    workers: { threads: [1, 4] }, // the executor starts threads only while none is idle
  },
  'ProcessPoolExecutor.map with chunksize': {
    output: exactly(['100 results, first: 332833500']),
    workers: { processes: [1, 4] },
  },
  'Executor timeout and cancellation': {
    output: exactly(['done: 0.1', 'done: 0.2', 'timed out; 1 pending futures cancelled']),
    workers: { threads: 2 },
  },
};

/** Snippets that are fragments, and the lines that make each a program to run. */
interface FragmentSpec {
  prelude: string;
  /** Code typed at the final cursor (proves the body runs where it should). */
  atCursor: string;
  postlude: string;
  output: string[];
}
const FRAGMENTS: Record<string, FragmentSpec> = {
  'with lock block': {
    prelude: 'import threading\n\nlock = threading.Lock()\n',
    atCursor: 'assert lock.locked()',
    postlude: 'assert not lock.locked()\nprint("released")\n',
    output: ['released'],
  },
  'Main guard': {
    prelude: 'def main():\n    print("main ran")\n\n\n',
    atCursor: 'print("after main")',
    postlude: '',
    output: ['main ran', 'after main'],
  },
};

// ------------------------------------------------------------------------ Python test helpers

/**
 * One process per interpreter: compiles every source it is given, and for the sources in
 * `facts` reports what the structural checks need (from `ast`, so it runs on 3.8 too).
 */
const CHECKER_PY = String.raw`
import ast, json, platform, sys

MARKER = "pc_cursor_marker_"
FACTORIES = {"Pool", "Manager", "ThreadPoolExecutor", "ProcessPoolExecutor"}


def is_main_guard(node):
    t = node.test if isinstance(node, ast.If) else None
    return (isinstance(t, ast.Compare) and isinstance(t.left, ast.Name)
            and t.left.id == "__name__" and len(t.ops) == 1
            and isinstance(t.ops[0], ast.Eq) and len(t.comparators) == 1
            and isinstance(t.comparators[0], ast.Constant)
            and t.comparators[0].value == "__main__")


def facts(source):
    tree = ast.parse(source)
    in_with = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.With):
            in_with.update(id(item.context_expr) for item in node.items)
    out = {"mainGuard": any(is_main_guard(n) for n in tree.body), "calls": [],
           "factories": [], "moduleLevelMp": [], "cursor": []}

    def visit(node, stack):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            stack = stack + [node.name]
        if isinstance(node, ast.Name) and node.id == MARKER:
            out["cursor"].append(stack)
        if isinstance(node, ast.Call):
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", None)
            if isinstance(f, ast.Attribute):
                out["calls"].append({"method": f.attr,
                                     "receiver": ast.get_source_segment(source, f.value)})
            if name in FACTORIES:
                out["factories"].append({"name": name, "inWith": id(node) in in_with})
            text = ast.get_source_segment(source, f) or ""
            if not stack and (text.startswith("multiprocessing.")
                              or text.endswith("ProcessPoolExecutor")):
                out["moduleLevelMp"].append(text)
        for child in ast.iter_child_nodes(node):
            visit(child, stack)

    visit(tree, [])
    return out


def compile_error(key, source):
    try:
        compile(source, key, "exec")
        return None
    except Exception as exc:  # SyntaxError, ValueError (null bytes), ...
        return "%s: %s" % (type(exc).__name__, exc)


request = json.load(sys.stdin)
json.dump({
    "version": platform.python_version(),
    "compile": {k: compile_error(k, s) for k, s in request["compile"].items()},
    "facts": {k: facts(s) for k, s in request["facts"].items()},
}, sys.stdout)
`;

interface Facts {
  mainGuard: boolean;
  calls: { method: string; receiver: string }[];
  factories: { name: string; inWith: boolean }[];
  moduleLevelMp: string[];
  cursor: string[][];
}
interface CheckerResult {
  version: string;
  compile: Record<string, string | null>;
  facts: Record<string, Facts>;
}

/**
 * Counts the holders of every threading.Semaphore or BoundedSemaphore (`kind`) the program
 * creates. Only `kind` is replaced: BoundedSemaphore.__init__ calls the module's Semaphore, so
 * replacing both would run the instrumentation twice.
 */
const countingPrelude = (kind: 'Semaphore' | 'BoundedSemaphore') => String.raw`import atexit as _pc_atexit
import json as _pc_json
import sys as _pc_sys
import threading as _pc_threading

_pc_semaphores = []


def _pc_counting(base):
    # Test instrumentation, not part of the snippet: holders are counted only
    # while the real semaphore is held, so the count never over-estimates.
    class Counting(base):
        def __init__(self, value=1):
            super().__init__(value)
            self.pc_value, self.pc_holders, self.pc_max = value, 0, 0
            self.pc_guard = _pc_threading.Lock()
            _pc_semaphores.append(self)

        def acquire(self, *args, **kwargs):
            acquired = super().acquire(*args, **kwargs)
            if acquired:
                with self.pc_guard:
                    self.pc_holders += 1
                    self.pc_max = max(self.pc_max, self.pc_holders)
            return acquired

        __enter__ = acquire

        def release(self, *args, **kwargs):
            with self.pc_guard:
                self.pc_holders -= 1
            try:
                super().release(*args, **kwargs)
            except BaseException:
                with self.pc_guard:
                    self.pc_holders += 1
                raise

    return Counting


_pc_threading.${kind} = _pc_counting(_pc_threading.${kind})


@_pc_atexit.register
def _pc_report():
    report = [{"value": s.pc_value, "max": s.pc_max} for s in _pc_semaphores]
    _pc_sys.stderr.write("PC_SEMAPHORES " + _pc_json.dumps(report) + "\n")


`;

/** Reports, once per (process, is-main-thread), where code typed at the final cursor runs. */
const CURSOR_PRELUDE = String.raw`import os as _pc_os
import sys as _pc_sys
import threading as _pc_threading

_pc_cursor_seen = set()


def pc_cursor_probe_():
    key = (_pc_os.getpid(),
           _pc_threading.current_thread() is _pc_threading.main_thread())
    if key not in _pc_cursor_seen:
        _pc_cursor_seen.add(key)
        _pc_sys.stderr.write("PC_CURSOR %d %d\n" % key)
        _pc_sys.stderr.flush()


`;

/** The snippets whose semaphore is counted, and its class. */
const COUNTED: Array<[string, 'Semaphore' | 'BoundedSemaphore']> = [
  ['Semaphore limiting concurrent access', 'Semaphore'],
  ['BoundedSemaphore guarding a resource pool', 'BoundedSemaphore'],
];

const startMethodPrelude = (method: string) =>
  `import multiprocessing as _pc_mp\n\n_pc_mp.set_start_method("${method}", force=True)\n\n\n`;

// ------------------------------------------------------------------------------ expansion

interface Variant {
  /** "" for the defaults, else "choice <option>". */
  label: string;
  options: ExpandOptions;
  /** The option picked at the snippet's choice tab stop, if it has one. */
  choice: string | undefined;
}

/** The defaults, plus one variant per other option of each choice tab stop. */
function variantsOf(s: SnippetEntry): Variant[] {
  const choices = choicesOf(s.body);
  const first = [...choices.values()][0]?.[0];
  const out: Variant[] = [{ label: '', options: {}, choice: first }];
  for (const [index, options] of choices) {
    options.forEach((option, k) => {
      if (k > 0) out.push({ label: `choice ${option}`, options: { choices: { [index]: k } }, choice: option });
    });
  }
  return out;
}

/**
 * The expansion with `code` typed at the final cursor: on a new line, indented like the line
 * the cursor ends (every snippet puts $0 at the end of a statement, see the tab stop tests).
 */
function withCodeAtCursor(s: SnippetEntry, code: string, options: ExpandOptions = {}): string {
  const mark = '\u0000';
  const text = expandSnippet(s.body, { ...options, values: { ...options.values, 0: mark } }).text;
  const at = text.indexOf(mark);
  const lineStart = text.lastIndexOf('\n', at) + 1;
  const indent = /^ */.exec(text.slice(lineStart))![0];
  const typed = code
    .split('\n')
    .map((l) => '\n' + indent + l)
    .join('');
  return text.slice(0, at) + typed + text.slice(at + 1);
}

const isMultiprocessing = (source: string) => /\bmultiprocessing\b|ProcessPoolExecutor/.test(source);

// ---------------------------------------------------------------------------- process runs

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  pid: number;
  ms: number;
}

/** Env for the programs: nothing from the caller's Python setup leaks in. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('PYTHON')) env[k] = v;
  env.PYTHONDONTWRITEBYTECODE = '1';
  env.PYTHONIOENCODING = 'utf-8';
  return env;
}

/**
 * Runs a command with stdin closed, in its own process group so that a timeout kills the whole
 * tree (multiprocessing children too). A program that leaves a child holding its stdout open
 * does not "close" before the timeout either, so leaked processes show up as timeouts.
 */
function runCommand(cmd: string, args: string[], cwd: string, timeoutMs = RUN_TIMEOUT_MS): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(cmd, args, { cwd, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut, pid: child.pid!, ms: Date.now() - started });
    });
  });
}

/** Runs `jobs` with at most `limit` in flight (the programs mostly sleep or wait). */
async function runLimited<T>(jobs: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, lane));
  return results;
}

function describeRun(r: RunResult): string {
  const what = r.timedOut ? `timed out after ${RUN_TIMEOUT_MS} ms` : `exit ${r.code}${r.signal ? ` (${r.signal})` : ''}`;
  return `${what}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
}

function assertClean(r: RunResult): void {
  assert.ok(!r.timedOut && r.code === 0, describeRun(r));
}

// ------------------------------------------------------------------------------------ tests

describe('Snippets (snippets/python.json)', function () {
  const snippets = readSnippets();
  const programs = snippets.filter((s) => !(s.name in FRAGMENTS));
  const byName = new Map(snippets.map((s) => [s.name, s]));
  const pythons = installedPythons();
  const oldest = pythons[0];
  const newest = pythons[pythons.length - 1];

  before(() => {
    reportMissing();
    assert.ok(pythons.length > 0, 'no Python 3.8–3.13 installed under pyenv: nothing to test the snippets with');
  });

  describe('the file', () => {
    it('is valid JSON without duplicate snippet names', () => {
      // JSON.parse keeps the last of two equal keys silently: ask Python's parser to tell.
      const r = spawnSync(
        defaultPython(),
        ['-c', 'import json,sys\ndef pairs(p):\n    keys=[k for k,_ in p]\n    dup=sorted({k for k in keys if keys.count(k)>1})\n    assert not dup, "duplicate keys: %s" % dup\n    return dict(p)\njson.load(open(sys.argv[1]), object_pairs_hook=pairs)', SNIPPETS_FILE],
        { encoding: 'utf8' },
      );
      assert.strictEqual(r.status, 0, r.stderr);
    });

    it('has at least 25 snippets, each with a prefix, a body and a description ending with a period', () => {
      assert.ok(snippets.length >= 25, `${snippets.length} snippets`);
      for (const s of snippets) {
        assert.ok(s.prefixes.length > 0, `${s.name}: prefix`);
        assert.ok(expandSnippet(s.body).text.trim().length > 0, `${s.name}: body`);
        assert.ok(/^\S.{19,179}\.$/.test(s.description), `${s.name}: description "${s.description}"`);
      }
    });

    it('uses one prefix scheme, pc-<id> then <id>, and no prefix twice', () => {
      const all: string[] = [];
      for (const s of snippets) {
        const id = s.prefixes[1];
        assert.ok(/^[a-z]+(-[a-z]+)*$/.test(id ?? ''), `${s.name}: id "${id}"`);
        assert.deepStrictEqual(s.prefixes, [`pc-${id}`, id], s.name);
        all.push(...s.prefixes);
      }
      const dups = all.filter((p, i) => all.indexOf(p) !== i);
      assert.deepStrictEqual(dups, []);
    });

    it('is discoverable by typing "lock", "semaphore" or "pool"', () => {
      // VS Code's suggest filter matches at word starts, and `-` starts a word.
      const finds = (typed: string, s: SnippetEntry) =>
        s.prefixes.some((p) => p.split('-').some((_, i, parts) => parts.slice(i).join('-').startsWith(typed)));
      const families: Array<[string, RegExp]> = [
        ['lock', /\b(threading|multiprocessing)\.Lock\(|^with \$\{1:lock\}/m],
        ['semaphore', /Semaphore\(/],
        ['pool', /Pool\(|PoolExecutor\(/],
      ];
      for (const [typed, uses] of families) {
        const family = snippets.filter((s) => uses.test(bodyText(s.body)));
        assert.ok(family.length >= 2, `${typed}: family found by body`);
        for (const s of family) assert.ok(finds(typed, s), `typing "${typed}" finds "${s.name}" (${s.prefixes})`);
      }
    });

    it('is listed, every snippet, in the README table (node out/test/unit/snippetsTable.js --write)', () => {
      const readme = fs.readFileSync(README_FILE, 'utf8');
      assert.strictEqual(readmeTable(readme), renderSnippetsTable(snippets));
    });

    it('has an expectation here for every snippet: a whole program or a named fragment', () => {
      for (const s of programs) assert.ok(SPECS[s.name], `no ProgramSpec for "${s.name}"`);
      for (const name of [...Object.keys(SPECS), ...Object.keys(FRAGMENTS)]) assert.ok(byName.has(name), `no snippet "${name}"`);
    });
  });

  describe('tab stops', () => {
    for (const s of snippets) {
      it(`${s.name}: 1..n in reading order, then one final cursor at the end of a statement`, () => {
        const e: Expansion = expandSnippet(s.body);
        const order = tabstopReadingOrder(s.body);
        assert.ok(order.length >= 1, 'has tab stops');
        assert.deepStrictEqual(order, range(order.length).map((i) => i + 1));
        const finals = e.tabstops.filter((t) => t.index === 0);
        assert.strictEqual(finals.length, 1, 'exactly one $0');
        const lineStart = e.text.lastIndexOf('\n', e.finalOffset - 1) + 1;
        const before = e.text.slice(lineStart, e.finalOffset);
        assert.ok(/^ +\S/.test(before), `$0 ends an indented statement, not "${before}"`);
        assert.ok(e.finalOffset === e.text.length || e.text[e.finalOffset] === '\n', '$0 is at the end of its line');
      });
    }

    it('offers the start methods as a choice', () => {
      const all = snippets.flatMap((s) => [...choicesOf(s.body).values()]);
      assert.ok(all.some((o) => ['spawn', 'fork', 'forkserver'].every((m) => o.includes(m))), JSON.stringify(all));
    });
  });

  describe('PEP 8 (as inserted)', () => {
    for (const s of snippets) {
      it(s.name, () => {
        for (const v of variantsOf(s)) {
          const text = expandSnippet(s.body, v.options).text;
          const lines = text.split('\n');
          lines.forEach((line, i) => {
            const where = `line ${i + 1} "${line}"`;
            assert.ok(!line.includes('\t'), `tab at ${where}`);
            assert.ok(!/\s$/.test(line), `trailing whitespace at ${where}`);
            assert.ok(line.length <= 79, `${line.length} columns at ${where}`);
            assert.strictEqual(/^ */.exec(line)![0].length % 4, 0, `indent of ${where}`);
            if (/^(def|class|if __name__) /.test(line) && i > 0) {
              assert.deepStrictEqual(lines.slice(i - 3, i).map((l) => l === ''), [false, true, true], `two blank lines before ${where}`);
            }
          });
          if (s.name in SPECS) {
            assert.ok(text.endsWith('\n') && !text.endsWith('\n\n'), 'a program ends with one newline');
            const imports = lines.slice(0, lines.indexOf('')).filter((l) => l !== '');
            assert.ok(imports.length > 0 && imports.every((l) => l.startsWith('import ')), 'starts with its imports');
            assert.deepStrictEqual(imports, [...imports].sort(), 'imports sorted');
          }
        }
      });
    }
  });

  describe('compiles with every installed Python 3.8–3.13', function () {
    this.timeout(60_000);
    const results = new Map<string, CheckerResult>();
    const sources: Record<string, string> = {};
    for (const s of snippets) {
      for (const v of variantsOf(s)) sources[`${s.name} ${v.label}`.trim()] = expandSnippet(s.body, v.options).text;
    }

    before(async () => {
      const input = JSON.stringify({ compile: sources, facts: {} });
      await Promise.all(
        pythons.map(async (py) => {
          results.set(py.minor, await runChecker(py, input));
        }),
      );
    });

    for (const py of installedPythons()) {
      it(`Python ${py.minor}: every snippet and every choice`, () => {
        const r = results.get(py.minor)!;
        assert.strictEqual(Object.keys(r.compile).length, Object.keys(sources).length);
        const failed = Object.entries(r.compile).filter(([, err]) => err !== null);
        assert.deepStrictEqual(failed, [], `Python ${r.version}`);
      });
    }
  });

  describe('structure (ast)', function () {
    this.timeout(60_000);
    let facts: Record<string, Facts> = {};

    before(async () => {
      const marked: Record<string, string> = {};
      for (const s of snippets) marked[s.name] = withCodeAtCursor(s, 'pc_cursor_marker_');
      facts = (await runChecker(newest, JSON.stringify({ compile: {}, facts: marked }))).facts;
    });

    it('every whole program has a module-level `if __name__ == "__main__":` guard', () => {
      for (const s of programs) assert.ok(facts[s.name].mainGuard, s.name);
    });

    it('locks and semaphores are taken with `with`: no acquire(), release() only to show BoundedSemaphore rejecting it', () => {
      for (const s of snippets) {
        const calls = facts[s.name].calls.map((c) => `${c.receiver}.${c.method}`);
        assert.deepStrictEqual(calls.filter((c) => c.endsWith('.acquire')), [], s.name);
        const releases = calls.filter((c) => c.endsWith('.release'));
        const expected = s.name === 'BoundedSemaphore guarding a resource pool' ? ['connections.release'] : [];
        assert.deepStrictEqual(releases, expected, s.name);
      }
    });

    it('pools, executors and managers are context managers; a Pool is also closed and joined', () => {
      for (const s of snippets) {
        const f = facts[s.name];
        for (const factory of f.factories) assert.ok(factory.inWith, `${s.name}: ${factory.name}() outside a with`);
        if (f.factories.some((x) => x.name === 'Pool')) {
          const calls = f.calls.map((c) => `${c.receiver}.${c.method}`);
          assert.ok(calls.includes('pool.close') && calls.includes('pool.join'), `${s.name}: pool.close() and pool.join()`);
        }
      }
    });

    it('everything started is joined', () => {
      for (const s of snippets) {
        const calls = facts[s.name].calls;
        const joined = new Set(calls.filter((c) => c.method === 'join').map((c) => c.receiver));
        for (const c of calls.filter((x) => x.method === 'start')) {
          assert.ok(joined.has(c.receiver), `${s.name}: ${c.receiver}.start() without ${c.receiver}.join()`);
        }
      }
    });

    it('multiprocessing objects are created inside functions, never at import time', () => {
      for (const s of snippets) assert.deepStrictEqual(facts[s.name].moduleLevelMp, [], s.name);
    });

    it('the final cursor of every whole program is inside a worker function, not main()', () => {
      for (const s of programs) {
        const [where] = facts[s.name].cursor;
        assert.ok(where && where.length > 0 && !where.includes('main'), `${s.name}: cursor in ${JSON.stringify(where)}`);
      }
    });
  });

  describe('runs', function () {
    this.timeout(300_000);
    const runVersions = ALL_PYTHONS ? pythons : [...new Set([oldest, newest])];
    let tmp = '';
    /** Runs to do, registered while mocha collects the tests; files are written in before(). */
    const jobs: Array<{ key: string; py: InstalledPython; source: string; via: 'dev' | 'python' | 'trace' }> = [];
    const results = new Map<string, RunResult>();
    const traceFiles = new Map<string, { summary: string; chrome: string }>();
    const haveCli = fs.existsSync(CLI);

    /**
     * Registers a run of `source`: 'dev' is `python -X dev` (warnings and unclosed resources
     * show on stderr), 'python' a plain run (instrumented sources), 'trace' the product's
     * tracer, `node dist/cli.js trace`, which writes a RunSummary and a Chrome trace.
     */
    const job = (key: string, py: InstalledPython, source: string, via: 'dev' | 'python' | 'trace' = 'dev') => {
      jobs.push({ key, py, source, via });
    };

    if (pythons.length > 0) {
      for (const s of programs) {
        for (const v of variantsOf(s)) {
          const source = expandSnippet(s.body, v.options).text;
          for (const py of runVersions) job(`as inserted|${s.name}|${v.label}|${py.minor}`, py, source);
          job(`trace|${s.name}|${v.label}`, newest, source, 'trace');
          if (isMultiprocessing(source) && choicesOf(s.body).size === 0 && process.platform !== 'win32') {
            for (const method of ['spawn', 'forkserver']) {
              job(`start method|${s.name}|${method}`, newest, startMethodPrelude(method) + source);
            }
          }
        }
        job(`cursor|${s.name}`, newest, CURSOR_PRELUDE + withCodeAtCursor(s, 'pc_cursor_probe_()'), 'python');
      }
      for (const [name, f] of Object.entries(FRAGMENTS)) {
        const source = `${f.prelude}${withCodeAtCursor(byName.get(name)!, f.atCursor)}\n${f.postlude}`;
        for (const py of runVersions) job(`fragment|${name}|${py.minor}`, py, source);
      }
      for (const [name, kind] of COUNTED) {
        const source = expandSnippet(byName.get(name)!.body).text;
        for (const py of runVersions) job(`count|${name}|${py.minor}`, py, countingPrelude(kind) + source, 'python');
      }
      // Negative control: the same count on a semaphore three times too wide must see > N holders.
      const wide = expandSnippet(byName.get('Semaphore limiting concurrent access')!.body).text.replace(
        'threading.Semaphore(MAX_CONCURRENT)',
        'threading.Semaphore(MAX_CONCURRENT * 3)',
      );
      job('count|negative control', newest, countingPrelude('Semaphore') + wide, 'python');
      // The same bound seen by the product's tracer, on the programs as inserted.
      for (const [name] of COUNTED) job(`trace count|${name}`, newest, expandSnippet(byName.get(name)!.body).text, 'trace');
      job('trace count|negative control', newest, wide, 'trace');
      const failing = (name: string, code: string) =>
        job(`failing task|${name}`, newest, withCodeAtCursor(byName.get(name)!, code), 'python');
      failing('ThreadPoolExecutor with as_completed', 'if item == 3:\n    raise ValueError("boom")');
      failing('Pool.apply_async with callbacks', 'if number == 3:\n    raise ValueError("boom")');
    }

    before(async () => {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pcb-snippets-'));
      const todo = jobs.filter((j) => j.via !== 'trace' || haveCli);
      const started = Date.now();
      const out = await runLimited(
        todo.map((j, i) => () => {
          // Never name a file after a stdlib module (queue.py would shadow `import queue`).
          const file = path.join(tmp, `pc_snippet_${i}.py`);
          fs.writeFileSync(file, j.source);
          if (j.via === 'trace') {
            const summary = `${file}.summary.json`;
            const chrome = `${file}.chrome.json`;
            traceFiles.set(j.key, { summary, chrome });
            const args = [CLI, 'trace', '--python', j.py.executable, '--summary', summary, '--chrome-trace', chrome, '--timeout', '30', '--', file];
            return runCommand(process.execPath, args, tmp, 60_000);
          }
          return runCommand(j.py.executable, j.via === 'dev' ? ['-X', 'dev', file] : [file], tmp);
        }),
        Math.max(2, Math.min(6, os.cpus().length * 2)),
      );
      todo.forEach((j, i) => results.set(j.key, out[i]));
      const versions = runVersions.map((p) => p.minor).join(' and ');
      const seconds = (ms: number) => (ms / 1000).toFixed(1);
      const slowest = [...results].sort((a, b) => b[1].ms - a[1].ms).slice(0, 3);
      console.log(
        `      (${todo.length} runs in ${seconds(Date.now() - started)} s, as inserted on Python ${versions}; ` +
          `slowest: ${slowest.map(([k, r]) => `${k.replace(/\|+/g, ' ').trim()} ${seconds(r.ms)} s`).join(', ')})`,
      );
      if (process.env.PCB_SNIPPETS_TIMINGS) {
        const byKind = new Map<string, number>();
        for (const [k, r] of results) byKind.set(k.split('|')[0], (byKind.get(k.split('|')[0]) ?? 0) + r.ms);
        console.log([...byKind].map(([k, ms]) => `${k}: ${seconds(ms)} s`).join('; '));
      }
    });

    after(() => {
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    describe('whole programs as inserted: exit 0, nothing on stderr under -X dev, expected output', () => {
      for (const s of programs) {
        for (const v of variantsOf(s)) {
          it(`${s.name}${v.label ? ` (${v.label})` : ''}`, () => {
            for (const py of runVersions) {
              const r = results.get(`as inserted|${s.name}|${v.label}|${py.minor}`)!;
              assertClean(r);
              assert.strictEqual(r.stderr, '', `Python ${py.minor} stderr`);
              SPECS[s.name].output(r.stdout, v.choice);
            }
          });
        }
      }
    });

    describe('multiprocessing programs under the spawn and forkserver start methods', () => {
      for (const s of programs) {
        if (choicesOf(s.body).size > 0 || !isMultiprocessing(expandSnippet(s.body).text)) continue;
        it(s.name, () => {
          for (const method of ['spawn', 'forkserver']) {
            const r = results.get(`start method|${s.name}|${method}`)!;
            assertClean(r);
            SPECS[s.name].output(r.stdout, undefined);
          }
        });
      }
    });

    describe('fragments, wrapped in the lines they need', () => {
      for (const [name, f] of Object.entries(FRAGMENTS)) {
        it(name, () => {
          for (const py of runVersions) {
            const r = results.get(`fragment|${name}|${py.minor}`)!;
            assertClean(r);
            assert.deepStrictEqual(outLines(r.stdout), f.output);
          }
        });
      }
    });

    describe('patterns', () => {
      const counted = (key: string) => {
        const r = results.get(key)!;
        assertClean(r);
        const line = r.stderr.split('\n').find((l) => l.startsWith('PC_SEMAPHORES '));
        assert.ok(line, `no count reported\n${r.stderr}`);
        return JSON.parse(line.slice('PC_SEMAPHORES '.length)) as { value: number; max: number }[];
      };
      const limitOf = (name: string) => {
        const e = expandSnippet(byName.get(name)!.body);
        const t = e.tabstops.find((x) => x.index === 1)!;
        return Number(e.text.slice(t.offset, t.offset + t.length));
      };

      for (const [name] of COUNTED) {
        it(`${name}: never more than N holders (counted in Python)`, () => {
          const n = limitOf(name);
          for (const py of runVersions) {
            const [sem, ...others] = counted(`count|${name}|${py.minor}`);
            assert.strictEqual(others.length, 0, 'one semaphore');
            assert.strictEqual(sem.value, n, 'created with the N of tab stop 1');
            assert.ok(sem.max <= n, `Python ${py.minor}: ${sem.max} holders at once, limit ${n}`);
            assert.ok(sem.max >= 1, 'the workers did take the semaphore');
          }
        });
      }

      it('negative control: the holder count sees a semaphore that admits more than N', () => {
        const [sem] = counted('count|negative control');
        const n = limitOf('Semaphore limiting concurrent access');
        assert.strictEqual(sem.value, 3 * n);
        assert.ok(sem.max > n, `only ${sem.max} holders at once with room for ${3 * n}`);
      });

      /**
       * The semaphore's count over time from the tracer's Chrome trace export: counter events
       * ("ph": "C") named "<kind> <file>:<line>" whose value is the number of free slots. The
       * first sample is the initial value, so holders = first - value.
       */
      const tracedCounts = (key: string, kind: 'Semaphore' | 'BoundedSemaphore') => {
        assert.ok(haveCli, `${CLI} is missing: run \`npm run build\` first`);
        const r = results.get(key)!;
        assertClean(r);
        type Event = { ph: string; name: string; ts: number; args?: { value?: number } };
        const events = (JSON.parse(fs.readFileSync(traceFiles.get(key)!.chrome, 'utf8')) as { traceEvents: Event[] }).traceEvents;
        const values = events
          .filter((e) => e.ph === 'C' && e.name.startsWith(`${kind} `))
          .sort((a, b) => a.ts - b.ts)
          .map((e) => e.args?.value);
        assert.ok(values.length > 1 && values.every((v) => typeof v === 'number'), `no ${kind} count in the trace`);
        return values as number[];
      };

      for (const [name, kind] of COUNTED) {
        it(`${name}: the tracer's count shows never more than N holders`, () => {
          const n = limitOf(name);
          const values = tracedCounts(`trace count|${name}`, kind);
          assert.strictEqual(values[0], n, 'the trace starts at the N of tab stop 1');
          const holders = values.map((v) => values[0] - v);
          assert.ok(Math.max(...holders) <= n && Math.min(...values) >= 0, `holders over time: ${holders}`);
          assert.ok(Math.max(...holders) >= 1, 'the workers did take the semaphore');
          assert.strictEqual(values[values.length - 1], n, 'every slot is free again at the end');
        });
      }

      it("negative control: the tracer's count sees a semaphore that admits more than N", () => {
        const n = limitOf('Semaphore limiting concurrent access');
        const values = tracedCounts('trace count|negative control', 'Semaphore');
        const holders = values.map((v) => values[0] - v);
        assert.ok(Math.max(...holders) > n, `holders over time: ${holders}`);
      });

      for (const s of programs) {
        it(`${s.name}: code typed at the final cursor runs in a worker thread or process`, () => {
          const r = results.get(`cursor|${s.name}`)!;
          assertClean(r);
          const hits = r.stderr
            .split('\n')
            .filter((l) => l.startsWith('PC_CURSOR '))
            .map((l) => l.split(' ').slice(1).map(Number));
          assert.ok(hits.length > 0, `the code at the cursor never ran\n${r.stderr}`);
          for (const [pid, isMainThread] of hits) {
            assert.ok(pid !== r.pid || isMainThread === 0, `ran in the main thread of the main process\n${r.stderr}`);
          }
        });
      }

      it('ThreadPoolExecutor with as_completed: a failing task is reported, the others complete', () => {
        const r = results.get('failing task|ThreadPoolExecutor with as_completed')!;
        assertClean(r);
        anyOrder([...range(10).filter((i) => i !== 3).map((i) => `${i} -> ${i * i}`), "3 raised ValueError('boom')"])(r.stdout);
      });

      it('Pool.apply_async with callbacks: a failing task goes to error_callback, the others to callback', () => {
        const r = results.get('failing task|Pool.apply_async with callbacks')!;
        assertClean(r);
        exactly(['results: [0, 1, 4, 16, 25, 36, 49, 64, 81]', "errors: [ValueError('boom')]"])(r.stdout);
      });
    });

    describe('under the tracer (node dist/cli.js trace): clean ends, expected workers, start methods', () => {
      const HELPERS = new Set(['resource_tracker', 'forkserver']);
      for (const s of programs) {
        for (const v of variantsOf(s)) {
          it(`${s.name}${v.label ? ` (${v.label})` : ''}`, () => {
            assert.ok(haveCli, `${CLI} is missing: run \`npm run build\` first`);
            const r = results.get(`trace|${s.name}|${v.label}`)!;
            assertClean(r);
            const files = traceFiles.get(`trace|${s.name}|${v.label}`)!;
            const summary = JSON.parse(fs.readFileSync(files.summary, 'utf8')) as RunSummary;
            assert.ok(Array.isArray(JSON.parse(fs.readFileSync(files.chrome, 'utf8')).traceEvents), 'a Chrome trace was exported');
            assert.strictEqual(summary.exitCode, 0);
            assert.strictEqual(summary.records.malformed, 0);
            const main = summary.processes.find((p) => p.startMethod === 'root');
            assert.ok(main, 'the main process is traced');
            for (const p of summary.processes) {
              assert.ok(p.exitCode === 0 && !p.signal, `process ${p.name} (${p.pid}) ended with ${p.exitCode}/${p.signal}`);
            }
            for (const t of summary.threads) assert.ok(t.endNs !== null && t.endNs !== undefined, `thread ${t.name} never ended`);
            const spec = SPECS[s.name].workers;
            const within = (n: number, want: number | [number, number]) =>
              Array.isArray(want) ? n >= want[0] && n <= want[1] : n === want;
            if ('threads' in spec) {
              const workers = summary.threads.filter((t) => t.pid === main.pid && t.name !== 'MainThread');
              assert.ok(within(workers.length, spec.threads), `${workers.length} worker threads: ${workers.map((t) => t.name)}`);
            } else {
              const workers = summary.processes.filter((p) => p !== main && !HELPERS.has(p.name));
              assert.ok(within(workers.length, spec.processes), `${workers.length} worker processes: ${workers.map((p) => p.name)}`);
              if (s.name === 'Start method with get_context') {
                assert.deepStrictEqual([...new Set(workers.map((p) => p.startMethod))], [v.choice], 'the chosen start method');
              }
            }
          });
        }
      }
    });
  });
});

/** Runs CHECKER_PY once with `input` on stdin. */
async function runChecker(py: InstalledPython, input: string): Promise<CheckerResult> {
  const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(py.executable, ['-c', CHECKER_PY], { env: cleanEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
  assert.strictEqual(r.code, 0, `checker on Python ${py.version}: ${r.stderr}`);
  return JSON.parse(r.stdout) as CheckerResult;
}
