/**
 * A small, fully known run for the browser test: two processes (the child started by fork),
 * named threads, two locks, a semaphore, a queue and an event, with spans, holds, counters,
 * instants, flows, sites and statistics. Times are ns.
 */
import type { ModelDelta, RunHeader, RunStatus } from '../../extension/protocol';
import { emptyDelta } from '../../extension/protocol';

export const MS = 1e6;

export const header: RunHeader = {
  runId: 'run-synthetic-1',
  title: 'Locks and a worker process',
  lookFor: 'worker-1 waits (red) while worker-2 holds lock a.',
  python: '3.12.1',
  command: 'python3 recipes/locks.py',
};

/** The span the tooltip and "Go to source" tests point at. */
export const KNOWN = {
  thread: 11,
  threadName: 'worker-1',
  startNs: 20 * MS,
  endNs: 40 * MS,
  file: '/work/recipes/locks.py',
  line: 17,
  objectLabel: 'Lock a',
};

export const THREAD_NAMES = ['MainThread', 'worker-1', 'worker-2', 'MainThread', 'consumer'];

export function syntheticDeltas(): ModelDelta[] {
  const d1 = emptyDelta(50 * MS);
  d1.processes = [
    {
      uid: 0,
      pid: 4100,
      ppid: 1,
      parentUid: -1,
      name: 'MainProcess',
      startMethod: 'root',
      python: '3.12.1',
      argv: ['python3', 'locks.py'],
      startNs: 0,
      endNs: null,
      exitCode: null,
      signal: null,
    },
    {
      uid: 1,
      pid: 4107,
      ppid: 4100,
      parentUid: 0,
      name: 'Process-1',
      startMethod: 'fork',
      python: '3.12.1',
      argv: ['python3', 'locks.py'],
      startNs: 5 * MS,
      endNs: null,
      exitCode: null,
      signal: null,
    },
  ];
  const th = (uid: number, processUid: number, name: string, isMain: boolean, startNs: number) => ({
    uid,
    processUid,
    pid: processUid === 0 ? 4100 : 4107,
    ident: 139000 + uid,
    nativeId: 4100 + uid,
    name,
    daemon: false,
    isMain,
    startNs,
    endNs: null as number | null,
  });
  d1.threads = [th(10, 0, 'MainThread', true, 0), th(11, 0, 'worker-1', false, 2 * MS), th(12, 0, 'worker-2', false, 3 * MS), th(20, 1, 'MainThread', true, 5 * MS), th(21, 1, 'consumer', false, 6 * MS)];
  d1.objects = [
    { uid: 100, processUid: 0, kind: 'Lock', label: 'a', file: KNOWN.file, line: 5 },
    { uid: 101, processUid: 0, kind: 'Lock', label: 'b', file: KNOWN.file, line: 6 },
    { uid: 102, processUid: 0, kind: 'Semaphore', label: 'slots', file: KNOWN.file, line: 7 },
    { uid: 103, processUid: 1, kind: 'Queue', label: 'jobs', file: KNOWN.file, line: 8 },
    { uid: 104, processUid: 1, kind: 'Event', label: 'ready', file: KNOWN.file, line: 9 },
  ];
  d1.sites = [
    { uid: 1, file: KNOWN.file, line: KNOWN.line, func: 'work' },
    { uid: 2, file: KNOWN.file, line: 30, func: 'consume' },
  ];
  const sp = d1.spans;
  const add = (thread: number, state: number, s: number, e: number, obj = -1, site = -1, waitKind = 0) => {
    sp.thread.push(thread);
    sp.state.push(state);
    sp.startNs.push(s * MS);
    sp.endNs.push(e * MS);
    sp.obj.push(obj);
    sp.site.push(site);
    sp.waitKind.push(waitKind);
  };
  add(10, 0, 0, 10);
  add(10, 2, 10, 45, -1, -1, 6); // join
  add(11, 0, 2, 20);
  add(11, 1, 20, 40, 100, 1, 1); // the KNOWN span: blocked on Lock a
  add(11, 0, 40, 48);
  add(12, 0, 3, 12);
  add(12, 3, 12, 18, -1, -1, 8);
  add(12, 0, 18, 42);
  add(20, 0, 5, 15);
  add(20, 2, 15, 30, 104, -1, 3);
  add(20, 0, 30, 50);
  add(21, 2, 6, 25, 103, 2, 4);
  add(21, 0, 25, 35);
  add(21, 2, 35, 50, 103, 2, 4);
  d1.holds = { obj: [100, 100, 101], thread: [12, 11, 12], startNs: [18 * MS, 40 * MS, 20 * MS], endNs: [40 * MS, 46 * MS, 30 * MS] };
  d1.counters = [
    { obj: 102, tNs: 0, value: 2 },
    { obj: 102, tNs: 10 * MS, value: 1 },
    { obj: 102, tNs: 20 * MS, value: 0 },
    { obj: 102, tNs: 35 * MS, value: 2 },
    { obj: 103, tNs: 6 * MS, value: 0 },
    { obj: 103, tNs: 20 * MS, value: 3 },
    { obj: 103, tNs: 25 * MS, value: 2 },
    { obj: 104, tNs: 5 * MS, value: 0 },
    { obj: 104, tNs: 30 * MS, value: 1 },
  ];
  d1.instants = [
    { kind: 'put', thread: 20, obj: 103, tNs: 20 * MS, detail: '3' },
    { kind: 'set', thread: 10, obj: 104, tNs: 30 * MS },
    { kind: 'exception', thread: 21, obj: -1, tNs: 36 * MS, detail: 'ValueError: bad item' },
  ];
  d1.flows = [
    { kind: 'release-acquire', fromThread: 12, fromNs: 40 * MS, toThread: 11, toNs: 40 * MS, obj: 100 },
    { kind: 'put-get', fromThread: 20, fromNs: 20 * MS, toThread: 21, toNs: 25 * MS, obj: 103 },
    { kind: 'spawn', fromThread: 10, fromNs: 5 * MS, toThread: 20, toNs: 5 * MS, obj: -1 },
  ];
  d1.open = [
    { thread: 10, state: 0, sinceNs: 45 * MS, obj: -1, site: -1, waitKind: 0 },
    { thread: 12, state: 0, sinceNs: 42 * MS, obj: -1, site: -1, waitKind: 0 },
  ];
  d1.stats = [
    { obj: 100, acquisitions: 12, contended: 3, totalWaitNs: 20 * MS, maxWaitNs: 20 * MS },
    { obj: 101, acquisitions: 4, contended: 0, totalWaitNs: 0, maxWaitNs: 0 },
  ];
  d1.records = { total: 1234, malformed: 0, dropped: 0 };

  // The second delta ends the child process and worker-1.
  const d2 = emptyDelta(60 * MS);
  d2.processes = [{ ...d1.processes[1], endNs: 52 * MS, exitCode: 0 }];
  d2.threads = [{ ...d1.threads[1], endNs: 48 * MS }];
  const sp2 = d2.spans;
  sp2.thread.push(12);
  sp2.state.push(0);
  sp2.startNs.push(42 * MS);
  sp2.endNs.push(55 * MS);
  sp2.obj.push(-1);
  sp2.site.push(-1);
  sp2.waitKind.push(0);
  d2.open = [{ thread: 10, state: 0, sinceNs: 45 * MS, obj: -1, site: -1, waitKind: 0 }];
  d2.records = { total: 2345, malformed: 0, dropped: 7 };
  return [d1, d2];
}

export const finished: RunStatus = { state: 'finished', exitCode: 0, signal: null, stopped: false };

/** A deadlock delta: worker-1 waits for Lock b held by worker-2, which waits for Lock a. */
export function deadlockDelta(): ModelDelta {
  const d = emptyDelta(70 * MS);
  d.open = [
    { thread: 11, state: 1, sinceNs: 60 * MS, obj: 101, site: 1, waitKind: 1 },
    { thread: 12, state: 1, sinceNs: 61 * MS, obj: 100, site: 1, waitKind: 1 },
  ];
  d.threads = [];
  d.deadlocks = [{ threads: [11, 12], objects: [101, 100], detectedNs: 65 * MS }];
  // Neither lock is ever released again: their holds stay open.
  d.openHolds = [
    { obj: 100, thread: 11, sinceNs: 50 * MS },
    { obj: 101, thread: 12, sinceNs: 52 * MS },
  ];
  d.records = { total: 2400, malformed: 0, dropped: 7 };
  return d;
}
