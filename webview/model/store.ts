/**
 * The webview's copy of the run's lifecycle model, fed by `reset` and `delta` messages.
 * Entities (processes, threads, objects, sites) are small maps; everything that grows with the
 * run's length (spans, holds, counters, instants, flows) is columnar (model/columns.ts).
 * No DOM here: unit tests drive it in plain Node.
 */
import type {
  Deadlock,
  FlowKind,
  InstantKind,
  ModelDelta,
  ObjectInfo,
  ObjectStats,
  OpenHold,
  OpenState,
  ProcessInfo,
  RecordCounts,
  RunHeader,
  SiteInfo,
  ThreadInfo,
} from '../../extension/protocol';
import { CounterLane, HoldLane, InstantLane, ThreadSpanLane } from './columns';

export const INSTANT_KINDS: readonly InstantKind[] = [
  'notify',
  'set',
  'clear',
  'put',
  'get',
  'submit',
  'task-start',
  'task-end',
  'exception',
];
export const FLOW_KINDS: readonly FlowKind[] = ['release-acquire', 'notify-wake', 'put-get', 'spawn', 'set-wake'];

/** Bytes of lane columns a delta may copy to grow lanes before they are full (see growAhead). */
const GROW_AHEAD_BYTES = 4 << 20;

const instantIndex = new Map<string, number>(INSTANT_KINDS.map((k, i) => [k, i]));
const flowIndex = new Map<string, number>(FLOW_KINDS.map((k, i) => [k, i]));

/** Flows as columns (a put→get flow per queue item can number in the hundreds of thousands). */
export class FlowColumns {
  length = 0;
  kind = new Uint8Array(64);
  fromThread = new Int32Array(64);
  toThread = new Int32Array(64);
  obj = new Int32Array(64);
  fromNs = new Float64Array(64);
  toNs = new Float64Array(64);

  push(kind: number, fromThread: number, fromNs: number, toThread: number, toNs: number, obj: number): void {
    const i = this.length;
    if (i === this.kind.length) {
      const cap = i * 2;
      const k = new Uint8Array(cap);
      k.set(this.kind);
      this.kind = k;
      const ft = new Int32Array(cap);
      ft.set(this.fromThread);
      this.fromThread = ft;
      const tt = new Int32Array(cap);
      tt.set(this.toThread);
      this.toThread = tt;
      const o = new Int32Array(cap);
      o.set(this.obj);
      this.obj = o;
      const fn = new Float64Array(cap);
      fn.set(this.fromNs);
      this.fromNs = fn;
      const tn = new Float64Array(cap);
      tn.set(this.toNs);
      this.toNs = tn;
    }
    this.kind[i] = kind;
    this.fromThread[i] = fromThread;
    this.fromNs[i] = fromNs;
    this.toThread[i] = toThread;
    this.toNs[i] = toNs;
    this.obj[i] = obj;
    this.length = i + 1;
  }
}

/** Counts the app uses to decide what to refresh after a delta. */
export interface DeltaEffects {
  /** Processes, threads or objects were added or changed: lanes and labels must be rebuilt. */
  entitiesChanged: boolean;
  deadlocksChanged: boolean;
  stalledChanged: boolean;
  spansAdded: number;
}

export class TimelineStore {
  header: RunHeader | null = null;
  readonly processes = new Map<number, ProcessInfo>();
  readonly threads = new Map<number, ThreadInfo>();
  readonly objects = new Map<number, ObjectInfo>();
  readonly sites = new Map<number, SiteInfo>();
  readonly spans = new Map<number, ThreadSpanLane>();
  readonly holds = new Map<number, HoldLane>();
  readonly counters = new Map<number, CounterLane>();
  readonly instants = new Map<number, InstantLane>();
  readonly open = new Map<number, OpenState>();
  /** Holds not ended yet, per object (drawn up to now): replaced by each delta that has them. */
  readonly openHolds = new Map<number, OpenHold[]>();
  readonly stats = new Map<number, ObjectStats>();
  readonly details: string[] = [];
  flows = new FlowColumns();
  deadlocks: Deadlock[] = [];
  stalled = false;
  records: RecordCounts = { total: 0, malformed: 0, dropped: 0 };
  nowNs = 0;
  /** Latest end of anything recorded (spans can be flushed with times past nowNs). */
  extentNs = 0;
  spanCount = 0;
  deltasApplied = 0;
  /** Bumped whenever entities change, so layout can be cached by version. */
  entityVersion = 0;

  reset(header: RunHeader | null): void {
    this.header = header;
    this.processes.clear();
    this.threads.clear();
    this.objects.clear();
    this.sites.clear();
    this.spans.clear();
    this.holds.clear();
    this.counters.clear();
    this.instants.clear();
    this.open.clear();
    this.openHolds.clear();
    this.stats.clear();
    this.details.length = 0;
    this.flows = new FlowColumns();
    this.deadlocks = [];
    this.stalled = false;
    this.records = { total: 0, malformed: 0, dropped: 0 };
    this.nowNs = 0;
    this.extentNs = 0;
    this.spanCount = 0;
    this.deltasApplied = 0;
    this.entityVersion++;
  }

  apply(d: ModelDelta): DeltaEffects {
    const fx: DeltaEffects = { entitiesChanged: false, deadlocksChanged: false, stalledChanged: false, spansAdded: 0 };
    for (const p of d.processes ?? []) {
      this.processes.set(p.uid, p);
      fx.entitiesChanged = true;
    }
    for (const t of d.threads ?? []) {
      this.threads.set(t.uid, t);
      fx.entitiesChanged = true;
    }
    for (const o of d.objects ?? []) {
      this.objects.set(o.uid, o);
      fx.entitiesChanged = true;
    }
    for (const s of d.sites ?? []) this.sites.set(s.uid, s);

    let extent = this.extentNs;
    const sp = d.spans;
    if (sp && sp.thread.length > 0) {
      const n = sp.thread.length;
      let lastUid = NaN;
      let lane: ThreadSpanLane | undefined;
      let growBudget = GROW_AHEAD_BYTES;
      let i = 0;
      while (i < n) {
        // One run of consecutive spans of the same thread, appended in one call.
        const uid = sp.thread[i];
        let j = i + 1;
        while (j < n && sp.thread[j] === uid) j++;
        if (uid !== lastUid) {
          lane = this.spans.get(uid);
          if (!lane) {
            lane = new ThreadSpanLane();
            this.spans.set(uid, lane);
            if (!this.threads.has(uid)) fx.entitiesChanged = true;
          }
          lastUid = uid;
        }
        const latest = lane!.appendRun(sp, i, j);
        if (latest > extent) extent = latest;
        // Grow this lane now if it is three quarters full and the delta's budget allows, so
        // lanes filling together do not all grow in the same delta.
        if (growBudget > 0) growBudget -= lane!.growAhead();
        i = j;
      }
      this.spanCount += n;
      fx.spansAdded = n;
    }

    const h = d.holds;
    if (h && h.obj.length > 0) {
      for (let i = 0; i < h.obj.length; i++) {
        let lane = this.holds.get(h.obj[i]);
        if (!lane) {
          lane = new HoldLane();
          this.holds.set(h.obj[i], lane);
          fx.entitiesChanged = true;
        }
        lane.push(h.startNs[i], h.endNs[i], h.thread[i]);
        if (h.endNs[i] > extent) extent = h.endNs[i];
      }
    }

    for (const c of d.counters ?? []) {
      let lane = this.counters.get(c.obj);
      if (!lane) {
        lane = new CounterLane();
        this.counters.set(c.obj, lane);
        fx.entitiesChanged = true;
      }
      lane.push(c.tNs, c.value);
      if (c.tNs > extent) extent = c.tNs;
    }

    for (const it of d.instants ?? []) {
      let lane = this.instants.get(it.thread);
      if (!lane) {
        lane = new InstantLane();
        this.instants.set(it.thread, lane);
      }
      let detail = -1;
      if (it.detail !== undefined && it.detail !== '') {
        detail = this.details.length;
        this.details.push(it.detail);
      }
      lane.push(it.tNs, instantIndex.get(it.kind) ?? 0, it.obj, detail);
      if (it.tNs > extent) extent = it.tNs;
    }

    for (const f of d.flows ?? []) {
      this.flows.push(flowIndex.get(f.kind) ?? 0, f.fromThread, f.fromNs, f.toThread, f.toNs, f.obj);
    }

    if (d.open) {
      this.open.clear();
      for (const o of d.open) this.open.set(o.thread, o);
    }
    if (d.openHolds) {
      this.openHolds.clear();
      for (const h of d.openHolds) {
        const list = this.openHolds.get(h.obj);
        if (list) list.push(h);
        else this.openHolds.set(h.obj, [h]);
      }
      for (const list of this.openHolds.values()) if (list.length > 1) list.sort((a, b) => a.sinceNs - b.sinceNs);
    }
    for (const s of d.stats ?? []) this.stats.set(s.obj, s);

    for (const dl of d.deadlocks ?? []) {
      const key = deadlockKey(dl);
      if (!this.deadlocks.some((x) => deadlockKey(x) === key)) {
        this.deadlocks.push(dl);
        fx.deadlocksChanged = true;
      }
    }
    if (typeof d.stalled === 'boolean' && d.stalled !== this.stalled) {
      this.stalled = d.stalled;
      fx.stalledChanged = true;
    }
    if (d.records) this.records = d.records;
    if (typeof d.nowNs === 'number' && d.nowNs > this.nowNs) this.nowNs = d.nowNs;
    for (const p of this.processes.values()) if (p.endNs !== null && p.endNs > extent) extent = p.endNs;
    this.extentNs = Math.max(extent, this.nowNs);
    if (fx.entitiesChanged) this.entityVersion++;
    this.deltasApplied++;
    return fx;
  }

  /** Sorts any lane that received out-of-order data; call before reading lanes. */
  prepare(): void {
    for (const l of this.spans.values()) l.ensureSorted();
    for (const l of this.holds.values()) l.ensureSorted();
    for (const l of this.counters.values()) l.ensureSorted();
    for (const l of this.instants.values()) l.ensureSorted();
  }

  threadName(uid: number): string {
    return this.threads.get(uid)?.name ?? `thread #${uid}`;
  }

  objectLabel(uid: number): string {
    if (uid < 0) return '';
    const o = this.objects.get(uid);
    return o ? `${o.kind} ${o.label}` : `object #${uid}`;
  }

  /** ns per state (running, blocked, waiting, sleeping) of a thread, including its open state. */
  stateTotals(thread: number): [number, number, number, number] {
    const lane = this.spans.get(thread);
    const out: [number, number, number, number] = lane
      ? [lane.totals[0], lane.totals[1], lane.totals[2], lane.totals[3]]
      : [0, 0, 0, 0];
    const o = this.open.get(thread);
    if (o && o.state >= 0 && o.state < 4 && this.nowNs > o.sinceNs) out[o.state] += this.nowNs - o.sinceNs;
    return out;
  }

  /** Approximate bytes held by the columnar data (for the benchmark and a debug readout). */
  bytes(): number {
    let b = 0;
    for (const l of this.spans.values()) b += l.bytes();
    for (const l of this.holds.values()) b += l.bytes();
    for (const l of this.counters.values()) b += l.bytes();
    for (const l of this.instants.values()) b += l.bytes();
    return b;
  }
}

export function deadlockKey(d: Deadlock): string {
  return `${d.threads.join(',')}|${d.objects.join(',')}`;
}
