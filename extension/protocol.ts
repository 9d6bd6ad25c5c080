/**
 * Every message exchanged between the worker host, the extension host (or the CLI) and the
 * timeline webview. Discriminated unions on `type`; nothing else defines message shapes.
 * This file is imported by Node code and by the browser bundle: it must stay free of imports.
 */

// ---------------------------------------------------------------------------------------------
// The lifecycle model as it travels: upserts of entities plus append-only columns of spans.
// Times are ns since the run's T0 (CLOCK_MONOTONIC). Entities are keyed by `uid`s assigned by the
// worker host, unique within a run (Python thread idents are reused; pids can be too).

export type StartMethod = 'root' | 'fork' | 'spawn' | 'forkserver' | 'subprocess' | 'exec';

export interface ProcessInfo {
  uid: number;
  pid: number;
  ppid: number;
  /** uid of the parent process in this run, or -1 for the root. */
  parentUid: number;
  name: string;
  startMethod: StartMethod;
  python: string;
  argv: string[];
  startNs: number;
  endNs: number | null;
  exitCode: number | null;
  signal: string | null;
}

export interface ThreadInfo {
  uid: number;
  processUid: number;
  pid: number;
  /** Python's threading ident (not unique over time) and the OS thread id. */
  ident: number;
  nativeId: number;
  name: string;
  daemon: boolean;
  isMain: boolean;
  startNs: number;
  endNs: number | null;
}

export type ObjectKind = string; // the Python class name: Lock, RLock, Semaphore, Queue, ...

export interface ObjectInfo {
  uid: number;
  processUid: number;
  kind: ObjectKind;
  /** A readable label: the variable-ish name if known, else the creation site. */
  label: string;
  file: string | null;
  line: number | null;
}

export interface SiteInfo {
  uid: number;
  file: string;
  line: number;
  func: string;
}

/** Thread states drawn on the timeline (index = value). */
export const ThreadState = {
  Running: 0,
  Blocked: 1, // waiting to acquire a lock/semaphore
  Waiting: 2, // condition, event, queue, barrier, join, result, pipe
  Sleeping: 3,
} as const;
export type ThreadStateValue = (typeof ThreadState)[keyof typeof ThreadState];

/** Closed state spans of threads, appended since the previous delta (columns of equal length). */
export interface SpanColumns {
  thread: number[]; // thread uid
  state: number[]; // ThreadStateValue
  startNs: number[];
  endNs: number[];
  obj: number[]; // object uid or -1
  site: number[]; // site uid or -1
  waitKind: number[]; // traceSchema WaitKind or 0
}

/** Closed hold spans of locks/semaphores (full mode: every hold; smart mode: contended ones). */
export interface HoldColumns {
  obj: number[];
  thread: number[];
  startNs: number[];
  endNs: number[];
}

export type FlowKind = 'release-acquire' | 'notify-wake' | 'put-get' | 'spawn' | 'set-wake';
export interface Flow {
  kind: FlowKind;
  fromThread: number;
  fromNs: number;
  toThread: number;
  toNs: number;
  obj: number;
}

export type InstantKind =
  | 'notify'
  | 'set'
  | 'clear'
  | 'put'
  | 'get'
  | 'submit'
  | 'task-start'
  | 'task-end'
  | 'exception';
export interface Instant {
  kind: InstantKind;
  thread: number;
  obj: number;
  tNs: number;
  /** For put/get: queue length after; for exceptions: the message. */
  detail?: string;
}

/** A value of an object over time: semaphore count, queue length, event state (0/1). */
export interface CounterPoint {
  obj: number;
  tNs: number;
  value: number;
}

export interface OpenState {
  thread: number;
  state: ThreadStateValue;
  sinceNs: number;
  obj: number;
  site: number;
  waitKind: number;
}

/** A hold that has not ended yet: `thread` holds `obj` since `sinceNs` (drawn up to now). */
export interface OpenHold {
  obj: number;
  thread: number;
  sinceNs: number;
}

export interface ObjectStats {
  obj: number;
  acquisitions: number;
  contended: number;
  totalWaitNs: number;
  maxWaitNs: number;
}

export interface Deadlock {
  /** Thread uids and object uids in cycle order: thread[i] waits for obj[i], held by thread[i+1]. */
  threads: number[];
  objects: number[];
  detectedNs: number;
}

export interface RecordCounts {
  total: number;
  malformed: number;
  dropped: number;
}

/** One batch of model changes. Posted at most 60 times a second. */
export interface ModelDelta {
  nowNs: number;
  processes: ProcessInfo[];
  threads: ThreadInfo[];
  objects: ObjectInfo[];
  sites: SiteInfo[];
  spans: SpanColumns;
  holds: HoldColumns;
  flows: Flow[];
  instants: Instant[];
  counters: CounterPoint[];
  /** Replaces the previous open states entirely. */
  open: OpenState[];
  /** Replaces the previous open holds entirely (a deadlock's locks are held until the end). */
  openHolds: OpenHold[];
  /** Replaces the previous statistics of the objects listed. */
  stats: ObjectStats[];
  deadlocks: Deadlock[];
  stalled: boolean;
  records: RecordCounts;
}

/** One row of the performance recipe's table: a job run sequentially, with threads, with processes. */
export interface SpeedupRow {
  job: string;
  sequentialS: number;
  threadsS: number;
  processesS: number;
  speedupThreads: number;
  speedupProcesses: number;
}

// ---------------------------------------------------------------------------------------------
// Summary of a finished run (CLI --summary, tests, the webview's status).

export interface ThreadSummary {
  pid: number;
  tid: number;
  name: string;
  startNs: number;
  endNs: number | null;
  stateMs: { running: number; blocked: number; waiting: number; sleeping: number };
}
export interface ProcessSummary {
  pid: number;
  ppid: number;
  name: string;
  startMethod: StartMethod;
  exitCode: number | null;
  signal: string | null;
}
export interface ObjectSummary {
  id: number;
  kind: string;
  pid: number;
  name: string;
  acquisitions: number;
  contended: number;
  maxWaitMs: number;
  totalWaitMs: number;
}
export interface RunSummary {
  exitCode: number | null;
  signal: string | null;
  durationMs: number;
  python: string;
  processes: ProcessSummary[];
  threads: ThreadSummary[];
  objects: ObjectSummary[];
  deadlocks: { threads: string[]; objects: string[] }[];
  stalls: number;
  records: RecordCounts;
  stopped: boolean;
  outputTruncated: boolean;
  /** How late the view was: event time of the oldest record in a delta -> delta posted, in ms. */
  liveLagMs: { p50: number; p99: number; deltas: number; hostP99: number };
}

// ---------------------------------------------------------------------------------------------
// Worker host <-> its owner (extension host or CLI), over worker_threads postMessage.

export type TraceMode = 'smart' | 'full';

export interface RunRequest {
  /** Python executable to run. */
  python: string;
  /** Arguments after the interpreter: the script and its arguments. */
  args: string[];
  cwd: string;
  /** Folder holding sitecustomize.py and the pcb_tracer package. */
  tracerDir: string;
  mode: TraceMode;
  /** Extra environment for the program. */
  env?: Record<string, string>;
  /** Give up and stop after this many seconds (0 = never). */
  timeoutSec: number;
  stopOnDeadlock: boolean;
  /** Output bytes forwarded before the rest is dropped with a notice. */
  maxOutputBytes: number;
}

export type HostToOwner =
  | { type: 'started'; pid: number; t0Ns: number; /** PCB_RUN_ID: every process of the run carries it in its environment. */ runId: string }
  | { type: 'output'; stream: 'stdout' | 'stderr'; data: string }
  | { type: 'delta'; delta: ModelDelta }
  | { type: 'notice'; message: string }
  | { type: 'speedups'; rows: SpeedupRow[] }
  | { type: 'finished'; summary: RunSummary }
  | { type: 'failed'; message: string };

export type OwnerToHost =
  | { type: 'stdin'; data: string }
  | { type: 'stdinEnd' }
  | { type: 'stop'; reason: string };

// ---------------------------------------------------------------------------------------------
// Extension host <-> timeline webview.

export interface RunHeader {
  runId: string;
  title: string;
  /** "What to look for" text of a recipe, or empty for a user's file. */
  lookFor: string;
  python: string;
  command: string;
  /** Whether the view starts following the live end of the run (setting parallelCookbook.followLive). */
  followLive?: boolean;
}

export type RunStatus =
  | { state: 'running' }
  | { state: 'finished'; exitCode: number | null; signal: string | null; stopped: boolean }
  | { state: 'failed'; message: string };

export type ExtensionToWebview =
  | { type: 'reset'; header: RunHeader }
  | { type: 'delta'; delta: ModelDelta }
  | { type: 'status'; status: RunStatus; summary: RunSummary | null }
  | { type: 'notice'; message: string }
  /** A recipe's measured speed-ups (the performance recipe prints them), charted in the Summary tab. */
  | { type: 'speedups'; rows: SpeedupRow[] };

export type WebviewToExtension =
  | { type: 'ready' }
  | { type: 'stop' }
  | { type: 'openSource'; file: string; line: number };

/** Messages from a webview are untrusted: check their shape before acting on them. */
export function parseWebviewMessage(value: unknown): WebviewToExtension | null {
  if (typeof value !== 'object' || value === null) return null;
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'stop':
      return { type: 'stop' };
    case 'openSource':
      if (
        typeof m.file === 'string' &&
        m.file.length > 0 &&
        m.file.length < 4096 &&
        typeof m.line === 'number' &&
        Number.isInteger(m.line) &&
        m.line >= 1
      ) {
        return { type: 'openSource', file: m.file, line: m.line };
      }
      return null;
    default:
      return null;
  }
}

export function emptyDelta(nowNs: number): ModelDelta {
  return {
    nowNs,
    processes: [],
    threads: [],
    objects: [],
    sites: [],
    spans: { thread: [], state: [], startNs: [], endNs: [], obj: [], site: [], waitKind: [] },
    holds: { obj: [], thread: [], startNs: [], endNs: [] },
    flows: [],
    instants: [],
    counters: [],
    open: [],
    openHolds: [],
    stats: [],
    deadlocks: [],
    stalled: false,
    records: { total: 0, malformed: 0, dropped: 0 },
  };
}
