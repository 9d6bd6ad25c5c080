/**
 * Vertical layout of the timeline: which rows exist, in which order, at which y.
 * Processes come in tree order (parent, then its children by start time, depth-first), each
 * followed by its threads (main thread first, then by start) and a collapsible group of its
 * synchronization objects. Pure: the same rows drive the DOM labels, the canvas and hit testing.
 */
import type { ObjectInfo, ProcessInfo, ThreadInfo } from '../extension/protocol';

export type RowKind = 'process' | 'thread' | 'objects' | 'object';

export interface Row {
  kind: RowKind;
  /** Process uid for 'process' and 'objects' rows, thread uid, object uid. -1: unknown process. */
  uid: number;
  /** Process tree depth (indentation of labels). */
  depth: number;
  y: number;
  h: number;
  /** Stable key, also used for collapse state: p:<uid>, t:<uid>, g:<uid>, o:<uid>. */
  key: string;
  /** Process and object-group rows: whether their content is hidden. */
  collapsed?: boolean;
  /** Object-group rows: how many objects the group holds. */
  count?: number;
}

/** An object group larger than this starts collapsed (a program can create locks by the thousand). */
export const AUTO_COLLAPSE_OBJECTS = 40;

export interface Layout {
  rows: Row[];
  height: number;
  threadRow: Map<number, number>;
  objectRow: Map<number, number>;
  processRow: Map<number, number>;
}

export interface LayoutInput {
  processes: ReadonlyMap<number, ProcessInfo>;
  threads: ReadonlyMap<number, ThreadInfo>;
  objects: ReadonlyMap<number, ObjectInfo>;
  /** Thread uids that have data (spans) even if no ThreadInfo arrived: they still get a lane. */
  extraThreads?: Iterable<number>;
  /** Object uids that have data (holds, counters) without an ObjectInfo. */
  extraObjects?: Iterable<number>;
}

export const ROW_HEIGHT: Record<RowKind, number> = {
  process: 36,
  thread: 20,
  objects: 20,
  object: 22,
};

/** Process uids in tree order with their depth. Cycles or missing parents make a node a root. */
export function processOrder(processes: ReadonlyMap<number, ProcessInfo>): { uid: number; depth: number }[] {
  const children = new Map<number, ProcessInfo[]>();
  const roots: ProcessInfo[] = [];
  for (const p of processes.values()) {
    const parent = p.parentUid;
    if (parent === -1 || parent === p.uid || !processes.has(parent)) roots.push(p);
    else {
      const list = children.get(parent);
      if (list) list.push(p);
      else children.set(parent, [p]);
    }
  }
  const byStart = (a: ProcessInfo, b: ProcessInfo) => a.startNs - b.startNs || a.uid - b.uid;
  roots.sort(byStart);
  const out: { uid: number; depth: number }[] = [];
  const seen = new Set<number>();
  const visit = (p: ProcessInfo, depth: number) => {
    if (seen.has(p.uid)) return;
    seen.add(p.uid);
    out.push({ uid: p.uid, depth });
    const kids = children.get(p.uid);
    if (kids) for (const k of kids.sort(byStart)) visit(k, depth + 1);
  };
  for (const r of roots) visit(r, 0);
  // A parent cycle (a→b→a) has no root: list what is left so nothing disappears.
  for (const p of [...processes.values()].sort(byStart)) if (!seen.has(p.uid)) visit(p, 0);
  return out;
}

function threadOrder(a: ThreadInfo, b: ThreadInfo): number {
  if (a.isMain !== b.isMain) return a.isMain ? -1 : 1;
  return a.startNs - b.startNs || a.uid - b.uid;
}

/**
 * `toggled` holds the keys the user flipped from their default: processes default to expanded,
 * object groups to expanded unless they hold more than AUTO_COLLAPSE_OBJECTS objects.
 */
export function buildLayout(input: LayoutInput, toggled: ReadonlySet<string>): Layout {
  const threadsByProcess = new Map<number, ThreadInfo[]>();
  const orphanThreads: number[] = [];
  for (const t of input.threads.values()) {
    if (!input.processes.has(t.processUid)) {
      orphanThreads.push(t.uid);
      continue;
    }
    const list = threadsByProcess.get(t.processUid);
    if (list) list.push(t);
    else threadsByProcess.set(t.processUid, [t]);
  }
  for (const uid of input.extraThreads ?? []) if (!input.threads.has(uid)) orphanThreads.push(uid);

  const objectsByProcess = new Map<number, number[]>();
  const orphanObjects: number[] = [];
  for (const o of input.objects.values()) {
    if (!input.processes.has(o.processUid)) {
      orphanObjects.push(o.uid);
      continue;
    }
    const list = objectsByProcess.get(o.processUid);
    if (list) list.push(o.uid);
    else objectsByProcess.set(o.processUid, [o.uid]);
  }
  for (const uid of input.extraObjects ?? []) if (!input.objects.has(uid)) orphanObjects.push(uid);

  const rows: Row[] = [];
  let y = 0;
  const add = (kind: RowKind, uid: number, depth: number, key: string, extra?: Partial<Row>) => {
    const h = ROW_HEIGHT[kind];
    rows.push({ kind, uid, depth, y, h, key, ...extra });
    y += h;
  };
  const addProcess = (puid: number, depth: number, threads: number[], objects: number[]) => {
    const pkey = `p:${puid}`;
    const pCollapsed = toggled.has(pkey);
    add('process', puid, depth, pkey, { collapsed: pCollapsed });
    if (pCollapsed) return;
    for (const t of threads) add('thread', t, depth, `t:${t}`);
    if (objects.length > 0) {
      const gkey = `g:${puid}`;
      const gCollapsed = (objects.length > AUTO_COLLAPSE_OBJECTS) !== toggled.has(gkey);
      add('objects', puid, depth, gkey, { collapsed: gCollapsed, count: objects.length });
      if (!gCollapsed) for (const o of objects) add('object', o, depth, `o:${o}`);
    }
  };

  for (const { uid, depth } of processOrder(input.processes)) {
    const threads = (threadsByProcess.get(uid) ?? []).sort(threadOrder).map((t) => t.uid);
    const objects = (objectsByProcess.get(uid) ?? []).sort((a, b) => a - b);
    addProcess(uid, depth, threads, objects);
  }
  if (orphanThreads.length > 0 || orphanObjects.length > 0) {
    addProcess(
      -1,
      0,
      [...new Set(orphanThreads)].sort((a, b) => a - b),
      [...new Set(orphanObjects)].sort((a, b) => a - b),
    );
  }

  const threadRow = new Map<number, number>();
  const objectRow = new Map<number, number>();
  const processRow = new Map<number, number>();
  rows.forEach((r, i) => {
    if (r.kind === 'thread') threadRow.set(r.uid, i);
    else if (r.kind === 'object') objectRow.set(r.uid, i);
    else if (r.kind === 'process') processRow.set(r.uid, i);
  });
  return { rows, height: y, threadRow, objectRow, processRow };
}

/** Index of the row containing content-y, or -1. Rows are contiguous and sorted by y. */
export function rowAtY(rows: readonly Row[], y: number): number {
  let lo = 0;
  let hi = rows.length - 1;
  while (lo <= hi) {
    const m = (lo + hi) >>> 1;
    const r = rows[m];
    if (y < r.y) hi = m - 1;
    else if (y >= r.y + r.h) lo = m + 1;
    else return m;
  }
  return -1;
}

/** Indices [first, last) of rows intersecting the content-y range [top, bottom). */
export function visibleRows(rows: readonly Row[], top: number, bottom: number): [number, number] {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (rows[m].y + rows[m].h <= top) lo = m + 1;
    else hi = m;
  }
  let end = lo;
  while (end < rows.length && rows[end].y < bottom) end++;
  return [lo, end];
}
