/**
 * The Summary tab: per-thread time per state as bars and numbers, per-object contention, the
 * deadlocks, and the whole in sentences. Tables rather than charts so every figure is text.
 */
import type { RunStatus, SpeedupRow } from '../../extension/protocol';
import type { TimelineStore } from '../model/store';
import { formatCount, formatDuration, recordsText, statusText, STATE_NAMES } from '../format';
import { objectRows, runSummarySentences, threadRows } from '../summaryText';
import { h, setChildren } from './dom';

export function renderSummary(el: HTMLElement, store: TimelineStore, status: RunStatus | null, speedups: SpeedupRow[] | null = null): void {
  const header = store.header;
  const parts: (HTMLElement | null)[] = [];
  parts.push(h('h2', { text: header?.title || 'Run' }));
  parts.push(h('p', { class: 'tl-summary-status', text: `${statusText(status)} · ${recordsText(store.records)}` }));
  if (header?.command) parts.push(h('p', { class: 'tl-label-meta', text: header.command }));

  if (speedups && speedups.length > 0) parts.push(...speedupChart(speedups));

  const threads = threadRows(store);
  parts.push(h('h2', { text: 'Threads' }));
  if (threads.length === 0) parts.push(h('p', { class: 'tl-empty', text: 'No threads recorded yet.' }));
  else {
    const table = h('table', { class: 'tl-threads-table' });
    const head = h('tr', {}, h('th', { scope: 'col', text: 'Thread' }), h('th', { scope: 'col', text: 'Process' }), h('th', { scope: 'col', text: 'Time by state' }));
    for (const s of STATE_NAMES) head.append(h('th', { scope: 'col', class: 'tl-num', text: s[0].toUpperCase() + s.slice(1) }));
    table.append(h('thead', {}, head));
    const body = h('tbody');
    // Bars share one scale (the longest-lived thread) so threads compare at a glance.
    const maxTotal = Math.max(1, ...threads.map((t) => t.total));
    for (const t of threads) {
      const bar = h('div', { class: 'tl-bar', 'aria-hidden': 'true' });
      t.ns.forEach((ns, i) => {
        if (ns <= 0) return;
        const seg = h('span', { class: `tl-fill-${STATE_NAMES[i]}` });
        seg.style.width = `${(ns / maxTotal) * 100}%`;
        bar.append(seg);
      });
      const tr = h('tr', {}, h('th', { scope: 'row', text: t.name }), h('td', { text: t.process }), h('td', { class: 'tl-barcell' }, bar));
      for (const ns of t.ns) tr.append(h('td', { class: 'tl-num', text: ns > 0 ? formatDuration(ns) : '—' }));
      body.append(tr);
    }
    table.append(body);
    parts.push(table);
  }

  const objects = objectRows(store);
  parts.push(h('h2', { text: 'Synchronization objects' }));
  if (objects.length === 0) parts.push(h('p', { class: 'tl-empty', text: 'No lock statistics yet.' }));
  else {
    const table = h('table', { class: 'tl-objects-table' });
    table.append(
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col', text: 'Object' }),
          h('th', { scope: 'col', text: 'Kind' }),
          h('th', { scope: 'col', class: 'tl-num', text: 'Acquisitions' }),
          h('th', { scope: 'col', class: 'tl-num', text: 'Contended' }),
          h('th', { scope: 'col', class: 'tl-num', text: 'Total wait' }),
          h('th', { scope: 'col', class: 'tl-num', text: 'Max wait' }),
        ),
      ),
    );
    const body = h('tbody');
    for (const o of objects) {
      body.append(
        h(
          'tr',
          {},
          h('th', { scope: 'row', text: o.label }),
          h('td', { text: o.kind }),
          h('td', { class: 'tl-num', text: formatCount(o.acquisitions) }),
          h('td', { class: 'tl-num', text: formatCount(o.contended) }),
          h('td', { class: 'tl-num', text: formatDuration(o.totalWaitNs) }),
          h('td', { class: 'tl-num', text: formatDuration(o.maxWaitNs) }),
        ),
      );
    }
    table.append(body);
    parts.push(table);
  }

  parts.push(h('h2', { text: 'In words' }));
  const text = h('div', { class: 'tl-summary-text' });
  for (const s of runSummarySentences(store, status)) text.append(h('p', { text: s }));
  parts.push(text);
  setChildren(el, ...parts);
}

const JOB_NAMES: Record<string, string> = { cpu: 'CPU-bound', io: 'I/O-bound' };

/**
 * The performance recipe's table as bars: speed-up over the sequential run, with threads and
 * with processes, on one scale with a 1x mark. The numbers stay as text beside each bar.
 */
function speedupChart(rows: SpeedupRow[]): HTMLElement[] {
  const max = Math.max(1, ...rows.flatMap((r) => [r.speedupThreads, r.speedupProcesses]));
  const chart = h('div', { class: 'tl-speedups', role: 'table', 'aria-label': 'Speed-up over the sequential run' });
  for (const r of rows) {
    const job = JOB_NAMES[r.job] ?? r.job;
    for (const [how, speedup, seconds] of [
      ['threads', r.speedupThreads, r.threadsS],
      ['processes', r.speedupProcesses, r.processesS],
    ] as const) {
      const bar = h('div', { class: 'tl-speedup-track', 'aria-hidden': 'true' });
      const fill = h('span', { class: `tl-speedup-fill tl-speedup-${how}` });
      fill.style.width = `${(speedup / max) * 100}%`;
      const one = h('span', { class: 'tl-speedup-one' });
      one.style.left = `${(1 / max) * 100}%`;
      bar.append(fill, one);
      chart.append(
        h(
          'div',
          { class: 'tl-speedup-row', role: 'row' },
          h('span', { class: 'tl-speedup-label', role: 'rowheader', text: `${job}, ${how}` }),
          bar,
          h('span', { class: 'tl-num', role: 'cell', text: `${speedup.toFixed(2)}x (${seconds.toFixed(2)} s vs ${r.sequentialS.toFixed(2)} s)` }),
        ),
      );
    }
  }
  return [h('h2', { text: 'Speed-up measured by the recipe' }), chart, h('p', { class: 'tl-label-meta', text: 'The line marks 1x: the sequential time.' })];
}
