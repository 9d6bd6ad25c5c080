/**
 * One synchronization object in the lifecycle model: who holds it, its statistics, and the
 * matching of flows (release -> acquire, notify/set -> wake, put -> get).
 *
 * Records of different processes arrive on different connections, so a get can be decoded
 * before the put it took (or a wake before the set): unmatched ends wait, bounded, for their
 * partner instead of being lost or paired wrongly. A get paired by time order also waits for
 * the gets of other processes that happened before it and have not arrived yet (see settle).
 */
import { FlowKind, ObjectInfo } from '../protocol';

export interface SyncOutput {
  hold(obj: number, thread: number, startNs: number, endNs: number): void;
  flow(kind: FlowKind, fromThread: number, fromNs: number, toThread: number, toNs: number, obj: number): void;
  /** The object went from no holder to one (true), or back (false): the model lists open holds from these. */
  held(obj: SyncObject, isHeld: boolean): void;
}

/** Kinds with a single owner; semaphores are counted, not owned. */
const OWNED_KINDS = new Set(['Lock', 'RLock', 'Condition']);
const MAX_PENDING = 100_000;
/**
 * How long a get paired by time order waits before it takes a put. Queues and pipes are FIFO:
 * the n-th get takes the n-th put. Taking puts in arrival order instead goes wrong when two
 * processes get from one queue: the later get, flushed first, takes the earlier get's put, and
 * the earlier one can be left with none. Every process flushes at least every 20 ms, so by this
 * age the gets before it have arrived (in all but a badly stalled run).
 */
export const GET_SETTLE_NS = 300_000_000;
const RECENT_SIGNALS = 64;

interface End {
  thread: number;
  t: number;
  key: string | null; // exact pairing key (process:sequence), or null for time order
  taken: boolean;
}

interface Wake {
  thread: number;
  sinceNs: number;
  t: number;
  kind: FlowKind;
}

export class SyncObject {
  readonly owned: boolean;
  // Holders in parallel arrays: one almost always (a few for a semaphore); no garbage per hold.
  private readonly holderThread: number[] = [];
  private readonly holderCount: number[] = [];
  private readonly holderSince: number[] = [];
  /** A hold inferred from another thread's wait (the holder's own acquire may arrive later). */
  private holderHinted = false;
  /**
   * Owners replaced before their release record arrived: a thread can be preempted between
   * releasing and writing the record, so the next owner's acquire may come first. `until`: when
   * the next owner acquired (one thread holds a lock at a time: the hold had ended by then).
   */
  private readonly displaced: { thread: number; since: number; until: number }[] = [];
  private lastReleaseThread = -1;
  private lastReleaseNs = 0;
  private lastValue: number | null = null;
  private readonly signals: { thread: number; t: number; until: number }[] = [];
  private readonly pendingWakes: Wake[] = [];
  private readonly puts: End[] = [];
  private readonly putsByKey = new Map<string, End>();
  private readonly pendingGets: End[] = [];
  /** Gets paired by time order that wait for settle(), sorted by time. */
  private readonly settling: End[] = [];
  // statistics
  readonly acquisitionsByConn = new Map<number, number>();
  readonly contendedByConn = new Map<number, number>();
  contendedWaits = 0;
  /** Acquisitions seen as records: uncontended Acquire records (full mode) plus acquired waits. */
  acquisitionRecords = 0;
  totalWaitNs = 0;
  maxWaitNs = 0;

  constructor(
    readonly info: ObjectInfo,
    readonly key: string | null,
    readonly peerKey: string | null,
    private readonly out: SyncOutput,
  ) {
    this.owned = OWNED_KINDS.has(info.kind);
  }

  get uid(): number {
    return this.info.uid;
  }

  /** The single owner, for the wait-for graph (-1: none or not an owned lock). */
  get owner(): number {
    return this.owned && this.holderThread.length === 1 ? this.holderThread[0] : -1;
  }

  /** The holds that have not ended: (thread, since) for each current holder. */
  forEachHolder(fn: (thread: number, sinceNs: number) => void): void {
    for (let i = 0; i < this.holderThread.length; i++) fn(this.holderThread[i], this.holderSince[i]);
  }

  holds(thread: number): boolean {
    return this.holderThread.indexOf(thread) >= 0;
  }

  // ------------------------------------------------------------------ holds

  acquire(thread: number, t: number): void {
    if (this.owned) {
      this.acquisitionRecords++;
      this.setOwner(thread, t, false);
    } else this.addHolder(thread, t); // a semaphore's acquisitions are counted from its values
  }

  /**
   * Another thread's wait names `thread` as the holder. A waiter can be preempted between taking
   * its timestamp and writing the record, so a hint older than the last release is stale; so is
   * one older than a known owner's acquire (the hinted hold had ended by then, its release
   * written late or, in smart mode, never): displacing that owner would lose its hold.
   */
  hint(thread: number, t: number): void {
    if (this.lastReleaseThread >= 0 && t < this.lastReleaseNs) return;
    if (this.owned && this.holderThread.length > 0 && !this.holderHinted && t < this.holderSince[0]) return;
    if (this.holderThread.length === 0 || (this.owned && this.holderThread[0] !== thread)) this.setOwner(thread, t, true);
  }

  /** A contended acquire succeeded after waiting since `sinceNs`. */
  acquiredAfterWait(thread: number, sinceNs: number, t: number): void {
    // A semaphore has no owner that a wait hands it to (it is often released by another
    // thread, as a signal): the count over time is its picture, and in full mode the Acquire
    // record that follows the wait begins the hold.
    if (this.owned) this.acquire(thread, t);
    const from = this.lastReleaseThread;
    if (from >= 0 && from !== thread && this.lastReleaseNs >= sinceNs - 1) this.out.flow('release-acquire', from, this.lastReleaseNs, thread, t, this.uid);
  }

  /**
   * A semaphore's value changed (its SemaphoreValue records come from the thread that changed
   * it): a rise is a release, which may end another thread's wait (release -> acquire flow);
   * a fall is an acquisition (every acquire takes one, in every mode).
   */
  semaphoreValue(thread: number, t: number, value: number): void {
    if (this.lastValue !== null && value > this.lastValue) {
      this.lastReleaseThread = thread;
      this.lastReleaseNs = t;
    } else if (this.lastValue !== null && value < this.lastValue) {
      this.acquisitionRecords += this.lastValue - value;
    }
    this.lastValue = value;
  }

  release(thread: number, t: number): void {
    this.lastReleaseThread = thread;
    this.lastReleaseNs = t;
    let i = this.holderThread.indexOf(thread);
    // A semaphore may be released by a thread other than the one that acquired it.
    if (i < 0 && !this.owned && this.holderThread.length > 0) i = 0;
    // The tracer records only the outermost acquire/release of an RLock: an owner holds once.
    if (i < 0) {
      // Only a release from before the next owner's acquire ends a displaced hold: a later one
      // is another hold's (or a waiter's stale account of a holder), and must not stretch this
      // hold over the holds in between.
      const d = this.displacedEndingAt(thread, t);
      if (d >= 0) {
        const h = this.displaced.splice(d, 1)[0];
        this.out.hold(this.uid, thread, h.since, t > h.since ? t : h.since);
      }
      return;
    }
    if (!this.owned && --this.holderCount[i] > 0) return;
    this.closeHold(i, t);
  }

  /**
   * The tracer's flusher saw `thread` holding the lock since `t` (Acquire flags 2): a hold whose
   * Hold record has not come yet. Stale when it began before the last release (it has ended).
   */
  holdGoesOn(thread: number, t: number): void {
    if (this.lastReleaseThread >= 0 && t < this.lastReleaseNs) return;
    this.acquire(thread, t);
  }

  /**
   * A whole hold, written at its release (full mode's `with lock:`, RecordType.Hold). When the
   * thread already holds the lock here (a recorded wait or another thread's hint began the hold)
   * this ends that hold; otherwise it is an acquisition and a hold of its own, and it leaves the
   * current owner alone: a Hold can arrive after the next owner's records (the holder may be
   * preempted between its release and writing the record).
   */
  hold(thread: number, start: number, end: number): void {
    const i = this.holderThread.indexOf(thread);
    if (i >= 0 && this.owned) {
      if (this.holderHinted) {
        // the hint began the hold when another thread saw it; the holder knows when it began
        this.holderHinted = false;
        this.holderSince[i] = start;
        this.acquisitionRecords++;
      }
      this.release(thread, end);
      return;
    }
    if (i >= 0 || this.displacedEndingAt(thread, end) >= 0) {
      this.release(thread, end);
      return;
    }
    this.acquisitionRecords++;
    this.out.hold(this.uid, thread, start, end > start ? end : start);
    if (end >= this.lastReleaseNs) {
      this.lastReleaseThread = thread;
      this.lastReleaseNs = end;
    }
  }

  /** The displaced hold of `thread` that a release at `t` can end, or -1. */
  private displacedEndingAt(thread: number, t: number): number {
    return this.displaced.findIndex((h) => h.thread === thread && t <= h.until);
  }

  /** The thread ended: whatever it still held is released now. */
  releaseAll(thread: number, t: number): void {
    const i = this.holderThread.indexOf(thread);
    if (i >= 0) this.closeHold(i, t);
  }

  private setOwner(thread: number, t: number, hinted: boolean): void {
    if (this.holderThread.length > 0) {
      if (this.holderThread[0] === thread) {
        // The owner's own acquire confirms a hinted hold and tells when it really began.
        if (this.holderHinted && !hinted) {
          this.holderHinted = false;
          this.holderSince[0] = t;
        }
        return;
      }
      // The previous owner's release has not arrived: it may still come (written late), or never
      // (smart mode records only releases that someone waits for). Keep a few such holds aside
      // to close when their release arrives; an unknown end is dropped rather than invented.
      if (!this.holderHinted) {
        this.displaced.push({ thread: this.holderThread[0], since: this.holderSince[0], until: t });
        if (this.displaced.length > 8) this.displaced.shift();
      }
      this.removeAt(0);
    }
    this.holderThread.push(thread);
    this.holderCount.push(1);
    this.holderSince.push(t);
    this.holderHinted = hinted;
    if (this.holderThread.length === 1) this.out.held(this, true);
  }

  private addHolder(thread: number, t: number): void {
    const i = this.holderThread.indexOf(thread);
    if (i >= 0) this.holderCount[i]++;
    else {
      this.holderThread.push(thread);
      this.holderCount.push(1);
      this.holderSince.push(t);
      if (this.holderThread.length === 1) this.out.held(this, true);
    }
  }

  private closeHold(i: number, t: number): void {
    const since = this.holderSince[i];
    this.out.hold(this.uid, this.holderThread[i], since, t > since ? t : since);
    this.removeAt(i);
  }

  private removeAt(i: number): void {
    const last = this.holderThread.length - 1;
    this.holderThread[i] = this.holderThread[last];
    this.holderCount[i] = this.holderCount[last];
    this.holderSince[i] = this.holderSince[last];
    this.holderThread.pop();
    this.holderCount.pop();
    this.holderSince.pop();
    this.holderHinted = false;
    if (last === 0) this.out.held(this, false);
  }

  noteWait(waitedNs: number): void {
    this.contendedWaits++;
    this.totalWaitNs += waitedNs;
    if (waitedNs > this.maxWaitNs) this.maxWaitNs = waitedNs;
  }

  // ------------------------------------------------------------------ notify/set -> wake

  /**
   * A notify, or a set that began at `t` and had taken effect by `until`: a set is stamped before
   * it takes effect, so a wait that began after `t` (the waiter found the event clear) can still
   * be woken by it, if it began before `until`.
   */
  signal(thread: number, t: number, until = t): void {
    for (let i = 0; i < this.pendingWakes.length; i++) {
      const w = this.pendingWakes[i];
      if (w.thread !== thread && until >= w.sinceNs - 1 && t <= w.t) {
        this.out.flow(w.kind, thread, t, w.thread, w.t, this.uid);
        this.pendingWakes.splice(i--, 1);
      }
    }
    this.signals.push({ thread, t, until });
    if (this.signals.length > RECENT_SIGNALS) this.signals.shift();
  }

  /** A wait on this condition/event ended woken: draw the notify/set that woke it. */
  woke(thread: number, sinceNs: number, t: number, kind: FlowKind): void {
    for (let i = this.signals.length - 1; i >= 0; i--) {
      const s = this.signals[i];
      if (s.thread !== thread && s.until >= sinceNs - 1 && s.t <= t) {
        this.out.flow(kind, s.thread, s.t, thread, t, this.uid);
        return;
      }
    }
    if (this.pendingWakes.length < MAX_PENDING) this.pendingWakes.push({ thread, sinceNs, t, kind });
  }

  // ------------------------------------------------------------------ put -> get

  /** `key` pairs a get with its put exactly when the tracer knows the item (queue.Queue). */
  put(thread: number, t: number, key: string | null): void {
    const end: End = { thread, t, key, taken: false };
    for (let i = 0; i < this.pendingGets.length; i++) {
      const g = this.pendingGets[i];
      if (g.key !== null ? g.key === key : g.t >= t) {
        this.pendingGets.splice(i, 1);
        this.out.flow('put-get', thread, t, g.thread, g.t, this.uid);
        return;
      }
    }
    if (this.puts.length >= MAX_PENDING) return;
    this.puts.push(end);
    if (key !== null) this.putsByKey.set(key, end);
  }

  /** A get; true when it waits for settle() (the model then calls settle for this object). */
  get(thread: number, t: number, exactKey: string | null): boolean {
    const end: End = { thread, t, key: exactKey, taken: false };
    if (exactKey !== null) {
      this.take(end);
      return false;
    }
    if (this.settling.length >= MAX_PENDING) this.take(this.settling.shift()!);
    let i = this.settling.length;
    while (i > 0 && this.settling[i - 1].t > t) i--;
    this.settling.splice(i, 0, end);
    return true;
  }

  /** Pairs the waiting gets made up to `untilNs`, oldest first; true while some still wait. */
  settle(untilNs: number): boolean {
    let n = 0;
    while (n < this.settling.length && this.settling[n].t <= untilNs) this.take(this.settling[n++]);
    this.settling.splice(0, n);
    return this.settling.length > 0;
  }

  private take(g: End): void {
    let from: End | undefined;
    while (this.puts.length > 0 && this.puts[0].taken) this.puts.shift();
    if (g.key !== null) {
      from = this.putsByKey.get(g.key);
    } else {
      // FIFO, the order of queues and pipes: the earliest untaken put made before this get.
      // Arrival order across processes is only locally off: look at the first few.
      for (let i = 0, seen = 0; i < this.puts.length && seen < 64; i++) {
        const p = this.puts[i];
        if (p.taken || p.t > g.t) continue;
        seen++;
        if (from === undefined || p.t < from.t) from = p;
      }
    }
    if (from) {
      from.taken = true;
      if (from.key !== null) this.putsByKey.delete(from.key);
      this.out.flow('put-get', from.thread, from.t, g.thread, g.t, this.uid);
    } else if (this.pendingGets.length < MAX_PENDING) {
      this.pendingGets.push(g);
    }
  }
}
