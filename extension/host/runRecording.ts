/**
 * The whole history of a run, merged from its deltas: what an export or a late viewer needs.
 * Entities are kept by uid (last upsert wins); columns and lists are appended.
 */
import { Deadlock, emptyDelta, Flow, Instant, ModelDelta, ObjectInfo, ObjectStats, ProcessInfo, SiteInfo, ThreadInfo } from '../protocol';

export class RunRecording {
  readonly processes = new Map<number, ProcessInfo>();
  readonly threads = new Map<number, ThreadInfo>();
  readonly objects = new Map<number, ObjectInfo>();
  readonly sites = new Map<number, SiteInfo>();
  readonly stats = new Map<number, ObjectStats>();
  readonly spans = emptyDelta(0).spans;
  readonly holds = emptyDelta(0).holds;
  readonly flows: Flow[] = [];
  readonly instants: Instant[] = [];
  readonly counters = emptyDelta(0).counters;
  readonly deadlocks: Deadlock[] = [];
  nowNs = 0;

  add(d: ModelDelta): void {
    this.nowNs = Math.max(this.nowNs, d.nowNs);
    for (const p of d.processes) this.processes.set(p.uid, p);
    for (const t of d.threads) this.threads.set(t.uid, t);
    for (const o of d.objects) this.objects.set(o.uid, o);
    for (const s of d.sites) this.sites.set(s.uid, s);
    for (const s of d.stats) this.stats.set(s.obj, s);
    appendColumns(this.spans, d.spans);
    appendColumns(this.holds, d.holds);
    append(this.flows, d.flows);
    append(this.instants, d.instants);
    append(this.counters, d.counters);
    append(this.deadlocks, d.deadlocks);
  }
}

function append<T>(into: T[], items: readonly T[]): void {
  const n = items.length;
  for (let i = 0; i < n; i++) into.push(items[i]);
}

function appendColumns<C extends { [K in keyof C]: number[] }>(into: C, from: C): void {
  for (const key of Object.keys(into) as (keyof C)[]) append(into[key], from[key]);
}
