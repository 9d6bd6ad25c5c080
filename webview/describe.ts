/**
 * Words for what the pointer is on: the tooltip shows `title` and the first rows, the inspector
 * shows everything and offers "Go to source" when `source` is set. Pure.
 */
import type { Hit } from './hitTest';
import type { TimelineStore } from './model/store';
import { FLOW_KINDS, INSTANT_KINDS } from './model/store';
import {
  describeState,
  formatCount,
  formatDuration,
  formatTimestamp,
  processExitText,
  shortPath,
  stateName,
  waitKindText,
} from './format';

export interface Description {
  title: string;
  /** Colour class of the title swatch: a state name, 'held', 'instant', or '' for none. */
  swatch: string;
  rows: [string, string][];
  source: { file: string; line: number } | null;
}

function siteRows(store: TimelineStore, site: number): { rows: [string, string][]; source: Description['source'] } {
  const s = site >= 0 ? store.sites.get(site) : undefined;
  if (!s) return { rows: [], source: null };
  return {
    rows: [['Source', `${shortPath(s.file)}:${s.line}${s.func ? ` in ${s.func}()` : ''}`]],
    source: s.line >= 1 && s.file ? { file: s.file, line: s.line } : null,
  };
}

function objectSource(store: TimelineStore, obj: number): Description['source'] {
  const o = store.objects.get(obj);
  return o && o.file && o.line !== null && o.line >= 1 ? { file: o.file, line: o.line } : null;
}

/** Whether a hit still designates something (an open state closes, a reset empties lanes). */
export function hitIsValid(store: TimelineStore, hit: Hit): boolean {
  switch (hit.kind) {
    case 'span':
      return hit.index < (store.spans.get(hit.thread)?.length ?? 0);
    case 'open':
      return store.open.has(hit.thread);
    case 'instant':
      return hit.index < (store.instants.get(hit.thread)?.length ?? 0);
    case 'hold':
      return hit.index < (store.holds.get(hit.obj)?.length ?? 0);
    case 'counter':
      return hit.index < (store.counters.get(hit.obj)?.length ?? 0);
    case 'thread':
      return store.threads.has(hit.thread) || store.spans.has(hit.thread);
    case 'process':
    case 'objects':
      return store.processes.has(hit.process) || hit.process === -1;
    case 'object':
      return store.objects.has(hit.obj) || store.holds.has(hit.obj) || store.counters.has(hit.obj);
  }
}

export function describeHit(store: TimelineStore, hit: Hit): Description | null {
  if (!hitIsValid(store, hit)) return null;
  switch (hit.kind) {
    case 'span': {
      const lane = store.spans.get(hit.thread)!;
      const i = hit.index;
      const st = lane.state[i];
      const obj = lane.obj[i];
      const wk = lane.waitKind[i];
      const s = lane.start[i];
      const e = lane.end[i];
      const site = siteRows(store, lane.site[i]);
      const rows: [string, string][] = [
        ['Thread', store.threadName(hit.thread)],
        ['Duration', formatDuration(e - s)],
      ];
      if (obj >= 0) rows.push(['Object', store.objectLabel(obj)]);
      const w = waitKindText(wk);
      if (w) rows.push(['Wait', w]);
      rows.push(...site.rows);
      rows.push(['From', formatTimestamp(s)], ['To', formatTimestamp(e)]);
      if (hit.spansInPixel > 1) rows.push(['Merged', `${formatCount(hit.spansInPixel)} spans share this pixel; zoom in to separate them`]);
      return {
        title: capitalise(describeState(st, obj >= 0 ? store.objectLabel(obj) : '', wk)),
        swatch: stateName(st),
        rows,
        source: site.source,
      };
    }
    case 'open': {
      const o = store.open.get(hit.thread)!;
      const site = siteRows(store, o.site);
      const rows: [string, string][] = [
        ['Thread', store.threadName(hit.thread)],
        ['Duration', `${formatDuration(Math.max(0, store.nowNs - o.sinceNs))} so far`],
      ];
      if (o.obj >= 0) rows.push(['Object', store.objectLabel(o.obj)]);
      const w = waitKindText(o.waitKind);
      if (w) rows.push(['Wait', w]);
      rows.push(...site.rows);
      rows.push(['Since', formatTimestamp(o.sinceNs)]);
      if (isInDeadlock(store, hit.thread)) rows.push(['Deadlock', 'this thread is part of a deadlock cycle']);
      return {
        title: `${capitalise(describeState(o.state, o.obj >= 0 ? store.objectLabel(o.obj) : '', o.waitKind))} (now)`,
        swatch: stateName(o.state),
        rows,
        source: site.source,
      };
    }
    case 'instant': {
      const lane = store.instants.get(hit.thread)!;
      const i = hit.index;
      const kind = INSTANT_KINDS[lane.kind[i]] ?? 'event';
      const rows: [string, string][] = [
        ['Thread', store.threadName(hit.thread)],
        ['At', formatTimestamp(lane.t[i])],
      ];
      const obj = lane.obj[i];
      if (obj >= 0) rows.push(['Object', store.objectLabel(obj)]);
      const d = lane.detail[i];
      if (d >= 0) rows.push([kind === 'exception' ? 'Message' : 'Detail', store.details[d] ?? '']);
      return {
        title: kind === 'exception' ? 'Exception' : `${capitalise(kind.replace('-', ' '))}${obj >= 0 ? ` on ${store.objectLabel(obj)}` : ''}`,
        swatch: kind === 'exception' ? 'error' : 'instant',
        rows,
        source: obj >= 0 ? objectSource(store, obj) : null,
      };
    }
    case 'hold': {
      const lane = store.holds.get(hit.obj)!;
      const i = hit.index;
      return {
        title: `${store.objectLabel(hit.obj)} held by ${store.threadName(lane.thread[i])}`,
        swatch: 'held',
        rows: [
          ['Duration', formatDuration(lane.end[i] - lane.start[i])],
          ['From', formatTimestamp(lane.start[i])],
          ['To', formatTimestamp(lane.end[i])],
        ],
        source: objectSource(store, hit.obj),
      };
    }
    case 'counter': {
      const c = store.counters.get(hit.obj)!;
      const o = store.objects.get(hit.obj);
      const what = counterMeaning(o?.kind ?? '');
      const v = c.value[hit.index];
      const next = hit.index + 1 < c.length ? c.t[hit.index + 1] : null;
      const rows: [string, string][] = [[capitalise(what), what === 'state' ? (v ? 'set' : 'clear') : formatCount(v)]];
      rows.push(['Since', formatTimestamp(c.t[hit.index])]);
      if (next !== null) rows.push(['For', formatDuration(next - c.t[hit.index])]);
      return { title: store.objectLabel(hit.obj), swatch: 'counter', rows, source: objectSource(store, hit.obj) };
    }
    case 'thread': {
      const t = store.threads.get(hit.thread);
      const rows: [string, string][] = [];
      if (t) {
        rows.push(['Ident', String(t.ident)], ['Native id', String(t.nativeId)], ['Started', formatTimestamp(t.startNs)]);
        rows.push(['Ended', t.endNs === null ? 'still running' : formatTimestamp(t.endNs)]);
        if (t.daemon) rows.push(['Daemon', 'yes']);
      }
      const totals = store.stateTotals(hit.thread);
      totals.forEach((ns, s) => rows.push([capitalise(stateName(s)), formatDuration(ns)]));
      return { title: `Thread ${store.threadName(hit.thread)}`, swatch: '', rows, source: null };
    }
    case 'process': {
      const p = store.processes.get(hit.process);
      if (!p) return { title: 'Unknown process', swatch: '', rows: [], source: null };
      const rows: [string, string][] = [
        ['PID', String(p.pid)],
        ['Parent PID', String(p.ppid)],
        ['Start method', p.startMethod],
        ['Status', processExitText(p)],
        ['Python', p.python],
        ['Command', p.argv.join(' ')],
        ['Started', formatTimestamp(p.startNs)],
      ];
      if (p.endNs !== null) rows.push(['Lifetime', formatDuration(p.endNs - p.startNs)]);
      return { title: `Process ${p.name} (pid ${p.pid})`, swatch: '', rows, source: null };
    }
    case 'objects': {
      let n = 0;
      for (const o of store.objects.values()) if (o.processUid === hit.process) n++;
      return { title: 'Synchronization objects', swatch: '', rows: [['Objects', String(n)]], source: null };
    }
    case 'object': {
      const o = store.objects.get(hit.obj);
      const st = store.stats.get(hit.obj);
      const rows: [string, string][] = [];
      if (st) {
        rows.push(
          ['Acquisitions', formatCount(st.acquisitions)],
          ['Contended', formatCount(st.contended)],
          ['Total wait', formatDuration(st.totalWaitNs)],
          ['Max wait', formatDuration(st.maxWaitNs)],
        );
      }
      if (o?.file) rows.push(['Created at', `${shortPath(o.file)}${o.line ? `:${o.line}` : ''}`]);
      return { title: store.objectLabel(hit.obj), swatch: '', rows, source: objectSource(store, hit.obj) };
    }
  }
}

export function counterMeaning(kind: string): string {
  const k = kind.toLowerCase();
  if (k.includes('semaphore')) return 'count';
  if (k.includes('queue') || k.includes('pipe')) return 'length';
  if (k.includes('event')) return 'state';
  return 'value';
}

export function isInDeadlock(store: TimelineStore, thread: number): boolean {
  return store.deadlocks.some((d) => d.threads.includes(thread));
}

export function flowKindText(kind: number): string {
  const k = FLOW_KINDS[kind] ?? 'flow';
  return k.replace('-', ' → ');
}

function capitalise(s: string): string {
  return s.length > 0 ? s[0].toUpperCase() + s.slice(1) : s;
}

/** The time range a hit covers (for "Zoom to"), or null when it has none. */
export function hitTimeRange(store: TimelineStore, hit: Hit): [number, number] | null {
  if (!hitIsValid(store, hit)) return null;
  switch (hit.kind) {
    case 'span': {
      const l = store.spans.get(hit.thread)!;
      return [l.start[hit.index], l.end[hit.index]];
    }
    case 'open': {
      const o = store.open.get(hit.thread)!;
      return [o.sinceNs, Math.max(store.nowNs, o.sinceNs)];
    }
    case 'instant': {
      const t = store.instants.get(hit.thread)!.t[hit.index];
      return [t, t];
    }
    case 'hold': {
      const l = store.holds.get(hit.obj)!;
      return [l.start[hit.index], l.end[hit.index]];
    }
    case 'counter': {
      const c = store.counters.get(hit.obj)!;
      const end = hit.index + 1 < c.length ? c.t[hit.index + 1] : Math.max(store.nowNs, c.t[hit.index]);
      return [c.t[hit.index], end];
    }
    case 'thread': {
      const t = store.threads.get(hit.thread);
      return t ? [t.startNs, t.endNs ?? store.nowNs] : null;
    }
    case 'process': {
      const p = store.processes.get(hit.process);
      return p ? [p.startNs, p.endNs ?? store.nowNs] : null;
    }
    default:
      return null;
  }
}
