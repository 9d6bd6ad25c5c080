/**
 * The worker host end to end with a real Python: spawn, trace, model, output, stdin, stop, and
 * bad input. Needs the bundles (npm run build) and the tracer.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { HostToOwner, RunSummary } from '../../extension/protocol';
import { layoutFromRoot, makeRunRequest, RunOptions } from '../../extension/host/layout';
import { RunHost, RunOutcome } from '../../extension/host/runHost';
import { defaultPython } from '../pythonVersions';

const root = path.resolve(__dirname, '..', '..', '..');
const layout = layoutFromRoot(root);
const python = defaultPython();

function script(name: string, source: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pcb-test-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, source);
  return file;
}

interface Run {
  host: RunHost;
  messages: HostToOwner[];
  output(stream?: 'stdout' | 'stderr'): string;
  waitFor(predicate: () => boolean, what: string, timeoutMs?: number): Promise<void>;
}

function start(source: string, options: Partial<RunOptions> = {}): Run {
  const request = makeRunRequest(layout, { python, script: script('prog.py', source), timeoutSec: 60, ...options });
  const host = new RunHost(request, layout.workerScript);
  const messages: HostToOwner[] = [];
  host.onMessage((m) => messages.push(m));
  const output = (stream?: 'stdout' | 'stderr') =>
    messages
      .filter((m): m is Extract<HostToOwner, { type: 'output' }> => m.type === 'output' && (!stream || m.stream === stream))
      .map((m) => m.data)
      .join('');
  const waitFor = (predicate: () => boolean, what: string, timeoutMs = 20000) =>
    new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const poll = setInterval(() => {
        if (predicate()) {
          clearInterval(poll);
          resolve();
        } else if (Date.now() - started > timeoutMs) {
          clearInterval(poll);
          reject(new Error(`timed out waiting for ${what}; output so far:\n${output()}`));
        }
      }, 20);
    });
  return { host, messages, output, waitFor };
}

async function summaryOf(outcome: Promise<RunOutcome>): Promise<RunSummary> {
  const o = await outcome;
  if (!o.ok) assert.fail(`run failed: ${o.message}`);
  return o.summary;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

describe('worker host with a real Python', function () {
  this.timeout(60000);

  before(function () {
    if (!fs.existsSync(layout.workerScript)) assert.fail(`${layout.workerScript} is missing: run npm run build first`);
  });

  it('traces the threads of a program, live, with names, lifetimes and the exit code', async () => {
    const run = start(`
import sys, threading, time
def work(i):
    time.sleep(0.05)
    sys.stdout.write("done %d\\n" % i)  # one write: unbuffered print() splits a line
threads = [threading.Thread(target=work, args=(i,), name="worker-%d" % i) for i in range(3)]
for t in threads: t.start()
for t in threads: t.join()
`);
    const s = await summaryOf(run.host.outcome);
    assert.strictEqual(s.exitCode, 0);
    assert.match(s.python, /^3\.\d+\.\d+$/);
    assert.deepStrictEqual(s.threads.map((t) => t.name).sort(), ['MainThread', 'worker-0', 'worker-1', 'worker-2']);
    for (const t of s.threads) {
      assert.ok(t.endNs !== null && t.endNs >= t.startNs, `${t.name} has an end after its start`);
      assert.strictEqual(t.pid, s.processes[0].pid);
    }
    assert.strictEqual(s.processes.length, 1);
    const notices = run.messages.filter((m) => m.type === 'notice').map((m) => (m as { message: string }).message);
    assert.strictEqual(s.records.malformed, 0, `malformed records: ${notices.join('; ')}`);
    assert.ok(run.messages.some((m) => m.type === 'delta' && m.delta.threads.length > 0), 'deltas carried the threads');
    assert.strictEqual(run.output('stdout').split('\n').filter((l) => l.startsWith('done')).length, 3);
  });

  it('passes stdin typed by the user to the program', async () => {
    const run = start(`name = input("name? ")\nprint("hello " + name)\n`);
    await run.waitFor(() => run.output().includes('name?'), 'the prompt');
    run.host.writeStdin('Ada\n');
    const s = await summaryOf(run.host.outcome);
    assert.strictEqual(s.exitCode, 0);
    assert.match(run.output('stdout'), /hello Ada/);
  });

  it('reports a non-zero exit code and an unhandled exception', async () => {
    const run = start(`import sys\nprint("about to fail")\nraise SystemExit(4)\n`);
    assert.strictEqual((await summaryOf(run.host.outcome)).exitCode, 4);
    const crash = start(`def f():\n    raise ValueError("boom")\nf()\n`);
    const s = await summaryOf(crash.host.outcome);
    assert.strictEqual(s.exitCode, 1);
    assert.match(crash.output('stderr'), /ValueError: boom/);
  });

  it('reports a syntax error as the program exiting with code 1 and the error on stderr', async () => {
    const run = start(`def broken(:\n    pass\n`);
    const s = await summaryOf(run.host.outcome);
    assert.strictEqual(s.exitCode, 1);
    assert.match(run.output('stderr'), /SyntaxError/);
  });

  it('reports a program killed by a signal', async () => {
    const run = start(`import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n`);
    const s = await summaryOf(run.host.outcome);
    assert.strictEqual(s.exitCode, null);
    assert.strictEqual(s.signal, 'SIGKILL');
  });

  it('stops the whole tree: threads, multiprocessing children, a detached subprocess', async () => {
    const run = start(`
import multiprocessing as mp, os, subprocess, sys, time
def sleeper():
    time.sleep(600)
if __name__ == "__main__":
    kids = [mp.Process(target=sleeper, daemon=d) for d in (True, False)]
    for k in kids: k.start()
    sub = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"], start_new_session=True)
    print("PIDS", " ".join(str(p) for p in [k.pid for k in kids] + [sub.pid]), flush=True)
    time.sleep(600)
`);
    await run.waitFor(() => /PIDS [\d ]+\n/.test(run.output()), 'the children to start');
    const pids = /PIDS ([\d ]+)\n/.exec(run.output())![1].trim().split(' ').map(Number);
    assert.strictEqual(pids.length, 3);
    assert.ok(pids.every(isAlive), 'children are running before the stop');
    const o = await run.host.stop('test');
    assert.ok(o.ok);
    assert.strictEqual(o.ok && o.summary.stopped, true);
    const left = pids.filter(isAlive);
    assert.deepStrictEqual(left, [], `processes left behind: ${left.join(', ')}`);
  });

  it('bounds a flood of output and keeps the run going', async () => {
    const run = start(`import sys\nline = "x" * 1023 + "\\n"\nfor _ in range(40 * 1024):\n    sys.stdout.write(line)\nprint("END")\n`, {
      maxOutputBytes: 1 << 20,
    });
    const s = await summaryOf(run.host.outcome);
    assert.strictEqual(s.exitCode, 0);
    assert.strictEqual(s.outputTruncated, true);
    assert.ok(run.output().length <= 1 << 20, `forwarded ${run.output().length} bytes`);
    assert.ok(run.messages.some((m) => m.type === 'notice' && /truncated/.test(m.message)));
  });

  it('counts garbage on the trace channel as malformed and carries on', async () => {
    const run = start(`
import os, socket
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(os.environ["PCB_SOCKET"])
s.sendall(b"\\xff\\x00garbage that is not a trace" * 10)
s.close()
print("still fine")
`);
    const s = await summaryOf(run.host.outcome);
    assert.strictEqual(s.exitCode, 0);
    assert.ok(s.records.malformed >= 1, `malformed = ${s.records.malformed}`);
    assert.ok(s.threads.some((t) => t.name === 'MainThread'), 'the real trace is still there');
  });

  it('keeps the trace of an exception in a thread and in a child process', async () => {
    const run = start(`
import multiprocessing as mp, threading
def bad():
    raise RuntimeError("thread boom")
def child():
    raise KeyError("child boom")
if __name__ == "__main__":
    t = threading.Thread(target=bad, name="bad-thread"); t.start(); t.join()
    p = mp.Process(target=child, name="bad-child"); p.start(); p.join()
    print("parent carries on", p.exitcode)
`);
    const s = await summaryOf(run.host.outcome);
    assert.strictEqual(s.exitCode, 0);
    assert.match(run.output('stderr'), /RuntimeError: thread boom/);
    assert.match(run.output('stderr'), /KeyError: 'child boom'/);
    assert.ok(s.threads.some((t) => t.name === 'bad-thread' && t.endNs !== null));
    const child = s.processes.find((p) => p.pid !== s.processes[0].pid);
    assert.ok(child, 'the child process is in the trace');
    assert.strictEqual(child.exitCode, 1);
    const exceptions = run.messages.flatMap((m) => (m.type === 'delta' ? m.delta.instants.filter((i) => i.kind === 'exception') : []));
    assert.ok(exceptions.some((e) => /thread boom/.test(e.detail ?? '')), 'the thread exception is an instant on the timeline');
  });

  it('reports a child killed by SIGKILL and the parent going on', async () => {
    const run = start(`
import multiprocessing as mp, os, signal, time
def victim():
    time.sleep(30)
if __name__ == "__main__":
    p = mp.Process(target=victim, name="victim"); p.start()
    time.sleep(0.3)
    os.kill(p.pid, signal.SIGKILL); p.join()
    print("exitcode", p.exitcode)
`);
    const s = await summaryOf(run.host.outcome);
    assert.strictEqual(s.exitCode, 0);
    assert.match(run.output('stdout'), /exitcode -9/);
    const child = s.processes.find((p) => p.pid !== s.processes[0].pid);
    assert.ok(child, 'the child is in the trace');
    assert.strictEqual(child.signal, 'SIGKILL');
  });

  it('keeps what was traced before os._exit', async () => {
    const run = start(`
import os, threading, time
t = threading.Thread(target=time.sleep, args=(0.05,), name="before-exit"); t.start(); t.join()
time.sleep(0.05)  # longer than a flush interval: the records above are on their way
os._exit(3)
`);
    const s = await summaryOf(run.host.outcome);
    assert.strictEqual(s.exitCode, 3);
    assert.ok(s.threads.some((t) => t.name === 'before-exit'), 'the thread traced before os._exit is kept');
  });

  it('streams deltas while records flow, at most 60 a second', async () => {
    const run = start(
      `
import threading, time
lock = threading.Lock()
def work():
    end = time.monotonic() + 0.8
    while time.monotonic() < end:
        with lock:
            pass
ts = [threading.Thread(target=work) for _ in range(2)]
for t in ts: t.start()
for t in ts: t.join()
`,
      { mode: 'full' },
    );
    const s = await summaryOf(run.host.outcome);
    assert.strictEqual(s.exitCode, 0);
    const deltas = run.messages.filter((m) => m.type === 'delta').length;
    // the engine's own clock spaces deltas 1/60 s apart; the last one comes at the end of the run
    assert.ok(deltas <= Math.ceil((s.durationMs / 1000) * 60) + 2, `${deltas} deltas in ${s.durationMs} ms`);
    assert.ok(s.liveLagMs.deltas >= 10, `records came in ${s.liveLagMs.deltas} deltas during 0.8 s of locking, not at the end`);
  });

  it('traces 1000 threads', async () => {
    const run = start(`
import threading
ts = [threading.Thread(target=lambda: None, name="t%04d" % i) for i in range(1000)]
for t in ts: t.start()
for t in ts: t.join()
`);
    const s = await summaryOf(run.host.outcome);
    assert.strictEqual(s.exitCode, 0);
    assert.strictEqual(s.threads.filter((t) => /^t\d{4}$/.test(t.name)).length, 1000);
    assert.ok(s.threads.every((t) => t.endNs !== null));
    assert.strictEqual(s.records.dropped, 0);
  });

  it('fails clearly when the interpreter does not exist', async () => {
    const request = makeRunRequest(layout, { python: '/nonexistent/python3', script: script('x.py', 'print(1)\n') });
    const o = await new RunHost(request, layout.workerScript).outcome;
    assert.strictEqual(o.ok, false);
    assert.match(!o.ok ? o.message : '', /Python interpreter not found: "\/nonexistent\/python3"/);
  });
});
