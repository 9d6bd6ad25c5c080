/**
 * The lifecycle model of one run, kept by the worker host: the process tree, threads and their
 * state intervals, synchronization objects with holders and counters, flows, deadlocks.
 * It is fed by decoded records (one ConnectionSink per traced process) and hands out batched
 * deltas (takeDelta) and, at the end, the run summary (summarize).
 */
import {
  Deadlock,
  emptyDelta,
  FlowKind,
  InstantKind,
  ModelDelta,
  ObjectInfo,
  ProcessInfo,
  RecordCounts,
  RunSummary,
  SiteInfo,
  StartMethod,
  ThreadInfo,
  ThreadState,
  ThreadStateValue,
} from '../protocol';
import { GET_SETTLE_NS, SyncObject, SyncOutput } from './syncObject';
import { RecordSink } from './traceDecoder';
import { MetaRecord, RecordType, WaitKind, WaitResult, holdDurationNs } from './traceSchema';

interface OpenSpan {
  state: ThreadStateValue;
  since: number;
  obj: number;
  site: number;
  waitKind: number;
}

interface ThreadEntry {
  info: ThreadInfo;
  open: OpenSpan | null;
  stateNs: [number, number, number, number];
}

interface ProcessEntry {
  info: ProcessInfo;
  connUid: number;
  threads: Map<number, number>; // thread index -> thread uid
  objects: Map<number, number>; // local object id -> object uid
  sites: Map<number, number>; // local site id -> site uid
  sawExit: boolean;
  /** Its trace connection is open: records of its own may still come. */
  connected: boolean;
  /** Its parent reaped it while its connection was open (see ChildExit). */
  reaped: { t: number; code: number | null; signal: string | null } | null;
  /** It announced an exec: it ends when the new image says hello, not when this connection closes. */
  execing: boolean;
}

export const STALL_AFTER_NS = 2e9;

export class LifecycleModel {
  private nextUid = 1;
  private readonly processes = new Map<number, ProcessEntry>(); // by process uid
  private readonly threads = new Map<number, ThreadEntry>();
  private readonly objects = new Map<number, SyncObject>();
  /** Objects with gets waiting to be paired with their puts (SyncObject.settle). */
  private readonly settlingObjects = new Set<SyncObject>();
  private readonly objectsByKey = new Map<string, number>();
  private readonly sites: SiteInfo[] = [];
  private readonly siteByLocation = new Map<string, number>();
  private readonly dirtyProcesses = new Set<number>();
  private readonly dirtyThreads = new Set<number>();
  private readonly dirtyObjects = new Set<number>();
  private readonly dirtyStats = new Set<number>();
  private newSites: SiteInfo[] = [];
  private delta: ModelDelta = emptyDelta(0);
  private readonly knownDeadlocks = new Set<string>();
  readonly deadlocks: Deadlock[] = [];
  readonly counts: RecordCounts = { total: 0, malformed: 0, dropped: 0 };
  /** The first few reasons records were found malformed, for the user's notice. */
  readonly malformedReasons: string[] = [];
  private readonly droppedByProcess = new Map<number, number>();
  nowNs = 0;
  private lastRecordNs = 0;
  stalled = false;
  stallCount = 0;
  rootPid = -1;

  /** A sink for one new connection (one traced process). */
  connect(): RecordSink {
    return new ConnectionSink(this);
  }

  // ------------------------------------------------------------------ entities

  startProcess(hello: Extract<MetaRecord, { m: 'hello' }>): ProcessEntry {
    const parent = this.liveProcessByPid(hello.ppid);
    const uid = this.nextUid++;
    const info: ProcessInfo = {
      uid,
      pid: hello.pid,
      ppid: hello.ppid,
      parentUid: parent ? parent.info.uid : -1,
      name: hello.name,
      startMethod: (hello.start as StartMethod) ?? 'root',
      python: String(hello.python ?? ''),
      argv: Array.isArray(hello.argv) ? hello.argv.map(String) : [],
      startNs: num(hello.t, this.nowNs),
      endNs: null,
      exitCode: null,
      signal: null,
    };
    // An exec'd image replaces its predecessor with the same pid: close the old entry.
    const previous = this.liveProcessByPid(hello.pid);
    if (previous && hello.start === 'exec') this.endProcess(previous, info.startNs, null, null);
    const entry: ProcessEntry = { info, connUid: uid, threads: new Map(), objects: new Map(), sites: new Map(), sawExit: false, connected: true, reaped: null, execing: false };
    this.processes.set(uid, entry);
    this.dirtyProcesses.add(uid);
    // The parent -> child arrow is drawn once the child's main thread exists.
    const parentMain = parent?.threads.get(0);
    if (parentMain !== undefined) this.pendingSpawnFlows.set(uid, { parentThread: parentMain, t: info.startNs });
    return entry;
  }

  private readonly pendingSpawnFlows = new Map<number, { parentThread: number; t: number }>();

  renameProcess(p: ProcessEntry, name: string): void {
    p.info.name = name;
    this.dirtyProcesses.add(p.info.uid);
  }

  endProcess(p: ProcessEntry, t: number, exitCode: number | null, signal: string | null): void {
    if (p.info.endNs !== null && exitCode === null && signal === null) return;
    // A killed child's end is known twice: when its connection closed (seen by the host, maybe
    // late) and when its parent reaped it. The earlier is nearer the truth.
    if (p.info.endNs === null || t < p.info.endNs) {
      p.info.endNs = t;
      for (const tu of p.threads.values()) {
        const th = this.threads.get(tu)!;
        if (th.info.endNs !== null && th.info.endNs > t) {
          th.info.endNs = t;
          this.dirtyThreads.add(tu);
        }
      }
    }
    if (exitCode !== null) p.info.exitCode = exitCode;
    if (signal !== null) p.info.signal = signal;
    for (const tu of p.threads.values()) this.endThread(tu, p.info.endNs);
    this.dirtyProcesses.add(p.info.uid);
  }

  liveProcessByPid(pid: number): ProcessEntry | undefined {
    let found: ProcessEntry | undefined;
    for (const p of this.processes.values()) if (p.info.pid === pid && p.info.endNs === null) found = p;
    return found;
  }

  anyProcessByPid(pid: number): ProcessEntry | undefined {
    let found: ProcessEntry | undefined;
    for (const p of this.processes.values()) if (p.info.pid === pid) found = p;
    return found;
  }

  declareThread(p: ProcessEntry, index: number, meta: { ident?: number; native?: number; name?: string; daemon?: boolean }): number {
    let uid = p.threads.get(index);
    if (uid === undefined) {
      uid = this.nextUid++;
      p.threads.set(index, uid);
      this.threads.set(uid, {
        info: {
          uid,
          processUid: p.info.uid,
          pid: p.info.pid,
          ident: num(meta.ident, 0),
          nativeId: num(meta.native, 0),
          name: String(meta.name ?? `thread-${index}`),
          daemon: Boolean(meta.daemon),
          isMain: index === 0,
          startNs: this.nowNs,
          endNs: null,
        },
        open: null,
        stateNs: [0, 0, 0, 0],
      });
    } else {
      const t = this.threads.get(uid)!;
      if (meta.name !== undefined) t.info.name = String(meta.name);
      if (meta.ident !== undefined) t.info.ident = num(meta.ident, 0);
      if (meta.native !== undefined) t.info.nativeId = num(meta.native, 0);
      if (meta.daemon !== undefined) t.info.daemon = Boolean(meta.daemon);
    }
    this.dirtyThreads.add(uid);
    return uid;
  }

  threadUid(p: ProcessEntry, index: number): number {
    return p.threads.get(index) ?? this.declareThread(p, index, {});
  }

  startThread(uid: number, t: number): void {
    const th = this.threads.get(uid)!;
    th.info.startNs = t;
    th.info.endNs = null;
    th.open = { state: ThreadState.Running, since: t, obj: -1, site: -1, waitKind: 0 };
    this.dirtyThreads.add(uid);
    const spawn = th.info.isMain ? this.pendingSpawnFlows.get(th.info.processUid) : undefined;
    if (spawn) {
      this.pendingSpawnFlows.delete(th.info.processUid);
      this.flow('spawn', spawn.parentThread, spawn.t, uid, t, -1);
    }
  }

  endThread(uid: number, t: number): void {
    const th = this.threads.get(uid);
    if (!th || th.info.endNs !== null) return;
    this.closeSpan(th, t);
    th.info.endNs = t;
    this.dirtyThreads.add(uid);
    for (const o of this.objects.values()) {
      o.releaseAll(uid, t);
    }
  }

  declareObject(
    p: ProcessEntry,
    id: number,
    meta: { kind?: string; name?: string; file?: string; line?: number; key?: string; peer?: string },
  ): number {
    const key = typeof meta.key === 'string' && meta.key ? meta.key : null;
    const file = typeof meta.file === 'string' ? meta.file : null;
    const line = typeof meta.line === 'number' ? meta.line : null;
    const label = meta.name ? String(meta.name) : file ? `${baseName(file)}:${line ?? '?'}` : `#${id}`;
    let uid = key ? this.objectsByKey.get(key) : undefined;
    if (uid === undefined) {
      uid = this.nextUid++;
      const info: ObjectInfo = { uid, processUid: p.info.uid, kind: String(meta.kind ?? 'object'), label, file, line };
      const peer = typeof meta.peer === 'string' && meta.peer ? meta.peer : null;
      this.objects.set(uid, new SyncObject(info, key, peer, this.syncOutput));
      if (key) this.objectsByKey.set(key, uid);
      this.dirtyObjects.add(uid);
    } else {
      // A cross-process object first declared by a child (a pool worker) belongs to the process
      // that created it: the declaration with a source line, or an ancestor's.
      const info = this.objects.get(uid)!.info;
      const creator = file !== null && info.file === null;
      if (info.processUid !== p.info.uid && (creator || this.isAncestor(p.info.uid, info.processUid))) {
        info.processUid = p.info.uid;
        if (creator) Object.assign(info, { file, line, label });
        this.dirtyObjects.add(uid);
      }
    }
    p.objects.set(id, uid);
    return uid;
  }

  objectByKey(key: string): SyncObject | undefined {
    const uid = this.objectsByKey.get(key);
    return uid === undefined ? undefined : this.objects.get(uid);
  }

  private isAncestor(ancestorUid: number, processUid: number): boolean {
    let cur = this.processes.get(processUid)?.info.parentUid ?? -1;
    for (let guard = 0; cur !== -1 && guard < 10000; guard++) {
      if (cur === ancestorUid) return true;
      cur = this.processes.get(cur)?.info.parentUid ?? -1;
    }
    return false;
  }

  objectUid(p: ProcessEntry, id: number): number {
    if (id === 0) return -1;
    return p.objects.get(id) ?? this.declareObject(p, id, {});
  }

  declareSite(p: ProcessEntry, id: number, file: string, line: number, func: string): void {
    const loc = `${file}\u0000${line}\u0000${func}`;
    let uid = this.siteByLocation.get(loc);
    if (uid === undefined) {
      uid = this.nextUid++;
      const site = { uid, file, line, func };
      this.sites.push(site);
      this.newSites.push(site);
      this.siteByLocation.set(loc, uid);
    }
    p.sites.set(id, uid);
  }

  siteInfo(uid: number): SiteInfo | undefined {
    return this.sites.find((s) => s.uid === uid);
  }

  // ------------------------------------------------------------------ states

  private closeSpan(th: ThreadEntry, t: number): void {
    const open = th.open;
    if (!open) return;
    const end = Math.max(t, open.since);
    th.stateNs[open.state] += end - open.since;
    const s = this.delta.spans;
    s.thread.push(th.info.uid);
    s.state.push(open.state);
    s.startNs.push(open.since);
    s.endNs.push(end);
    s.obj.push(open.obj);
    s.site.push(open.site);
    s.waitKind.push(open.waitKind);
    th.open = null;
  }

  private setState(th: ThreadEntry, state: ThreadStateValue, t: number, obj: number, site: number, waitKind: number): void {
    if (th.info.endNs !== null) return;
    this.closeSpan(th, t);
    th.open = { state, since: t, obj, site, waitKind };
  }

  waitBegin(p: ProcessEntry, threadUid: number, kind: number, obj: number, site: number, b: number, t: number): void {
    const th = this.threads.get(threadUid)!;
    const state = kind === WaitKind.Acquire ? ThreadState.Blocked : kind === WaitKind.Sleep ? ThreadState.Sleeping : ThreadState.Waiting;
    this.setState(th, state, t, obj, site, kind);
    if (kind === WaitKind.Acquire && obj >= 0 && b > 0) {
      const o = this.objects.get(obj);
      const holder = p.threads.get(b - 1);
      if (o && holder !== undefined) o.hint(holder, t);
    }
  }

  waitEnd(threadUid: number, result: number, t: number): void {
    const th = this.threads.get(threadUid)!;
    const open = th.open;
    if (!open || open.state === ThreadState.Running) return;
    const waited = t - open.since;
    const kind = open.waitKind;
    const obj = open.obj >= 0 ? this.objects.get(open.obj) : undefined;
    this.setState(th, ThreadState.Running, t, -1, -1, 0);
    if (!obj) return;
    if (kind === WaitKind.Acquire) {
      obj.noteWait(waited);
      this.dirtyStats.add(obj.uid);
      if (result === WaitResult.Ok) obj.acquiredAfterWait(threadUid, open.since, t);
    } else if ((kind === WaitKind.Condition || kind === WaitKind.Event) && result === WaitResult.Ok) {
      obj.woke(threadUid, open.since, t, kind === WaitKind.Condition ? 'notify-wake' : 'set-wake');
    }
  }

  /** Where SyncObjects put the hold spans and flows they produce: the pending delta. */
  private readonly syncOutput: SyncOutput = {
    hold: (obj, thread, startNs, endNs) => {
      const hs = this.delta.holds;
      hs.obj.push(obj);
      hs.thread.push(thread);
      hs.startNs.push(startNs);
      hs.endNs.push(endNs);
    },
    flow: (kind, fromThread, fromNs, toThread, toNs, obj) => this.flow(kind, fromThread, fromNs, toThread, toNs, obj),
    held: (obj, isHeld) => (isHeld ? this.heldObjects.add(obj) : this.heldObjects.delete(obj)),
  };
  /** Objects that have a holder now: each delta lists their open holds (a run may have thousands of objects). */
  private readonly heldObjects = new Set<SyncObject>();

  object(uid: number): SyncObject | undefined {
    return this.objects.get(uid);
  }

  flow(kind: FlowKind, fromThread: number, fromNs: number, toThread: number, toNs: number, obj: number): void {
    this.delta.flows.push({ kind, fromThread, fromNs, toThread, toNs, obj });
  }

  instant(kind: InstantKind, thread: number, obj: number, tNs: number, detail?: string): void {
    this.delta.instants.push(detail === undefined ? { kind, thread, obj, tNs } : { kind, thread, obj, tNs, detail });
  }

  counter(obj: number, tNs: number, value: number): void {
    this.delta.counters.push({ obj, tNs, value });
  }

  /** The object's statistics changed: the next delta carries them. */
  touchStats(obj: number): void {
    this.dirtyStats.add(obj);
  }

  lockStats(connUid: number, obj: number, acquisitions: number, contended: number): void {
    const o = this.objects.get(obj);
    if (!o) return;
    o.acquisitionsByConn.set(connUid, acquisitions);
    o.contendedByConn.set(connUid, contended);
    this.dirtyStats.add(obj);
  }

  /** Event time of the oldest record not yet handed out in a delta (for the live-lag figure). */
  oldestPendingNs: number | null = null;
  /** When the oldest bytes not yet handed out arrived on the channel (host-side part of the lag). */
  oldestArrivalNs: number | null = null;

  noteArrival(nowNs: number): void {
    if (this.oldestArrivalNs === null) this.oldestArrivalNs = nowNs;
  }

  noteRecord(t: number): void {
    this.counts.total++;
    if (this.oldestPendingNs === null || t < this.oldestPendingNs) this.oldestPendingNs = t;
    if (t > this.nowNs) this.nowNs = t;
    this.lastRecordNs = this.nowNs;
  }

  noteDropped(processUid: number, count: number): void {
    const before = this.droppedByProcess.get(processUid) ?? 0;
    if (count > before) {
      this.counts.dropped += count - before;
      this.droppedByProcess.set(processUid, count);
    }
  }

  // ------------------------------------------------------------------ analysis

  /** Finds new wait-for cycles among threads blocked on locks. Returns the new ones. */
  detectDeadlocks(nowNs: number): Deadlock[] {
    const waitsFor = new Map<number, { obj: number; holder: number }>();
    for (const th of this.threads.values()) {
      const open = th.open;
      if (!open || open.state !== ThreadState.Blocked || open.obj < 0 || th.info.endNs !== null) continue;
      const o = this.objects.get(open.obj);
      const holder = o ? o.owner : -1; // semaphores have no owner: no edge
      if (holder < 0) continue;
      const holderThread = this.threads.get(holder);
      if (!holderThread || holderThread.info.endNs !== null) continue;
      waitsFor.set(th.info.uid, { obj: open.obj, holder });
    }
    const found: Deadlock[] = [];
    for (const start of waitsFor.keys()) {
      const path: number[] = [];
      const seen = new Map<number, number>();
      let cur: number | undefined = start;
      while (cur !== undefined && !seen.has(cur)) {
        seen.set(cur, path.length);
        path.push(cur);
        cur = waitsFor.get(cur)?.holder;
      }
      if (cur === undefined) continue;
      const cycle = path.slice(seen.get(cur)!);
      const key = [...cycle].sort((a, b) => a - b).join(',');
      if (this.knownDeadlocks.has(key)) continue;
      this.knownDeadlocks.add(key);
      const d: Deadlock = { threads: cycle, objects: cycle.map((t) => waitsFor.get(t)!.obj), detectedNs: nowNs };
      this.deadlocks.push(d);
      this.delta.deadlocks.push(d);
      found.push(d);
    }
    return found;
  }

  /** Every live thread waits or is blocked and no record arrived for a while. */
  checkStall(nowNs: number): boolean {
    let live = 0;
    let stuck = 0;
    for (const th of this.threads.values()) {
      if (th.info.endNs !== null) continue;
      live++;
      const s = th.open?.state;
      if (s === ThreadState.Blocked || s === ThreadState.Waiting) stuck++;
    }
    const stalled = live > 0 && stuck === live && nowNs - this.lastRecordNs >= STALL_AFTER_NS;
    if (stalled && !this.stalled) this.stallCount++;
    this.stalled = stalled;
    return stalled;
  }

  // ------------------------------------------------------------------ output

  hasPendingChanges(): boolean {
    const d = this.delta;
    return (
      this.dirtyProcesses.size + this.dirtyThreads.size + this.dirtyObjects.size + this.dirtyStats.size + this.newSites.length > 0 ||
      d.spans.thread.length + d.holds.obj.length + d.flows.length + d.instants.length + d.counters.length + d.deadlocks.length > 0
    );
  }

  settleLater(o: SyncObject): void {
    this.settlingObjects.add(o);
  }

  private settleGets(untilNs: number): void {
    for (const o of this.settlingObjects) if (!o.settle(untilNs)) this.settlingObjects.delete(o);
  }

  takeDelta(nowNs: number): ModelDelta {
    this.settleGets(nowNs - GET_SETTLE_NS);
    const d = this.delta;
    d.nowNs = Math.max(nowNs, this.nowNs);
    d.processes = [...this.dirtyProcesses].map((u) => ({ ...this.processes.get(u)!.info }));
    d.threads = [...this.dirtyThreads].map((u) => ({ ...this.threads.get(u)!.info }));
    d.objects = [...this.dirtyObjects].map((u) => ({ ...this.objects.get(u)!.info }));
    d.sites = this.newSites;
    d.open = [];
    for (const th of this.threads.values()) {
      if (th.open && th.info.endNs === null) d.open.push({ thread: th.info.uid, ...openOf(th.open) });
    }
    d.openHolds = [];
    for (const o of this.heldObjects) o.forEachHolder((thread, sinceNs) => d.openHolds.push({ obj: o.uid, thread, sinceNs }));
    d.stats = [...this.dirtyStats].map((u) => this.statsOf(u));
    d.stalled = this.stalled;
    d.records = { ...this.counts };
    this.dirtyProcesses.clear();
    this.dirtyThreads.clear();
    this.dirtyObjects.clear();
    this.dirtyStats.clear();
    this.newSites = [];
    this.oldestPendingNs = null;
    this.oldestArrivalNs = null;
    this.delta = emptyDelta(d.nowNs);
    return d;
  }

  private statsOf(uid: number) {
    const o = this.objects.get(uid)!;
    const counted = sum(o.acquisitionsByConn);
    return {
      obj: uid,
      // Smart mode counts in the tracer (LockStats); full mode records every acquisition.
      acquisitions: Math.max(counted, o.acquisitionRecords),
      contended: Math.max(sum(o.contendedByConn), o.contendedWaits),
      totalWaitNs: o.totalWaitNs,
      maxWaitNs: o.maxWaitNs,
    };
  }

  /** A process its parent reaped ends, with the reaping's time and exit code, once its own records are in. */
  endReaped(p: ProcessEntry): void {
    const r = p.reaped;
    if (r === null) return;
    p.reaped = null;
    this.endProcess(p, r.t, r.code, r.signal);
  }

  /** Closes everything still open at `endNs` (the run is over) . */
  finish(endNs: number): void {
    this.nowNs = Math.max(this.nowNs, endNs);
    for (const p of this.processes.values()) this.endReaped(p);
    for (const p of this.processes.values()) if (p.info.endNs === null) this.endProcess(p, this.nowNs, null, null);
    this.settleGets(Infinity);
  }

  processList(): ProcessInfo[] {
    return [...this.processes.values()].map((p) => p.info);
  }

  threadList(): ThreadInfo[] {
    return [...this.threads.values()].map((t) => t.info);
  }

  summarize(base: Pick<RunSummary, 'exitCode' | 'signal' | 'durationMs' | 'python' | 'stopped' | 'outputTruncated' | 'liveLagMs'>): RunSummary {
    const threadName = (uid: number) => {
      const t = this.threads.get(uid);
      return t ? `${t.info.name} (pid ${t.info.pid})` : `thread ${uid}`;
    };
    const objectName = (uid: number) => {
      const o = this.objects.get(uid);
      return o ? `${o.info.kind} ${o.info.label}` : `object ${uid}`;
    };
    const ms = (ns: number) => Math.round(ns / 1e3) / 1e3;
    return {
      ...base,
      processes: this.processList().map((p) => ({
        pid: p.pid,
        ppid: p.ppid,
        name: p.name,
        startMethod: p.startMethod,
        exitCode: p.exitCode,
        signal: p.signal,
      })),
      threads: [...this.threads.values()].map((t) => {
        const stateNs = [...t.stateNs];
        if (t.open) stateNs[t.open.state] += Math.max(0, (t.info.endNs ?? this.nowNs) - t.open.since);
        return {
          pid: t.info.pid,
          tid: t.info.nativeId || t.info.ident,
          name: t.info.name,
          startNs: t.info.startNs,
          endNs: t.info.endNs,
          stateMs: { running: ms(stateNs[0]), blocked: ms(stateNs[1]), waiting: ms(stateNs[2]), sleeping: ms(stateNs[3]) },
        };
      }),
      objects: [...this.objects.values()].map((o) => {
        const s = this.statsOf(o.info.uid);
        const pid = this.processes.get(o.info.processUid)?.info.pid ?? -1;
        return {
          id: o.info.uid,
          kind: o.info.kind,
          pid,
          name: o.info.label,
          acquisitions: s.acquisitions,
          contended: s.contended,
          maxWaitMs: ms(s.maxWaitNs),
          totalWaitMs: ms(s.totalWaitNs),
        };
      }),
      deadlocks: this.deadlocks.map((d) => ({ threads: d.threads.map(threadName), objects: d.objects.map(objectName) })),
      stalls: this.stallCount,
      records: { ...this.counts },
    };
  }
}

function openOf(o: OpenSpan) {
  return { state: o.state, sinceNs: o.since, obj: o.obj, site: o.site, waitKind: o.waitKind };
}

function num(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

function sum(m: Map<number, number>): number {
  let s = 0;
  for (const v of m.values()) s += v;
  return s;
}

function baseName(file: string): string {
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return i >= 0 ? file.slice(i + 1) : file;
}

/** Applies one connection's records to the model. */
class ConnectionSink implements RecordSink {
  private process: ProcessEntry | null = null;

  constructor(private readonly model: LifecycleModel) {}

  get processEntry(): ProcessEntry | null {
    return this.process;
  }

  meta(meta: MetaRecord): void {
    const model = this.model;
    model.counts.total++;
    if (meta.m === 'hello') {
      if (this.process === null) this.process = model.startProcess(meta);
      return;
    }
    const p = this.process;
    if (!p) return this.malformed(`"${meta.m}" record before hello`);
    switch (meta.m) {
      case 'thread':
        model.declareThread(p, meta.thread, meta);
        break;
      case 'rename':
        if (meta.thread === -1) model.renameProcess(p, String(meta.name));
        else model.declareThread(p, meta.thread, { name: meta.name });
        break;
      case 'object':
        model.declareObject(p, meta.obj, meta);
        break;
      case 'site':
        model.declareSite(p, meta.site, String(meta.file), num(meta.line, 0), String(meta.func ?? ''));
        break;
      case 'dropped':
        model.noteDropped(p.info.uid, num(meta.count, 0));
        break;
      case 'exception': {
        const th = p.threads.get(meta.thread);
        model.instant('exception', th ?? -1, -1, model.nowNs, `${meta.type}: ${meta.message}`);
        break;
      }
      case 'exec':
        p.execing = true;
        break;
      default:
        break; // unknown meta kinds from a newer tracer are ignored, not fatal
    }
  }

  record(type: number, flags: number, thread: number, objId: number, t: number, a: number, b: number): void {
    const model = this.model;
    const p = this.process;
    if (!p) return this.malformed('record before hello');
    // a Hold is written when the hold ends: that is when it was new (the live lag, the clock)
    model.noteRecord(type === RecordType.Hold ? t + holdDurationNs(b) : t);
    const th = model.threadUid(p, thread);
    switch (type) {
      case RecordType.ThreadStart:
        model.startThread(th, t);
        break;
      case RecordType.ThreadExit:
        model.endThread(th, t);
        break;
      case RecordType.ProcessExit:
        p.sawExit = true;
        // flags 1: the tracer could not see the code (a bare top-level SystemExit). The code it
        // sends (0) stands until the parent's ChildExit or the host's own wait for the root
        // replaces it; a process nobody reaps (the forkserver) keeps it.
        model.endProcess(p, t, a, null);
        break;
      case RecordType.WaitBegin: {
        const site = a > 0 ? p.sites.get(a) ?? -1 : -1;
        model.waitBegin(p, th, flags, model.objectUid(p, objId), site, b, t);
        break;
      }
      case RecordType.WaitEnd:
        model.waitEnd(th, flags, t);
        break;
      case RecordType.Acquire: {
        const o = model.object(model.objectUid(p, objId));
        if (o) {
          if (flags === 1) o.acquisitionRecords++; // re-entrant: counted, the hold goes on
          else if (flags === 2) o.holdGoesOn(th, t);
          else o.acquire(th, t);
          model.touchStats(o.uid);
        }
        break;
      }
      case RecordType.Release: {
        const o = model.object(model.objectUid(p, objId));
        if (o) o.release(th, t);
        break;
      }
      case RecordType.Hold: {
        const o = model.object(model.objectUid(p, objId));
        if (o) {
          o.hold(th, t, t + holdDurationNs(b));
          model.touchStats(o.uid);
        }
        break;
      }
      case RecordType.Notify:
      case RecordType.EventSet: {
        const obj = model.objectUid(p, objId);
        const o = model.object(obj);
        if (o) o.signal(th, t, type === RecordType.EventSet ? t + Math.max(0, a) : t);
        model.instant(type === RecordType.Notify ? 'notify' : 'set', th, obj, t, type === RecordType.Notify ? `woke ${a}` : undefined);
        if (type === RecordType.EventSet) model.counter(obj, t, 1);
        break;
      }
      case RecordType.EventClear: {
        const obj = model.objectUid(p, objId);
        model.instant('clear', th, obj, t);
        model.counter(obj, t, 0);
        break;
      }
      case RecordType.Put:
      case RecordType.Get: {
        const obj = model.objectUid(p, objId);
        const o = model.object(obj);
        const put = type === RecordType.Put;
        model.instant(put ? 'put' : 'get', th, obj, t, a >= 0 ? String(a) : undefined);
        if (a >= 0) model.counter(obj, t, a);
        if (o) {
          const seq = `${p.info.uid}:${b}`;
          // A pipe end's send is received at the other end.
          const target = put && o.peerKey ? model.objectByKey(o.peerKey) ?? o : o;
          if (put) target.put(th, t, seq);
          else if (target.get(th, t, flags === 1 ? seq : null)) model.settleLater(target);
        }
        break;
      }
      case RecordType.TaskSubmit:
        model.instant('submit', th, model.objectUid(p, objId), t, String(a));
        break;
      case RecordType.TaskStart:
        model.instant('task-start', th, model.objectUid(p, objId), t, String(a));
        break;
      case RecordType.TaskEnd:
        model.instant('task-end', th, model.objectUid(p, objId), t, String(a));
        break;
      case RecordType.SemaphoreValue: {
        const obj = model.objectUid(p, objId);
        const o = model.object(obj);
        if (o) {
          o.semaphoreValue(th, t, a);
          model.touchStats(obj);
        }
        model.counter(obj, t, a);
        break;
      }
      case RecordType.ChildExit: {
        const child = model.anyProcessByPid(a);
        if (child) {
          const code = b < 0 ? null : b;
          const signal = b < 0 ? signalName(-b) : null;
          // The child's last records (flushed as it exited) can be decoded after this record of
          // its parent's: the host reads the connections in no set order. Ending it now would
          // drop them, so it ends when its connection closes.
          if (child.connected && child.info.endNs === null) child.reaped = { t, code, signal };
          else model.endProcess(child, t, code, signal);
        }
        break;
      }
      case RecordType.LockStats:
        model.lockStats(p.info.uid, model.objectUid(p, objId), a, b);
        break;
      default:
        break; // record types from a newer tracer are skipped
    }
  }

  malformed(reason: string): void {
    this.model.counts.malformed++;
    if (this.model.malformedReasons.length < 5) this.model.malformedReasons.push(reason);
  }
}

const SIGNALS: Record<number, string> = {
  1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 4: 'SIGILL', 6: 'SIGABRT', 7: 'SIGBUS', 8: 'SIGFPE', 9: 'SIGKILL',
  10: 'SIGUSR1', 11: 'SIGSEGV', 12: 'SIGUSR2', 13: 'SIGPIPE', 14: 'SIGALRM', 15: 'SIGTERM',
};
export function signalName(n: number): string {
  return SIGNALS[n] ?? `signal ${n}`;
}

/** Called when a connection closes: the process is gone, with or without an exit record. */
export function connectionClosed(model: LifecycleModel, sink: RecordSink, t: number): void {
  const p = (sink as ConnectionSink).processEntry;
  if (!p) return;
  p.connected = false;
  // An image that execs closes its connection first; the host may see that close after the new
  // image's hello was stamped. The hello ends it (at its start), or, if the exec failed or ran a
  // program we do not trace, its parent's reaping or the run's end does.
  if (p.info.endNs === null && !p.execing) model.endProcess(p, t, null, null);
  model.endReaped(p); // its exit code; and its time, if earlier than the host saw the close
}
