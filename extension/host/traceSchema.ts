/**
 * The trace record schema: what the Python tracer (extension/tracer/) writes and the worker host
 * reads. This file is the single documented definition; the tracer mirrors the numbers in
 * extension/tracer/pcb_tracer/schema.py and a unit test checks that both agree.
 *
 * SCHEMA_VERSION 2 (2 added Hold)
 *
 * ## Transport
 * Every traced Python process opens its own connection to the AF_UNIX stream socket named by the
 * environment variable PCB_SOCKET (inside a 0700 directory made for the run, so only the user can
 * connect). EOF on a connection means that process is gone (even after SIGKILL). Timestamps are
 * nanoseconds since PCB_T0, both read from CLOCK_MONOTONIC, so they compare across processes.
 *
 * ## Framing: a stream of records of two shapes, little-endian
 * Fixed record, 24 bytes:
 *   off 0  u8   type     one of RecordType below (1..126)
 *   off 1  u8   flags    type-specific small value (wait kind, result, ...)
 *   off 2  u16  thread   thread index inside the process (assigned by the tracer; 0 = main thread)
 *   off 4  u32  obj      object id inside the process (0 = none)
 *   off 8  f64  t        ns since PCB_T0
 *   off 16 i32  a        type-specific
 *   off 20 i32  b        type-specific (Hold: f32, see there)
 * Meta record, 8-byte header + JSON:
 *   off 0  u8   type = RecordType.Meta (127)
 *   off 1  u8[3] zero
 *   off 4  u32  n        byte length of the JSON that follows (at most MAX_META_BYTES)
 *   off 8  n bytes UTF-8 JSON object whose "m" field names the MetaKind.
 * A byte stream that does not fit these shapes is malformed: the host counts it and drops the
 * rest of that connection (it cannot resynchronise safely), never the run.
 */

export const SCHEMA_VERSION = 2;
export const FIXED_RECORD_BYTES = 24;
export const META_HEADER_BYTES = 8;
export const MAX_META_BYTES = 1 << 20;

/** Fixed record types. Field use per type is in the comment; unused fields are 0. */
export const RecordType = {
  /**
   * Process exits normally (atexit or multiprocessing bootstrap end). a = exit code.
   * (addition) flags = 1 when the tracer does not know the code (a = 0 then): a bare
   * `raise SystemExit(n)` at top level is invisible to Python code; prefer the parent's ChildExit
   * (or the host's own waitpid for the root). os._exit(n), sys.exit(n), an unhandled exception (1)
   * and multiprocessing children give flags = 0.
   */
  ProcessExit: 1,
  /** A thread starts running. thread = its index; a = index of the thread that started it. */
  ThreadStart: 2,
  /** A thread's run() returns or raises. flags = 1 when it ended by an exception. */
  ThreadExit: 3,
  /**
   * A wait begins. flags = WaitKind; obj = the object waited on (0 for sleep/join);
   * a = site id (source line, declared by a "site" meta); b = for Lock/RLock/Semaphore the
   * holder's thread index + 1 when known cheaply (0 = unknown); for Join the joined thread's
   * index + 1; for Sleep the requested duration in microseconds (clamped to i32).
   * (additions) Join on Process.join: obj 0, b = -(child pid). Join on a queue (queue.Queue.join,
   * JoinableQueue.join, waiting for task_done): obj = the queue, b = 0. Result: obj = the pool or
   * executor, b = the task id waited for when known (Pool job id, executor task id), else 0.
   * multiprocessing locks held by another process: b = 0 (their Acquire/Release records, which
   * the tracer writes in both modes for cross-process locks, tell the holder).
   */
  WaitBegin: 4,
  /** The wait ends. flags = WaitResult. obj as in WaitBegin. */
  WaitEnd: 5,
  /**
   * Uncontended acquire (full mode only: an explicit acquire(); a `with` block is one Hold). obj; a = site id.
   * Cross-process locks (multiprocessing locks, Manager Lock/RLock proxies) write it in both modes.
   * (addition) flags = 1: a re-entrant acquire of an RLock the thread already holds: it counts
   * as an acquisition and changes no hold (only the outermost acquire/release make the span).
   * (version 2) flags = 2: a `with` hold of a Lock (full mode) that has lasted a flusher tick
   * and not ended, published by the flusher so the view shows it now; t = when it began, and
   * its Hold ends it. Written from another thread, it can be stale: one that began before the
   * lock's last release is ignored.
   */
  Acquire: 6,
  /**
   * Release of a lock/RLock/semaphore/condition's lock. obj; a = site id (full mode) or 0.
   * (addition) smart mode writes only the release a recorded wait is waiting for (the lock had
   * blocked waiters), so release -> acquire flows exist in both modes. An RLock's release is
   * written only when it frees the lock (the outermost one). Full mode: a Lock's `with` block
   * writes one Hold instead; an RLock's `with` block releases with a = 0 (its line is the
   * acquire's); an explicit release() has its site.
   */
  Release: 7,
  /** Condition notify. obj = the condition; a = number of waiters woken (n); flags = 1 for notify_all. */
  Notify: 8,
  /** Event set, stamped when set() was called. obj; a = ns until it returned, when the set had taken effect (0 from older tracers). */
  EventSet: 9,
  /** Event clear. obj. */
  EventClear: 10,
  /** Item put into a queue/pipe. obj; a = queue length after the put when known, else -1; b = put sequence number. */
  Put: 11,
  /**
   * Item taken from a queue/pipe. obj; a = queue length after, else -1; b = get sequence number.
   * (addition) flags = 1: b is the put sequence number of the very item taken (queue.Queue and
   * LifoQueue, recorded under the queue's mutex; for a FIFO queue it equals the get sequence
   * number), so a put -> get flow is exact. flags = 0 (PriorityQueue, SimpleQueue,
   * multiprocessing queues and pipes): b is only the get sequence number in this process.
   * Put/Get sequence numbers count per object per process; a = -1 for multiprocessing ones.
   */
  Get: 12,
  /**
   * Pool/executor task submitted. obj = the pool; a = task id.
   * (addition) b = number of tasks in the submission: Pool.map/starmap: its chunks, apply_async
   * and executor submit: 1, imap/imap_unordered: 0 (unknown). A Pool's task id is its job id.
   */
  TaskSubmit: 13,
  /**
   * Task starts in a worker (this process/thread). obj = pool id as declared in this process; a = task id.
   * (addition) b = the chunk index within a Pool job (0 for executors).
   */
  TaskStart: 14,
  /** Task finishes. flags = 1 if it raised. a = task id. (addition) b as in TaskStart. */
  TaskEnd: 15,
  /** Semaphore counter changed. obj; a = new value. */
  SemaphoreValue: 16,
  /** A child process this process started has been reaped. a = child pid; b = exit code (negative: -signal). */
  ChildExit: 17,
  /**
   * Process-wide lock counters (smart mode only: in full mode the Acquire/WaitEnd records are
   * the counts), cumulative. obj; a = acquisitions; b = contended.
   * (addition) thread = 0. b counts exactly the WaitBegin(Acquire) records of obj in this
   * process; acquisitions that succeed after briefly yielding the GIL are not contended. Sent at
   * most every flusher tick when changed, at exit, and when the lock is garbage-collected. A
   * forked child counts from 0 (its parent reports its own).
   */
  LockStats: 18,
  /**
   * (version 2) A whole hold of a Lock, written once at its release: full mode writes one for
   * every `with lock:` block instead of an Acquire and a Release (half the records, and no
   * record while the lock is taken). thread = the holder; obj; t = when the hold began (the
   * acquire); a = 0; b = the hold's duration in ns as an IEEE f32 (its 4 bytes; read them with
   * holdDurationNs below: relative precision 6e-8, so 60 ns on a one-second hold).
   * If the thread already holds obj in the model (a recorded wait or a hint began the hold),
   * the Hold ends that hold at t + duration and is not another acquisition; otherwise it is a
   * whole acquisition and hold of its own.
   */
  Hold: 19,
  Meta: 127,
} as const;
export type RecordTypeValue = (typeof RecordType)[keyof typeof RecordType];

const f32Bits = new Int32Array(1);
const f32Value = new Float32Array(f32Bits.buffer);

/** A Hold record's b field (the i32 the decoder read) as the f32 duration in ns it holds. */
export function holdDurationNs(b: number): number {
  f32Bits[0] = b;
  return f32Value[0];
}

/** flags of WaitBegin: what kind of wait this is. */
export const WaitKind = {
  Acquire: 1, // Lock, RLock, Semaphore, BoundedSemaphore, Condition's lock, multiprocessing locks
  Condition: 2, // Condition.wait / wait_for
  Event: 3,
  QueueGet: 4,
  QueuePut: 5, // a bounded queue that is full
  Join: 6, // Thread.join / Process.join
  Barrier: 7,
  Sleep: 8,
  Result: 9, // Future.result, AsyncResult.get, Pool.map waiting for results
  PipeRecv: 10,
} as const;
export type WaitKindValue = (typeof WaitKind)[keyof typeof WaitKind];

/** flags of WaitEnd. */
export const WaitResult = {
  Ok: 0, // acquired, woken, got an item
  TimedOut: 1,
  Failed: 2, // broken barrier, exception
} as const;

/**
 * Meta records (JSON). Fields beyond "m" per kind:
 * - hello   {v, pid, ppid, start: StartMethod, python: "3.11.7", exe, argv: string[], name,
 *            mode: "smart"|"full", t}  first record of every connection.
 * - thread  {thread, ident, native, name, daemon}  before the thread's first fixed record.
 * - rename  {thread, name}  a thread or the process (thread = -1) got a new name.
 *            (addition) thread = -1 may carry parent: the pid of the process that called
 *            Process.start() for this multiprocessing child (under forkserver, hello.ppid is the
 *            forkserver's pid).
 * - object  {obj, kind: Python class name, name?, file?, line?, key?}  before its first use;
 *            key identifies one object across processes (multiprocessing primitives).
 *            (additions) kinds also: Pool, ProcessPoolExecutor, ThreadPoolExecutor, Pipe (one
 *            object per Connection end). Optional fields: lock (a Condition's lock obj id),
 *            value (a semaphore's initial value), parties (Barrier), maxsize (queue), peer (a
 *            Pipe end: the key of the other end). Key formats: "sem:<name>" or
 *            "sem:<creator pid>:<handle hex>" (fork context), "ino:<dev>:<inode>" (a queue's or
 *            pool's pipe, a duplex Pipe end), "ino:<dev>:<inode>:r" / ":w" (the ends of a one-way
 *            Pipe), "cond:"/"event:"/"barrier:" + the key of the semaphore inside. An object
 *            without file/line was declared by a process that did not create it (a child).
 *            A forked child declares again every object it inherited (same obj ids).
 * - site    {site, file, line, func}  a source location referenced by WaitBegin/Acquire.
 * - dropped {count}  records the tracer could not deliver (cumulative for this process).
 * - exception {thread, type, message, file?, line?}  an unhandled exception in a thread/process.
 * - exec    {argv}  the process is about to exec (its connection ends; the new image says hello
 *            again with start "exec").
 */
export type StartMethod = 'root' | 'fork' | 'spawn' | 'forkserver' | 'subprocess' | 'exec';

/** (addition) hello also has run: the PCB_RUN_ID it was started with ("" when unset). */
export interface HelloMeta {
  m: 'hello';
  v: number;
  pid: number;
  ppid: number;
  start: StartMethod;
  python: string;
  exe: string;
  argv: string[];
  name: string;
  mode: 'smart' | 'full';
  t: number;
  run?: string;
}
export interface ThreadMeta {
  m: 'thread';
  thread: number;
  ident: number;
  native: number;
  name: string;
  daemon: boolean;
}
export interface RenameMeta {
  m: 'rename';
  thread: number;
  name: string;
  parent?: number;
}
export interface ObjectMeta {
  m: 'object';
  obj: number;
  kind: string;
  name?: string;
  file?: string;
  line?: number;
  key?: string;
  lock?: number;
  value?: number;
  parties?: number;
  maxsize?: number;
  peer?: string;
}
export interface SiteMeta {
  m: 'site';
  site: number;
  file: string;
  line: number;
  func: string;
}
export interface DroppedMeta {
  m: 'dropped';
  count: number;
}
export interface ExceptionMeta {
  m: 'exception';
  thread: number;
  type: string;
  message: string;
  file?: string;
  line?: number;
}
export interface ExecMeta {
  m: 'exec';
  argv: string[];
}
export type MetaRecord =
  | HelloMeta
  | ThreadMeta
  | RenameMeta
  | ObjectMeta
  | SiteMeta
  | DroppedMeta
  | ExceptionMeta
  | ExecMeta;

/**
 * Environment variables the host sets for the traced program.
 * (addition) The tracer itself also exports PCB_PARENT=<pid> in every traced process, so that
 * a Python child can tell how it started (no PCB_PARENT: root; its own pid: exec; otherwise
 * subprocess unless multiprocessing's markers say spawn). The host must not set it.
 */
export const TraceEnv = {
  socket: 'PCB_SOCKET',
  t0: 'PCB_T0',
  mode: 'PCB_MODE',
  runId: 'PCB_RUN_ID',
} as const;
