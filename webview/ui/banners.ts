/**
 * Banners above the timeline: a deadlock (an alert naming the cycle, with Stop), a stall (a
 * softer status message) and the extension's notices (dismissible).
 */
import type { TimelineStore } from '../model/store';
import { deadlockText } from '../summaryText';
import { h, icon, ICONS, setChildren } from './dom';

export interface BannerCallbacks {
  onStop(): void;
  onShowDeadlock(index: number): void;
}

const MAX_NOTICES = 5;

export class Banners {
  readonly el: HTMLElement;
  private notices: string[] = [];
  private lastKey = '';

  constructor(private readonly cb: BannerCallbacks) {
    this.el = h('div', { class: 'tl-banners' });
  }

  addNotice(message: string): void {
    this.notices.push(message);
    if (this.notices.length > MAX_NOTICES) this.notices.shift();
    this.lastKey = '';
  }

  clearNotices(): void {
    this.notices = [];
    this.lastKey = '';
  }

  /** Rebuilds only when something shown changed (keeps focus on the Stop button stable). */
  update(store: TimelineStore, running: boolean): void {
    const texts = store.deadlocks.map((d) => deadlockText(d, (u) => store.threadName(u), (u) => store.objectLabel(u)));
    const key = JSON.stringify([texts, store.stalled && store.deadlocks.length === 0, running, this.notices]);
    if (key === this.lastKey) return;
    this.lastKey = key;
    const nodes: HTMLElement[] = [];
    texts.forEach((text, i) => {
      const show = h('button', { class: 'tl-button', type: 'button' }, 'Show');
      show.addEventListener('click', () => this.cb.onShowDeadlock(i));
      const stop = h('button', { class: 'tl-button tl-primary tl-stop-deadlock', type: 'button', disabled: !running }, icon(ICONS.stop), 'Stop run');
      stop.addEventListener('click', () => this.cb.onStop());
      nodes.push(
        h(
          'div',
          { class: 'tl-banner tl-banner-deadlock', role: 'alert' },
          icon(ICONS.warning),
          h('span', { class: 'tl-banner-text', text: text }),
          show,
          stop,
        ),
      );
    });
    if (store.stalled && store.deadlocks.length === 0) {
      nodes.push(
        h(
          'div',
          { class: 'tl-banner tl-banner-stall', role: 'status' },
          h('span', {
            class: 'tl-banner-text',
            text: 'No progress for a while: every thread is waiting or blocked. The program may be stalled.',
          }),
        ),
      );
    }
    this.notices.forEach((n, i) => {
      const close = h('button', { class: 'tl-banner-close', type: 'button', 'aria-label': 'Dismiss notice' }, icon(ICONS.close));
      close.addEventListener('click', () => {
        this.notices.splice(i, 1);
        this.lastKey = '';
        this.update(store, running);
      });
      nodes.push(h('div', { class: 'tl-banner tl-banner-notice', role: 'status' }, h('span', { class: 'tl-banner-text', text: n }), close));
    });
    setChildren(this.el, ...nodes);
  }
}
