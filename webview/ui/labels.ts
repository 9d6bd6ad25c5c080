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

export class LaneLabels {
  private byKey = new Map<string, HTMLElement>();
  private selectedKey: string | null = null;

  constructor(
    readonly el: HTMLElement,
    private readonly cb: LabelCallbacks,
  ) {}

  render(layout: Layout, store: TimelineStore, collapsed: ReadonlySet<string>): void {
    const deadlocked = new Set<number>();
    for (const d of store.deadlocks) for (const t of d.threads) deadlocked.add(t);
    this.byKey.clear();
    const nodes: HTMLElement[] = [];
    for (const row of layout.rows) {
      const el = this.renderRow(row, store, collapsed, deadlocked);
      el.style.top = `${row.y}px`;
      el.style.height = `${row.h}px`;
      el.style.paddingLeft = `${4 + row.depth * 12 + (row.kind === 'process' ? 0 : 14)}px`;
      if (row.key === this.selectedKey) el.classList.add('tl-selected');
      this.byKey.set(row.key, el);
      nodes.push(el);
    }
    this.el.replaceChildren(...nodes);
    this.el.style.height = `${layout.height}px`;
  }

  setSelected(key: string | null): void {
    if (this.selectedKey) this.byKey.get(this.selectedKey)?.classList.remove('tl-selected');
    this.selectedKey = key;
    if (key) this.byKey.get(key)?.classList.add('tl-selected');
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

  private renderRow(row: Row, store: TimelineStore, collapsed: ReadonlySet<string>, deadlocked: Set<number>): HTMLElement {
    switch (row.kind) {
      case 'process': {
        const p = store.processes.get(row.uid);
        const name = p ? p.name : 'Unknown process';
        const meta = p ? `pid ${p.pid} · ${p.startMethod} · ${processExitText(p)}` : '';
        const bad = p ? (p.exitCode !== null && p.exitCode !== 0) || p.signal !== null : false;
        return h(
          'div',
          { class: 'tl-label tl-label-process', 'data-key': row.key },
          this.toggle(row.key, !collapsed.has(row.key), `process ${name}`),
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
        let n = 0;
        for (const o of store.objects.values()) if (o.processUid === row.uid) n++;
        if (row.uid === -1) n = Math.max(n, 1);
        const text = `Sync objects (${n})`;
        return h(
          'div',
          { class: 'tl-label tl-label-objects', 'data-key': row.key },
          this.toggle(row.key, !collapsed.has(row.key), 'synchronization objects'),
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
