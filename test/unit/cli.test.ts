/** The command line (dist/cli.js) as a user runs it. */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RunSummary } from '../../extension/protocol';
import { defaultPython } from '../pythonVersions';

const root = path.resolve(__dirname, '..', '..', '..');
const cli = path.join(root, 'dist', 'cli.js');

function runCli(args: string[], input = '') {
  const r = spawnSync(process.execPath, [cli, ...args], { input, encoding: 'utf8', timeout: 60000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tmp(name: string): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pcb-cli-')), name);
}

describe('command line', function () {
  this.timeout(60000);

  it('lists the recipes as JSON with id, title, section and an existing file', () => {
    const r = runCli(['recipes', '--json']);
    assert.strictEqual(r.code, 0, r.stderr);
    const list = JSON.parse(r.stdout) as { id: string; title: string; section: string; file: string }[];
    assert.ok(list.length >= 2);
    for (const recipe of list) {
      assert.ok(recipe.id && recipe.title && recipe.section, JSON.stringify(recipe));
      assert.ok(fs.existsSync(recipe.file), recipe.file);
    }
    assert.ok(list.some((r) => r.id === 'defining-a-thread'));
  });

  it('runs a recipe and writes a summary whose threads match the recipe', () => {
    const summaryFile = tmp('s.json');
    const r = runCli(['run', 'defining-a-thread', '--python', defaultPython(), '--summary', summaryFile]);
    assert.strictEqual(r.code, 0, r.stderr);
    const s = JSON.parse(fs.readFileSync(summaryFile, 'utf8')) as RunSummary;
    assert.strictEqual(s.exitCode, 0);
    assert.strictEqual(s.signal, null);
    assert.ok(s.durationMs > 0);
    assert.match(s.python, /^3\./);
    assert.strictEqual(s.processes.length, 1);
    assert.strictEqual(s.processes[0].exitCode, 0);
    const catalog = JSON.parse(fs.readFileSync(path.join(root, 'recipes', 'catalog.json'), 'utf8')) as { id: string; expect?: { threads?: string[] } }[];
    const expected = catalog.find((c) => c.id === 'defining-a-thread')!.expect?.threads;
    const names = s.threads.map((t) => t.name);
    assert.ok(names.includes('MainThread'));
    if (expected) assert.deepStrictEqual(names.filter((n) => n !== 'MainThread').sort(), [...expected].sort());
    else assert.ok(names.length >= 2, `threads: ${names.join(', ')}`);
    for (const t of s.threads) {
      assert.strictEqual(t.pid, s.processes[0].pid);
      assert.ok(t.endNs !== null && t.endNs >= t.startNs);
    }
    assert.deepStrictEqual(Object.keys(s.records).sort(), ['dropped', 'malformed', 'total']);
    assert.ok(s.records.total > 0);
  });

  it('traces a script with arguments, relays its output and exit code', () => {
    const script = tmp('args.py');
    fs.writeFileSync(script, 'import sys\nprint("args:", sys.argv[1:])\nsys.exit(5)\n');
    const summaryFile = tmp('s.json');
    const r = runCli(['trace', '--python', defaultPython(), '--summary', summaryFile, '--', script, 'a', 'b c']);
    assert.strictEqual(r.code, 5);
    assert.match(r.stdout, /args: \['a', 'b c'\]/);
    assert.strictEqual((JSON.parse(fs.readFileSync(summaryFile, 'utf8')) as RunSummary).exitCode, 5);
  });

  it('counts a Manager lock contended only when an acquire found it taken', () => {
    const summaryFile = tmp('s.json');
    const program = path.join(root, 'test', 'tracer', 'programs', 'mp_manager.py');
    const r = runCli(['trace', '--python', defaultPython(), '--summary', summaryFile, '--', program, 'fork']);
    assert.strictEqual(r.code, 0, r.stderr);
    const s = JSON.parse(fs.readFileSync(summaryFile, 'utf8')) as RunSummary;
    const at = (line: string) => {
      const n = fs.readFileSync(program, 'utf8').split('\n').findIndex((l) => l.includes(`# @${line}`)) + 1;
      const o = s.objects.find((x) => x.name === `mp_manager.py:${n}`);
      assert.ok(o, `the object made at line ${n}: ${JSON.stringify(s.objects)}`);
      return o;
    };
    const counts = (line: string) => {
      const o = at(line);
      return { kind: o.kind, acquisitions: o.acquisitions, contended: o.contended };
    };
    // The child takes the lock free; the parent then waits for the child to release it.
    assert.deepStrictEqual(counts('lock'), { kind: 'Lock', acquisitions: 2, contended: 1 });
    assert.ok(at('lock').maxWaitMs >= 100, `the parent waits for the child's 0.2 s hold: ${at('lock').maxWaitMs} ms`);
    // Re-entered by one thread, never taken by another: two acquisitions, no contention.
    assert.deepStrictEqual(counts('rlock'), { kind: 'RLock', acquisitions: 2, contended: 0 });
  });

  it('stops a program that runs too long with --timeout', () => {
    const script = tmp('forever.py');
    fs.writeFileSync(script, 'while True:\n    pass\n');
    const summaryFile = tmp('s.json');
    const r = runCli(['trace', '--python', defaultPython(), '--timeout', '1', '--summary', summaryFile, '--', script]);
    const s = JSON.parse(fs.readFileSync(summaryFile, 'utf8')) as RunSummary;
    assert.strictEqual(s.stopped, true);
    assert.strictEqual(s.signal, 'SIGTERM');
    assert.strictEqual(r.code, 128 + 15);
    assert.match(r.stderr, /timeout after 1 s/);
  });

  it('stops the deadlock recipe with --stop-on-deadlock, exits 3 and names the cycle', () => {
    const summaryFile = tmp('s.json');
    const r = runCli(['run', 'lock-order-deadlock', '--python', defaultPython(), '--stop-on-deadlock', '--summary', summaryFile]);
    assert.strictEqual(r.code, 3, r.stderr);
    assert.match(r.stderr, /deadlock: /);
    const s = JSON.parse(fs.readFileSync(summaryFile, 'utf8')) as RunSummary;
    assert.strictEqual(s.stopped, true);
    assert.strictEqual(s.deadlocks.length, 1);
    assert.strictEqual(s.deadlocks[0].threads.length, 2);
    assert.ok(s.deadlocks[0].objects.every((o) => o.startsWith('Lock ')), JSON.stringify(s.deadlocks[0].objects));
  });

  it('gives clear messages, not stack traces, for bad input', () => {
    const cases: [string[], RegExp][] = [
      [['run', 'no-such-recipe'], /no recipe "no-such-recipe"/],
      [['trace', '--python', '/no/such/python', '--', __filename], /does not exist/],
      [['trace', '--', '/no/such/script.py'], /no such script/],
      [['trace', '--mode', 'fast', '--', __filename], /--mode is smart or full/],
      [['frobnicate'], /unknown command "frobnicate"/],
    ];
    for (const [args, message] of cases) {
      const r = runCli(args);
      assert.strictEqual(r.code, 2, args.join(' '));
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    }
  });
});
