/** Details of the selected item, with "Go to source" when it has a source location. */
import type { Description } from '../describe';
import { h, icon, ICONS, setChildren } from './dom';
import { descriptionRows, swatch } from './tooltip';

export interface InspectorCallbacks {
  onOpenSource(file: string, line: number): void;
  onZoomTo(): void;
  onClose(): void;
}

export class Inspector {
  readonly el: HTMLElement;

  constructor(private readonly cb: InspectorCallbacks) {
    this.el = h('aside', { class: 'tl-inspector', 'aria-label': 'Selection details', 'aria-live': 'polite', hidden: true });
  }

  show(desc: Description | null, canZoom: boolean): void {
    if (!desc) {
      this.el.hidden = true;
      setChildren(this.el);
      return;
    }
    const actions: HTMLElement[] = [];
    if (desc.source) {
      const { file, line } = desc.source;
      const b = h('button', { class: 'tl-button tl-primary tl-goto', type: 'button', title: `${file}:${line}` }, icon(ICONS.source), 'Go to source');
      b.addEventListener('click', () => this.cb.onOpenSource(file, line));
      actions.push(b);
    }
    if (canZoom) {
      const z = h('button', { class: 'tl-button', type: 'button' }, icon(ICONS.zoomTo), 'Zoom to');
      z.addEventListener('click', () => this.cb.onZoomTo());
      actions.push(z);
    }
    const close = h('button', { class: 'tl-banner-close', type: 'button', 'aria-label': 'Close details' }, icon(ICONS.close));
    close.addEventListener('click', () => this.cb.onClose());
    setChildren(
      this.el,
      h('div', { class: 'tl-inspector-head' }, h('div', { class: 'tl-inspector-title' }, swatch(desc.swatch), h('span', { text: desc.title })), ...actions, close),
      desc.rows.length > 0 ? descriptionRows(desc.rows, 'tl-inspector-rows') : null,
    );
    this.el.hidden = false;
  }
}
