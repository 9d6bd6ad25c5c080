/**
 * Lane labels as real DOM text (not drawn on the canvas): screen readers, find-in-page and tests
 * see every process and thread name. Rows are absolutely positioned at the same y as the canvas
 * lanes and scroll with them natively.
 */
import type { Layout, Row } from '../layout';
import type { TimelineStore } from '../model/store';
import { processExitText } from '../format';
import { h, icon, ICONS } from './dom';

export interface LabelCallbacks {
  onToggle(key: string): void;
  onSelectRow(row: Row): void;
}

interface Cached {
  el: HTMLElement;
  sig: string;
}

export class LaneLabels {
  private byKey = new Map<string, Cached>();
  private selectedKey: string | null = null;

  constructor(
    readonly el: HTMLElement,
    private readonly cb: LabelCallbacks,
  ) {}

  /**
   * Rebuilds the labels for a layout. A row whose text and state did not change keeps its
   * element (only moved): a live run adds threads many times a second, and a program with
   * thousands of threads must not rebuild thousands of nodes each time.
   */
  render(layout: Layout, store: TimelineStore): void {
    const deadlocked = new Set<number>();
    for (const d of store.deadlocks) for (const t of d.threads) deadlocked.add(t);
    const next = new Map<string, Cached>();
    const nodes: HTMLElement[] = [];
    for (const row of layout.rows) {
      const sig = this.signature(row, store, deadlocked);
      let c = this.byKey.get(row.key);
      if (!c || c.sig !== sig) {
        c = { el: this.renderRow(row, store, deadlocked), sig };
        if (row.key === this.selectedKey) c.el.classList.add('tl-selected');
      }
      const el = c.el;
      const top = `${row.y}px`;
      if (el.style.top !== top) el.style.top = top;
      el.style.height = `${row.h}px`;
      el.style.paddingLeft = `${4 + row.depth * 12 + (row.kind === 'process' ? 0 : 14)}px`;
      next.set(row.key, c);
      nodes.push(el);
    }
    this.byKey = next;
    this.el.replaceChildren(...nodes);
    this.el.style.height = `${layout.height}px`;
  }

  setSelected(key: string | null): void {
    if (this.selectedKey) this.byKey.get(this.selectedKey)?.el.classList.remove('tl-selected');
    this.selectedKey = key;
    if (key) this.byKey.get(key)?.el.classList.add('tl-selected');
  }

  /** Everything a row's element shows; equal signatures mean the element can be kept. */
  private signature(row: Row, store: TimelineStore, deadlocked: Set<number>): string {
    switch (row.kind) {
      case 'process': {
        const p = store.processes.get(row.uid);
        return `p|${row.collapsed}|${p ? `${p.name}|${p.pid}|${p.startMethod}|${p.exitCode}|${p.signal}|${p.endNs !== null}|${p.argv.join(' ')}` : ''}`;
      }
      case 'thread': {
        const t = store.threads.get(row.uid);
        return `t|${store.threadName(row.uid)}|${t?.endNs !== null && t !== undefined}|${deadlocked.has(row.uid)}|${t?.ident}|${t?.nativeId}|${t?.daemon}`;
      }
      case 'objects':
        return `g|${row.collapsed}|${row.count}`;
      case 'object':
        return `o|${store.objectLabel(row.uid)}`;
    }
  }

  private toggle(key: string, expanded: boolean, what: string): HTMLButtonElement {
    const b = h('button', {
      class: 'tl-toggle',
      type: 'button',
      'aria-expanded': String(expanded),
      'aria-label': `${expanded ? 'Collapse' : 'Expand'} ${what}`,
    });
    b.append(icon(expanded ? ICONS.chevronDown : ICONS.chevronRight));
    b.addEventListener('click', () => this.cb.onToggle(key));
    return b;
  }

  private selectButton(row: Row, text: string, title?: string): HTMLButtonElement {
    const b = h('button', { class: 'tl-label-btn tl-label-text', type: 'button', title, text });
    b.addEventListener('click', () => this.cb.onSelectRow(row));
    return b;
  }

  private renderRow(row: Row, store: TimelineStore, deadlocked: Set<number>): HTMLElement {
    switch (row.kind) {
      case 'process': {
        const p = store.processes.get(row.uid);
        const name = p ? p.name : 'Unknown process';
        const meta = p ? `pid ${p.pid} · ${p.startMethod} · ${processExitText(p)}` : '';
        const bad = p ? (p.exitCode !== null && p.exitCode !== 0) || p.signal !== null : false;
        return h(
          'div',
          { class: 'tl-label tl-label-process', 'data-key': row.key },
          this.toggle(row.key, !row.collapsed, `process ${name}`),
          this.selectButton(row, name, p ? p.argv.join(' ') : undefined),
          h('span', { class: `tl-label-meta${bad ? ' tl-bad' : ''}`, text: meta }),
        );
      }
      case 'thread': {
        const t = store.threads.get(row.uid);
        const name = store.threadName(row.uid);
        const cls = ['tl-label', 'tl-label-thread'];
        if (t && t.endNs !== null) cls.push('tl-ended');
        if (deadlocked.has(row.uid)) cls.push('tl-deadlocked');
        const title = t ? `${name} — ident ${t.ident}, native id ${t.nativeId}${t.daemon ? ', daemon' : ''}` : name;
        return h('div', { class: cls.join(' '), 'data-key': row.key }, this.selectButton(row, name, title));
      }
      case 'objects': {
        const text = `Sync objects (${row.count ?? 0})`;
        return h(
          'div',
          { class: 'tl-label tl-label-objects', 'data-key': row.key },
          this.toggle(row.key, !row.collapsed, 'synchronization objects'),
          h('span', { class: 'tl-label-text', text }),
        );
      }
      case 'object': {
        const label = store.objectLabel(row.uid);
        return h('div', { class: 'tl-label tl-label-object', 'data-key': row.key }, this.selectButton(row, label));
      }
    }
  }
}
