/** The hover tooltip: a DOM box (text stays selectable by assistive tech, themable by CSS). */
import type { Description } from '../describe';
import { h, setChildren } from './dom';

/** Rows shown in the tooltip; the inspector shows all of them. */
const TOOLTIP_ROWS = 6;

export function swatch(name: string): HTMLElement | null {
  return name ? h('span', { class: `tl-swatch tl-swatch-${name}`, 'aria-hidden': 'true' }) : null;
}

export function descriptionRows(rows: [string, string][], cls: string): HTMLDListElement {
  const dl = h('dl', { class: cls });
  for (const [k, v] of rows) dl.append(h('dt', { text: k }), h('dd', { text: v }));
  return dl;
}

export class Tooltip {
  readonly el: HTMLElement;

  constructor(parent: HTMLElement) {
    this.el = h('div', { class: 'tl-tooltip', role: 'tooltip', hidden: true });
    parent.append(this.el);
  }

  /** Shows near (x, y), relative to the parent, kept inside the parent's box. */
  show(desc: Description, x: number, y: number): void {
    const rows = desc.rows.slice(0, TOOLTIP_ROWS);
    setChildren(
      this.el,
      h('div', { class: 'tl-tip-title' }, swatch(desc.swatch), h('span', { text: desc.title })),
      rows.length > 0 ? descriptionRows(rows, 'tl-tip-rows') : null,
    );
    this.el.hidden = false;
    const parent = this.el.parentElement!;
    const pw = parent.clientWidth;
    const ph = parent.clientHeight;
    const w = this.el.offsetWidth;
    const hh = this.el.offsetHeight;
    let left = x + 14;
    let top = y + 16;
    if (left + w > pw - 4) left = Math.max(4, x - w - 10);
    if (top + hh > ph - 4) top = Math.max(4, y - hh - 10);
    this.el.style.left = `${left}px`;
    this.el.style.top = `${top}px`;
  }

  hide(): void {
    if (!this.el.hidden) this.el.hidden = true;
  }

  get visible(): boolean {
    return !this.el.hidden;
  }
}
