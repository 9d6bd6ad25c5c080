/** Texts: durations, run status, deadlock sentence, screen reader summary, persisted state. */
import * as assert from 'assert';
import { describeState, formatCount, formatDuration, recordsText, statusText } from '../../webview/format';
import { parseState, defaultState } from '../../webview/persist';
import { TimelineStore } from '../../webview/model/store';
import { deadlockText, objectRows, runSummarySentences, threadRows } from '../../webview/summaryText';
import { delta, obj, proc, spans, thread } from './webviewFixtures';

describe('webview texts', () => {
  it('formats durations with three significant digits and a fitting unit', () => {
    assert.strictEqual(formatDuration(950), '950 ns');
    assert.strictEqual(formatDuration(12_500), '12.5 µs');
    assert.strictEqual(formatDuration(3_200_000), '3.2 ms');
    assert.strictEqual(formatDuration(1_500_000_000), '1.5 s');
    assert.strictEqual(formatDuration(125e9), '2 min 5.0 s');
  });

  it('says "exit code N" for a finished run, and why it ended', () => {
    assert.strictEqual(statusText({ state: 'finished', exitCode: 0, signal: null, stopped: false }), 'Finished — exit code 0');
    assert.strictEqual(statusText({ state: 'finished', exitCode: -15, signal: 'SIGTERM', stopped: true }), 'Stopped — exit code -15, killed by SIGTERM');
    assert.strictEqual(statusText({ state: 'running' }), 'Running…');
    assert.strictEqual(statusText({ state: 'failed', message: 'no python' }), 'Failed — no python');
    assert.strictEqual(statusText(null), 'Starting…');
  });

  it('groups thousands without Intl', () => {
    assert.strictEqual(formatCount(0), '0');
    assert.strictEqual(formatCount(999), '999');
    assert.strictEqual(formatCount(1000), '1,000');
    assert.strictEqual(formatCount(1234567.4), '1,234,567');
    assert.strictEqual(formatCount(-12345), '-12,345');
  });

  it('mentions dropped and malformed records only when there are some', () => {
    assert.strictEqual(recordsText({ total: 1234, malformed: 0, dropped: 0 }), '1,234 records');
    assert.strictEqual(recordsText({ total: 10, malformed: 1, dropped: 2 }), '10 records · 2 dropped · 1 malformed');
  });

  it('describes states with their object and wait kind', () => {
    assert.strictEqual(describeState(0, 'Lock a', 1), 'running');
    assert.strictEqual(describeState(1, 'Lock a', 1), 'blocked on Lock a (acquire)');
    assert.strictEqual(describeState(2, 'Queue q', 4), 'waiting on Queue q (queue get)');
    assert.strictEqual(describeState(3, '', 8), 'sleeping');
  });

  it('names a deadlock cycle: who waits for what, held by whom', () => {
    const names: Record<number, string> = { 1: 'T1', 2: 'T2' };
    const labels: Record<number, string> = { 10: 'Lock a', 11: 'Lock b' };
    assert.strictEqual(
      deadlockText({ threads: [1, 2], objects: [10, 11], detectedNs: 0 }, (u) => names[u], (u) => labels[u]),
      'Deadlock: T1 waits for Lock a held by T2, T2 waits for Lock b held by T1.',
    );
  });

  it('summarises threads and objects, most contended first, in words too', () => {
    const s = new TimelineStore();
    s.reset({ runId: 'r', title: 'Lock contention', lookFor: '', python: '', command: '' });
    s.apply(
      delta({
        nowNs: 1000,
        processes: [proc(0, -1, { endNs: 1000, exitCode: 0 })],
        threads: [thread(1, 0, { name: 'MainThread', isMain: true }), thread(2, 0, { name: 'worker' })],
        objects: [obj(5, 0, 'Lock', 'a'), obj(6, 0, 'Lock', 'b')],
        spans: spans([
          [1, 0, 0, 1000],
          [2, 1, 0, 750],
          [2, 0, 750, 1000],
        ]),
        stats: [
          { obj: 5, acquisitions: 3, contended: 0, totalWaitNs: 0, maxWaitNs: 0 },
          { obj: 6, acquisitions: 4, contended: 2, totalWaitNs: 750, maxWaitNs: 500 },
        ],
        records: { total: 42, malformed: 0, dropped: 0 },
      }),
    );
    const threads = threadRows(s);
    assert.deepStrictEqual(threads.map((t) => t.name), ['MainThread', 'worker']);
    assert.deepStrictEqual(threads[1].ns, [250, 750, 0, 0]);
    assert.deepStrictEqual(objectRows(s).map((o) => o.label), ['b', 'a']);
    const text = runSummarySentences(s, { state: 'finished', exitCode: 0, signal: null, stopped: false }).join('\n');
    assert.match(text, /Lock contention: Finished — exit code 0\. 42 records\./);
    assert.match(text, /Thread worker: running 250 ns \(25%\), blocked 750 ns \(75%\)/);
    assert.match(text, /Lock b: 4 acquisitions, 2 contended, total wait 750 ns, max wait 500 ns/);
  });

  it('reads persisted state defensively', () => {
    assert.deepStrictEqual(parseState(undefined), defaultState());
    assert.deepStrictEqual(parseState({ v: 2, runId: 'x' }), defaultState());
    const s = parseState({
      v: 1,
      runId: 'r1',
      view: { t0: 5, t1: 1 },
      follow: 'tail',
      collapsed: ['p:1', 3],
      tab: 'summary',
      status: { state: 'finished', exitCode: 3, signal: null, stopped: false },
      scrollTop: -4,
    });
    assert.strictEqual(s.runId, 'r1');
    assert.strictEqual(s.view, null);
    assert.strictEqual(s.follow, 'tail');
    assert.deepStrictEqual(s.collapsed, ['p:1']);
    assert.strictEqual(s.tab, 'summary');
    assert.deepStrictEqual(s.status, { state: 'finished', exitCode: 3, signal: null, stopped: false });
    assert.strictEqual(s.scrollTop, 0);
  });
});
