/** Builders of protocol values for the webview unit tests (and the browser harness). */
import type { ModelDelta, ObjectInfo, ProcessInfo, StartMethod, ThreadInfo } from '../../extension/protocol';
import { emptyDelta } from '../../extension/protocol';

export function proc(uid: number, parentUid: number, over: Partial<ProcessInfo> = {}): ProcessInfo {
  return {
    uid,
    pid: 1000 + uid,
    ppid: parentUid >= 0 ? 1000 + parentUid : 1,
    parentUid,
    name: uid === 0 ? 'MainProcess' : `Process-${uid}`,
    startMethod: (parentUid < 0 ? 'root' : 'fork') as StartMethod,
    python: '3.12.1',
    argv: ['python', 'prog.py'],
    startNs: uid * 1000,
    endNs: null,
    exitCode: null,
    signal: null,
    ...over,
  };
}

export function thread(uid: number, processUid: number, over: Partial<ThreadInfo> = {}): ThreadInfo {
  return {
    uid,
    processUid,
    pid: 1000 + processUid,
    ident: 140000 + uid,
    nativeId: 5000 + uid,
    name: `Thread-${uid}`,
    daemon: false,
    isMain: false,
    startNs: uid * 100,
    endNs: null,
    ...over,
  };
}

export function obj(uid: number, processUid: number, kind = 'Lock', label = `lock${uid}`): ObjectInfo {
  return { uid, processUid, kind, label, file: '/work/prog.py', line: 10 + uid };
}

export function delta(over: Partial<ModelDelta> = {}): ModelDelta {
  return { ...emptyDelta(0), ...over };
}

/** Span columns from [thread, state, start, end, obj?, site?] tuples. */
export function spans(rows: [number, number, number, number, number?, number?][]): ModelDelta['spans'] {
  return {
    thread: rows.map((r) => r[0]),
    state: rows.map((r) => r[1]),
    startNs: rows.map((r) => r[2]),
    endNs: rows.map((r) => r[3]),
    obj: rows.map((r) => r[4] ?? -1),
    site: rows.map((r) => r[5] ?? -1),
    waitKind: rows.map(() => 0),
  };
}

/** Deterministic PRNG (mulberry32) so random tests are reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
