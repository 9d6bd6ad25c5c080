/**
 * Plain-language summaries: the deadlock banner's sentence, the per-thread and per-object
 * figures of the Summary tab, and the text a screen reader gets instead of the canvas. Pure.
 */
import type { Deadlock, RunStatus } from '../extension/protocol';
import { formatCount, formatDuration, processExitText, recordsText, statusText, STATE_NAMES } from './format';
import { processOrder } from './layout';
import type { TimelineStore } from './model/store';

/** "Deadlock: Worker-1 waits for Lock a held by Worker-2, Worker-2 waits for Lock b held by Worker-1." */
export function deadlockText(d: Deadlock, threadName: (uid: number) => string, objectLabel: (uid: number) => string): string {
  const n = d.threads.length;
  if (n === 0) return 'Deadlock detected.';
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const waiter = threadName(d.threads[i]);
    const obj = d.objects[i];
    const holder = threadName(d.threads[(i + 1) % n]);
    parts.push(obj !== undefined ? `${waiter} waits for ${objectLabel(obj)} held by ${holder}` : `${waiter} waits for ${holder}`);
  }
  return `Deadlock: ${parts.join(', ')}.`;
}

export interface ThreadRow {
  uid: number;
  name: string;
  process: string;
  /** ns per state: running, blocked, waiting, sleeping. */
  ns: [number, number, number, number];
  total: number;
  ended: boolean;
}

/** Threads in process tree order with their time per state. */
export function threadRows(store: TimelineStore): ThreadRow[] {
  const rows: ThreadRow[] = [];
  const seen = new Set<number>();
  const add = (uid: number, process: string) => {
    if (seen.has(uid)) return;
    seen.add(uid);
    const ns = store.stateTotals(uid);
    const t = store.threads.get(uid);
    rows.push({
      uid,
      name: store.threadName(uid),
      process,
      ns,
      total: ns[0] + ns[1] + ns[2] + ns[3],
      ended: t ? t.endNs !== null : false,
    });
  };
  for (const { uid } of processOrder(store.processes)) {
    const p = store.processes.get(uid)!;
    const threads = [...store.threads.values()]
      .filter((t) => t.processUid === uid)
      .sort((a, b) => (a.isMain === b.isMain ? a.startNs - b.startNs || a.uid - b.uid : a.isMain ? -1 : 1));
    for (const t of threads) add(t.uid, `${p.name} (${p.pid})`);
  }
  for (const t of store.threads.values()) add(t.uid, '');
  for (const uid of store.spans.keys()) add(uid, '');
  return rows;
}

export interface ObjectRow {
  uid: number;
  label: string;
  kind: string;
  acquisitions: number;
  contended: number;
  totalWaitNs: number;
  maxWaitNs: number;
}

/** Objects with statistics, most waited-on first. */
export function objectRows(store: TimelineStore): ObjectRow[] {
  const rows: ObjectRow[] = [];
  for (const [uid, s] of store.stats) {
    const o = store.objects.get(uid);
    rows.push({
      uid,
      label: o?.label ?? `#${uid}`,
      kind: o?.kind ?? '',
      acquisitions: s.acquisitions,
      contended: s.contended,
      totalWaitNs: s.totalWaitNs,
      maxWaitNs: s.maxWaitNs,
    });
  }
  rows.sort((a, b) => b.totalWaitNs - a.totalWaitNs || b.contended - a.contended || a.uid - b.uid);
  return rows;
}

function pct(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 100)}%` : '0%';
}

/** Sentences describing the run for screen readers and the top of the Summary tab. */
export function runSummarySentences(store: TimelineStore, status: RunStatus | null): string[] {
  const out: string[] = [];
  const title = store.header?.title;
  out.push(`${title ? `${title}: ` : ''}${statusText(status)}. ${recordsText(store.records)}.`);
  const procs = processOrder(store.processes).map(({ uid }) => store.processes.get(uid)!);
  out.push(
    `${procs.length} process${procs.length === 1 ? '' : 'es'}, ${store.threads.size} thread${store.threads.size === 1 ? '' : 's'}, ` +
      `${formatDuration(store.extentNs)} recorded.`,
  );
  for (const p of procs) {
    out.push(`Process ${p.name} (pid ${p.pid}, ${p.startMethod}): ${processExitText(p)}.`);
  }
  for (const r of threadRows(store)) {
    const parts = STATE_NAMES.map((name, i) => `${name} ${formatDuration(r.ns[i])} (${pct(r.ns[i], r.total)})`);
    out.push(`Thread ${r.name}${r.ended ? ', ended' : ''}: ${parts.join(', ')}.`);
  }
  for (const o of objectRows(store).slice(0, 20)) {
    out.push(
      `${o.kind} ${o.label}: ${formatCount(o.acquisitions)} acquisitions, ${formatCount(o.contended)} contended, ` +
        `total wait ${formatDuration(o.totalWaitNs)}, max wait ${formatDuration(o.maxWaitNs)}.`,
    );
  }
  for (const d of store.deadlocks) {
    out.push(deadlockText(d, (u) => store.threadName(u), (u) => store.objectLabel(u)));
  }
  if (store.stalled) out.push('The run looks stalled: no thread has made progress for a while.');
  return out;
}
