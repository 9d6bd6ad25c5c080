/**
 * Export to the Chrome Trace Event format (JSON object form), which Perfetto and chrome://tracing
 * open: processes as pids with their names, threads as tids, thread states as complete ("X")
 * events, each lock/semaphore as its own track of hold spans, counters ("C") for semaphore values
 * and queue lengths, instants ("i"), and flows ("s"/"f") for release->acquire, notify->wake,
 * put->get and parent->child.
 * Timestamps are microseconds since the run's start.
 */
import { ThreadState } from '../protocol';
import { RunRecording } from './runRecording';

export interface TraceEvent {
  name: string;
  ph: 'X' | 'B' | 'E' | 'i' | 'C' | 's' | 'f' | 'M';
  ts: number;
  pid: number;
  tid: number;
  dur?: number;
  cat?: string;
  id?: number;
  bp?: 'e';
  s?: 't' | 'p' | 'g';
  args?: Record<string, unknown>;
}

export interface ChromeTrace {
  traceEvents: TraceEvent[];
  displayTimeUnit: 'ms' | 'ns';
  otherData: Record<string, string>;
}

const STATE_NAMES = ['running', 'blocked', 'waiting', 'sleeping'];
/** Object tracks get tids far from real thread ids so they never collide. */
const OBJECT_TID_BASE = 1_000_000_000;

const us = (ns: number) => Math.round(ns / 10) / 100;

export function toChromeTrace(rec: RunRecording, title: string): ChromeTrace {
  const events: TraceEvent[] = [];
  const pidOf = (processUid: number) => rec.processes.get(processUid)?.pid ?? 0;
  const thread = (uid: number) => rec.threads.get(uid);
  const tidOf = (uid: number) => {
    const t = thread(uid);
    return t ? t.nativeId || t.ident || uid : uid;
  };
  const site = (uid: number) => (uid >= 0 ? rec.sites.get(uid) : undefined);
  const objectName = (uid: number) => {
    const o = rec.objects.get(uid);
    return o ? `${o.kind} ${o.label}` : `object ${uid}`;
  };

  for (const p of rec.processes.values()) {
    events.push({ name: 'process_name', ph: 'M', ts: 0, pid: p.pid, tid: 0, args: { name: `${p.name} (${p.startMethod})` } });
  }
  for (const t of rec.threads.values()) {
    events.push({ name: 'thread_name', ph: 'M', ts: 0, pid: t.pid, tid: tidOf(t.uid), args: { name: t.name } });
  }
  for (const o of rec.objects.values()) {
    events.push({ name: 'thread_name', ph: 'M', ts: 0, pid: pidOf(o.processUid), tid: OBJECT_TID_BASE + o.uid, args: { name: `${o.kind} ${o.label}` } });
  }

  const s = rec.spans;
  for (let i = 0; i < s.thread.length; i++) {
    const t = thread(s.thread[i]);
    if (!t) continue;
    const args: Record<string, unknown> = {};
    if (s.obj[i] >= 0) args.object = objectName(s.obj[i]);
    const where = site(s.site[i]);
    if (where) args.source = `${where.file}:${where.line}`;
    const state = STATE_NAMES[s.state[i]] ?? 'unknown';
    const name = s.state[i] === ThreadState.Running ? state : `${state}${args.object ? ` on ${args.object}` : ''}`;
    events.push({ name, cat: state, ph: 'X', ts: us(s.startNs[i]), dur: us(s.endNs[i] - s.startNs[i]), pid: t.pid, tid: tidOf(t.uid), args });
  }

  const h = rec.holds;
  for (let i = 0; i < h.obj.length; i++) {
    const o = rec.objects.get(h.obj[i]);
    if (!o) continue;
    events.push({
      name: `held by ${thread(h.thread[i])?.name ?? '?'}`,
      cat: 'hold',
      ph: 'X',
      ts: us(h.startNs[i]),
      dur: us(h.endNs[i] - h.startNs[i]),
      pid: pidOf(o.processUid),
      tid: OBJECT_TID_BASE + o.uid,
    });
  }

  for (let i = 0; i < rec.counters.length; i++) {
    const c = rec.counters[i];
    const o = rec.objects.get(c.obj);
    if (!o) continue;
    events.push({ name: objectName(c.obj), ph: 'C', ts: us(c.tNs), pid: pidOf(o.processUid), tid: 0, args: { value: c.value } });
  }

  for (const inst of rec.instants) {
    const t = thread(inst.thread);
    if (!t) continue;
    const args: Record<string, unknown> = {};
    if (inst.obj >= 0) args.object = objectName(inst.obj);
    if (inst.detail !== undefined) args.detail = inst.detail;
    events.push({ name: inst.kind, cat: 'event', ph: 'i', s: 't', ts: us(inst.tNs), pid: t.pid, tid: tidOf(t.uid), args });
  }

  let flowId = 1;
  for (const f of rec.flows) {
    const from = thread(f.fromThread);
    const to = thread(f.toThread);
    if (!from || !to) continue;
    const id = flowId++;
    events.push({ name: f.kind, cat: 'flow', ph: 's', id, ts: us(f.fromNs), pid: from.pid, tid: tidOf(from.uid) });
    events.push({ name: f.kind, cat: 'flow', ph: 'f', bp: 'e', id, ts: us(f.toNs), pid: to.pid, tid: tidOf(to.uid) });
  }

  for (const d of rec.deadlocks) {
    const first = thread(d.threads[0]);
    if (!first) continue;
    events.push({
      name: 'deadlock',
      cat: 'deadlock',
      ph: 'i',
      s: 'g',
      ts: us(d.detectedNs),
      pid: first.pid,
      tid: tidOf(first.uid),
      args: { threads: d.threads.map((u) => thread(u)?.name ?? u), objects: d.objects.map(objectName) },
    });
  }

  events.sort((a, b) => a.ts - b.ts || (a.ph === 'M' ? -1 : 0));
  return { traceEvents: events, displayTimeUnit: 'ms', otherData: { title, producer: 'Parallel Cookbook' } };
}
