/** Export to the Chrome Trace Event format, from a real traced run, validated and re-read. */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ChromeTrace } from '../../extension/host/chromeTrace';
import { validateChromeTrace } from '../support/chromeTraceFormat';
import { defaultPython } from '../pythonVersions';

const root = path.resolve(__dirname, '..', '..', '..');

describe('Chrome Trace export', function () {
  this.timeout(60000);

  it('writes a valid trace of threads, processes and waits that re-reads with names', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pcb-export-'));
    const script = path.join(dir, 'prog.py');
    fs.writeFileSync(
      script,
      `import multiprocessing as mp, threading, time
lock = threading.Lock()
def hold(n):
    with lock:
        time.sleep(0.05)
def child():
    time.sleep(0.01)
if __name__ == "__main__":
    ts = [threading.Thread(target=hold, args=(i,), name="holder-%d" % i) for i in range(2)]
    for t in ts: t.start()
    for t in ts: t.join()
    p = mp.Process(target=child, name="kid")
    p.start(); p.join()
`,
    );
    const out = path.join(dir, 'trace.json');
    const r = spawnSync(process.execPath, [path.join(root, 'dist', 'cli.js'), 'trace', '--python', defaultPython(), '--chrome-trace', out, '--', script], {
      encoding: 'utf8',
      timeout: 60000,
    });
    assert.strictEqual(r.status, 0, r.stderr);
    const trace = JSON.parse(fs.readFileSync(out, 'utf8')) as ChromeTrace;
    assert.deepStrictEqual(validateChromeTrace(trace), []);
    const threadNames = trace.traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => e.args!.name);
    for (const name of ['MainThread', 'holder-0', 'holder-1']) assert.ok(threadNames.includes(name), `thread ${name} is named`);
    const processNames = trace.traceEvents.filter((e) => e.ph === 'M' && e.name === 'process_name');
    assert.strictEqual(new Set(processNames.map((e) => e.pid)).size, 2, 'the parent and the child process are both named');
    // Every thread track that has events has a name.
    const named = new Set(trace.traceEvents.filter((e) => e.ph === 'M').map((e) => `${e.pid}/${e.tid}`));
    for (const e of trace.traceEvents) if (e.ph === 'X') assert.ok(named.has(`${e.pid}/${e.tid}`), `track ${e.pid}/${e.tid} is named`);
    assert.ok(trace.traceEvents.some((e) => e.ph === 'X' && e.cat === 'running'), 'running spans are exported');
    assert.ok(trace.traceEvents.some((e) => e.ph === 's') && trace.traceEvents.some((e) => e.ph === 'f'), 'flows are exported');
  });

  it('the validator catches what breaks a trace', () => {
    const bad: ChromeTrace = {
      displayTimeUnit: 'ms',
      otherData: {},
      traceEvents: [
        { name: 'a', ph: 'B', ts: 1, pid: 1, tid: 1 },
        { name: 'b', ph: 'X', ts: 2, pid: 1, tid: 1 },
        { name: 'c', ph: 's', id: 7, ts: 3, pid: 1, tid: 1 },
        { name: 'd', ph: 'i', ts: -1, pid: 1, tid: 1 },
      ],
    };
    const problems = validateChromeTrace(bad);
    assert.ok(problems.some((p) => /unbalanced B/.test(p)));
    assert.ok(problems.some((p) => /bad dur/.test(p)));
    assert.ok(problems.some((p) => /flow 7 has no end/.test(p)));
    assert.ok(problems.some((p) => /bad ts/.test(p)));
  });
});
