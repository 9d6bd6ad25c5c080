/**
 * Small queries over one finished run (its RunRecording, merged from every delta, and its
 * RunSummary), for tests that check what a recipe teaches from the trace: threads and processes
 * by name, state spans, hold spans, flows, instants and counters of an object, and a few interval
 * helpers (overlap, maximum concurrency). Lookups that must find exactly one thing throw a
 * readable error naming what was there instead.
 */
import {
  Flow,
  FlowKind,
  Instant,
  InstantKind,
  ObjectInfo,
  ProcessInfo,
  RunSummary,
  StartMethod,
  ThreadInfo,
  ThreadStateValue,
} from '../../extension/protocol';
import { RunRecording } from '../../extension/host/runRecording';

export interface Interval {
  startNs: number;
  endNs: number;
}

export interface Span extends Interval {
  thread: number;
  state: ThreadStateValue;
  obj: number;
  site: number;
  waitKind: number;
}

export interface Hold extends Interval {
  obj: number;
  thread: number;
}

export interface CounterValue {
  tNs: number;
  value: number;
}

export interface SpanFilter {
  thread?: number;
  state?: ThreadStateValue;
  waitKind?: number;
  obj?: number;
}

export function ms(ns: number): string {
  return `${(ns / 1e6).toFixed(1)} ms`;
}

/** One run as the tests see it: the recording, the summary, the program's output and notices. */
export class Trace {
  readonly spans: Span[];
  readonly holds: Hold[];

  constructor(
    readonly rec: RunRecording,
    readonly summary: RunSummary,
    readonly output: string,
    readonly notices: string[],
  ) {
    const s = rec.spans;
    this.spans = s.thread
      .map((thread, i) => ({
        thread,
        state: s.state[i] as ThreadStateValue,
        startNs: s.startNs[i],
        endNs: s.endNs[i],
        obj: s.obj[i],
        site: s.site[i],
        waitKind: s.waitKind[i],
      }))
      .sort(byStart);
    const h = rec.holds;
    this.holds = h.obj.map((obj, i) => ({ obj, thread: h.thread[i], startNs: h.startNs[i], endNs: h.endNs[i] })).sort(byStart);
  }

  // ------------------------------------------------------------------ processes

  get processes(): ProcessInfo[] {
    return [...this.rec.processes.values()].sort(byStart);
  }

  /** The process the run started (the first image of it, if it exec'd). */
  get root(): ProcessInfo {
    const roots = this.processes.filter((p) => p.startMethod === 'root');
    if (roots.length !== 1) throw new Error(`expected one root process, found ${roots.length}: ${this.describeProcesses()}`);
    return roots[0];
  }

  /** The only process with this name. */
  process(name: string): ProcessInfo {
    const found = this.processes.filter((p) => p.name === name);
    if (found.length !== 1) throw new Error(`expected one process named ${name}, found ${found.length}: ${this.describeProcesses()}`);
    return found[0];
  }

  processesNamed(pattern: RegExp): ProcessInfo[] {
    return this.processes.filter((p) => pattern.test(p.name));
  }

  processesByStartMethod(method: StartMethod): ProcessInfo[] {
    return this.processes.filter((p) => p.startMethod === method);
  }

  childrenOf(p: ProcessInfo): ProcessInfo[] {
    return this.processes.filter((c) => c.parentUid === p.uid);
  }

  processOfThread(threadUid: number): ProcessInfo {
    const t = this.threadInfo(threadUid);
    const p = this.rec.processes.get(t.processUid);
    if (!p) throw new Error(`thread ${this.threadName(threadUid)} has no process`);
    return p;
  }

  describeProcesses(): string {
    return this.processes.map((p) => `${p.name} (pid ${p.pid}, ${p.startMethod})`).join(', ') || 'none';
  }

  // ------------------------------------------------------------------ threads

  get threads(): ThreadInfo[] {
    return [...this.rec.threads.values()].sort(byStart);
  }

  threadInfo(uid: number): ThreadInfo {
    const t = this.rec.threads.get(uid);
    if (!t) throw new Error(`no thread with uid ${uid}`);
    return t;
  }

  threadsOf(p: ProcessInfo): ThreadInfo[] {
    return this.threads.filter((t) => t.processUid === p.uid);
  }

  /** The only thread with this name (in process `p` when given). */
  thread(name: string, p?: ProcessInfo): ThreadInfo {
    const found = this.threads.filter((t) => t.name === name && (!p || t.processUid === p.uid));
    if (found.length !== 1) {
      throw new Error(`expected one thread named ${name}${p ? ` in ${p.name}` : ''}, found ${found.length}: ${this.describeThreads()}`);
    }
    return found[0];
  }

  mainThreadOf(p: ProcessInfo): ThreadInfo {
    const found = this.threadsOf(p).filter((t) => t.isMain);
    if (found.length !== 1) throw new Error(`process ${p.name} has ${found.length} main threads`);
    return found[0];
  }

  /** Names of the threads of `p` besides its main thread. */
  extraThreadNames(p: ProcessInfo): string[] {
    return this.threadsOf(p)
      .filter((t) => !t.isMain)
      .map((t) => t.name)
      .sort();
  }

  /** "process/thread", for failure messages. */
  threadName(uid: number): string {
    const t = this.rec.threads.get(uid);
    if (!t) return `thread#${uid}`;
    const p = this.rec.processes.get(t.processUid);
    return `${p ? p.name : '?'}/${t.name}`;
  }

  describeThreads(): string {
    return this.threads.map((t) => this.threadName(t.uid)).join(', ') || 'none';
  }

  // ------------------------------------------------------------------ objects

  get objects(): ObjectInfo[] {
    return [...this.rec.objects.values()];
  }

  objectsOfKind(kind: string): ObjectInfo[] {
    return this.objects.filter((o) => o.kind === kind);
  }

  /** The only object of this kind (whose label matches, when given). */
  object(kind: string, label?: RegExp): ObjectInfo {
    const found = this.objectsOfKind(kind).filter((o) => !label || label.test(o.label));
    if (found.length !== 1) {
      throw new Error(`expected one ${kind}${label ? ` labelled ${label}` : ''}, found ${found.length}: ${this.describeObjects()}`);
    }
    return found[0];
  }

  /** The object created at this line of the recipe (file name and line, as the tracer saw it). */
  objectAt(kind: string, file: string, line: number): ObjectInfo {
    const found = this.objectsOfKind(kind).filter((o) => o.line === line && o.file !== null && o.file.endsWith(file));
    if (found.length !== 1) {
      throw new Error(`expected one ${kind} created at ${file}:${line}, found ${found.length}: ${this.describeObjects()}`);
    }
    return found[0];
  }

  objectName(uid: number): string {
    const o = this.rec.objects.get(uid);
    return o ? `${o.kind} ${o.label}` : `object#${uid}`;
  }

  describeObjects(): string {
    return this.objects.map((o) => `${o.kind} ${o.label}`).join(', ') || 'none';
  }

  // ------------------------------------------------------------------ spans, holds, flows

  spansWhere(f: SpanFilter): Span[] {
    return this.spans.filter(
      (s) =>
        (f.thread === undefined || s.thread === f.thread) &&
        (f.state === undefined || s.state === f.state) &&
        (f.waitKind === undefined || s.waitKind === f.waitKind) &&
        (f.obj === undefined || s.obj === f.obj),
    );
  }

  /** Hold spans of an object (by one thread, when given), in start order. */
  holdsOf(obj: number, thread?: number): Hold[] {
    return this.holds.filter((h) => h.obj === obj && (thread === undefined || h.thread === thread));
  }

  flowsOf(kind: FlowKind, obj?: number): Flow[] {
    return this.rec.flows.filter((f) => f.kind === kind && (obj === undefined || f.obj === obj)).sort((a, b) => a.toNs - b.toNs);
  }

  instantsOf(kind: InstantKind, obj?: number): Instant[] {
    return this.rec.instants.filter((i) => i.kind === kind && (obj === undefined || i.obj === obj)).sort((a, b) => a.tNs - b.tNs);
  }

  /** Values of an object over time (semaphore count, queue length, event state), in time order. */
  countersOf(obj: number): CounterValue[] {
    return this.rec.counters
      .filter((c) => c.obj === obj)
      .map((c) => ({ tNs: c.tNs, value: c.value }))
      .sort((a, b) => a.tNs - b.tNs);
  }

  /** The object's value just before `tNs` (the last counter point at or before it), or null. */
  counterAt(obj: number, tNs: number): number | null {
    let v: number | null = null;
    for (const c of this.countersOf(obj)) if (c.tNs <= tNs) v = c.value;
    return v;
  }

  /** The spans as readable lines, for failure messages. */
  describeSpans(spans: readonly Span[]): string {
    return spans.map((s) => `${this.threadName(s.thread)} state ${s.state} kind ${s.waitKind} on ${this.objectName(s.obj)} ${ms(s.startNs)}..${ms(s.endNs)}`).join('\n');
  }

  describeHolds(holds: readonly Hold[]): string {
    return holds.map((h) => `${this.threadName(h.thread)} holds ${this.objectName(h.obj)} ${ms(h.startNs)}..${ms(h.endNs)}`).join('\n');
  }
}

// ------------------------------------------------------------------ intervals

function byStart<T extends { startNs: number }>(a: T, b: T): number {
  return a.startNs - b.startNs;
}

/** A process or thread as an interval; one still open counts as ending at `endNs` (the run's end). */
export function lifetime(x: { startNs: number; endNs: number | null }, runEndNs: number): Interval {
  return { startNs: x.startNs, endNs: x.endNs ?? runEndNs };
}

/** Whether the two intervals share some time (touching ends do not count). */
export function overlaps(a: Interval, b: Interval): boolean {
  return a.startNs < b.endNs && b.startNs < a.endNs;
}

/** Whether all the intervals share one instant (the latest start is before the earliest end). */
export function allOverlap(intervals: readonly Interval[]): boolean {
  if (intervals.length === 0) return false;
  return Math.max(...intervals.map((i) => i.startNs)) < Math.min(...intervals.map((i) => i.endNs));
}

/** Pairs (a from `as`, b from `bs`) that overlap in time. */
export function overlappingPairs<A extends Interval, B extends Interval>(as: readonly A[], bs: readonly B[]): [A, B][] {
  const out: [A, B][] = [];
  const sorted = [...bs].sort(byStart);
  for (const a of as) {
    for (const b of sorted) {
      if (b.startNs >= a.endNs) break;
      if (overlaps(a, b)) out.push([a, b]);
    }
  }
  return out;
}

/** Overlapping pairs within one list (each pair once). */
export function selfOverlaps<T extends Interval>(items: readonly T[]): [T, T][] {
  const sorted = [...items].sort(byStart);
  const out: [T, T][] = [];
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length && sorted[j].startNs < sorted[i].endNs; j++) {
      if (overlaps(sorted[i], sorted[j])) out.push([sorted[i], sorted[j]]);
    }
  }
  return out;
}

/** The largest number of intervals open at one instant. */
export function maxConcurrent(intervals: readonly Interval[]): number {
  const events: [number, number][] = [];
  for (const i of intervals) {
    if (i.endNs <= i.startNs) continue;
    events.push([i.startNs, 1], [i.endNs, -1]);
  }
  // Ends before starts at the same instant: touching intervals are not concurrent.
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let max = 0;
  for (const [, d] of events) {
    open += d;
    if (open > max) max = open;
  }
  return max;
}

/** Whether `inner` lies within `outer` (with `slackNs` of tolerance at both ends). */
export function within(inner: Interval, outer: Interval, slackNs = 0): boolean {
  return inner.startNs >= outer.startNs - slackNs && inner.endNs <= outer.endNs + slackNs;
}

/** Whether `tNs` falls inside the interval (ends included, with `slackNs` of tolerance). */
export function contains(i: Interval, tNs: number, slackNs = 0): boolean {
  return tNs >= i.startNs - slackNs && tNs <= i.endNs + slackNs;
}

/**
 * Task runs of a pool or executor from its task-start/task-end instants: each start is matched
 * with the next end of the same task id in the same thread. Unmatched starts are returned too
 * (with endNs NaN) so a test can see them.
 */
export interface TaskRun extends Interval {
  thread: number;
  taskId: string;
}
export function taskRuns(trace: Trace, obj?: number): TaskRun[] {
  const starts = trace.instantsOf('task-start', obj);
  const ends = trace.instantsOf('task-end', obj);
  const used = new Set<number>();
  return starts.map((s) => {
    const i = ends.findIndex((e, k) => !used.has(k) && e.thread === s.thread && e.detail === s.detail && e.tNs >= s.tNs);
    if (i >= 0) used.add(i);
    return { thread: s.thread, taskId: s.detail ?? '', startNs: s.tNs, endNs: i >= 0 ? ends[i].tNs : NaN };
  });
}
