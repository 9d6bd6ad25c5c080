/**
 * The panel's header: recipe title, run status ("Finished — exit code 0"), record counts, the
 * toolbar (Stop, Follow, Zoom to fit, Flows), the recipe's "what to look for", the banners and
 * the Timeline/Summary tabs. Buttons report intents; the app owns the state.
 */
import type { RecordCounts, RunHeader, RunStatus } from '../../extension/protocol';
import { recordsText, statusText } from '../format';
import type { Tab } from '../persist';
import { h, icon, ICONS, setText } from './dom';

export interface HeaderCallbacks {
  onStop(): void;
  onToggleFollow(): void;
  onFit(): void;
  onToggleFlows(): void;
  onTab(tab: Tab): void;
}

export interface HeaderState {
  header: RunHeader | null;
  status: RunStatus | null;
  records: RecordCounts;
  following: boolean;
  showFlows: boolean;
  tab: Tab;
}

export class Header {
  readonly el: HTMLElement;
  private readonly titleEl: HTMLElement;
  private readonly statusEl: HTMLElement;
  private readonly recordsEl: HTMLElement;
  private readonly stopBtn: HTMLButtonElement;
  private readonly followBtn: HTMLButtonElement;
  private readonly flowsBtn: HTMLButtonElement;
  private readonly lookForEl: HTMLDetailsElement;
  private readonly lookForText: HTMLElement;
  private readonly tabTimeline: HTMLButtonElement;
  private readonly tabSummary: HTMLButtonElement;

  constructor(cb: HeaderCallbacks, banners: HTMLElement) {
    this.titleEl = h('h1', { class: 'tl-title', text: 'Parallel Cookbook timeline' });
    this.statusEl = h('span', { class: 'tl-status', role: 'status', 'aria-live': 'polite', text: statusText(null) });
    this.recordsEl = h('span', { class: 'tl-records' });
    this.stopBtn = h('button', { class: 'tl-button tl-stop', type: 'button', disabled: true, title: 'Stop the run and its whole process tree' }, icon(ICONS.stop), 'Stop');
    this.stopBtn.addEventListener('click', () => cb.onStop());
    this.followBtn = h('button', { class: 'tl-button tl-follow', type: 'button', 'aria-pressed': 'true', title: 'Follow the live end of the run' }, icon(ICONS.follow), 'Follow');
    this.followBtn.addEventListener('click', () => cb.onToggleFollow());
    const fitBtn = h('button', { class: 'tl-button tl-fit', type: 'button', title: 'Zoom to fit (F)' }, icon(ICONS.fit), 'Zoom to fit');
    fitBtn.addEventListener('click', () => cb.onFit());
    this.flowsBtn = h(
      'button',
      { class: 'tl-button tl-flows', type: 'button', 'aria-pressed': 'false', title: 'Show arrows: release → acquire, notify → wake, put → get, parent → child' },
      icon(ICONS.flows),
      'Flows',
    );
    this.flowsBtn.addEventListener('click', () => cb.onToggleFlows());
    const toolbar = h('div', { class: 'tl-toolbar', role: 'toolbar', 'aria-label': 'Timeline controls' }, this.stopBtn, this.followBtn, fitBtn, this.flowsBtn);
    this.lookForText = h('p');
    this.lookForEl = h('details', { class: 'tl-lookfor', open: true, hidden: true }, h('summary', { text: 'What to look for' }), this.lookForText);
    this.tabTimeline = h('button', { class: 'tl-tab', role: 'tab', id: 'tl-tab-timeline', 'aria-controls': 'tl-panel-timeline', type: 'button', text: 'Timeline' });
    this.tabSummary = h('button', { class: 'tl-tab', role: 'tab', id: 'tl-tab-summary', 'aria-controls': 'tl-panel-summary', type: 'button', text: 'Summary' });
    this.tabTimeline.addEventListener('click', () => cb.onTab('timeline'));
    this.tabSummary.addEventListener('click', () => cb.onTab('summary'));
    const tabs = h('div', { class: 'tl-tabs', role: 'tablist', 'aria-label': 'Views' }, this.tabTimeline, this.tabSummary);
    // The ARIA tab pattern: arrows move between tabs (and must not pan the timeline).
    tabs.addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
      e.stopPropagation();
      e.preventDefault();
      const next: Tab = this.tabTimeline.getAttribute('aria-selected') === 'true' ? 'summary' : 'timeline';
      cb.onTab(next);
      (next === 'timeline' ? this.tabTimeline : this.tabSummary).focus();
    });
    this.el = h(
      'header',
      { class: 'tl-header' },
      h('div', { class: 'tl-titlebar' }, this.titleEl, this.statusEl, this.recordsEl, toolbar),
      this.lookForEl,
      banners,
      tabs,
    );
  }

  update(s: HeaderState): void {
    setText(this.titleEl, s.header?.title || 'Parallel Cookbook timeline');
    this.titleEl.title = s.header?.command ?? '';
    const look = s.header?.lookFor ?? '';
    this.lookForEl.hidden = look.length === 0;
    setText(this.lookForText, look);
    setText(this.statusEl, statusText(s.status));
    const st = s.status;
    const bad = st !== null && (st.state === 'failed' || (st.state === 'finished' && ((st.exitCode !== null && st.exitCode !== 0) || st.signal !== null)));
    this.statusEl.classList.toggle('tl-status-bad', bad);
    setText(this.recordsEl, recordsText(s.records));
    this.recordsEl.classList.toggle('tl-records-dropped', s.records.dropped > 0);
    const running = st?.state === 'running';
    this.stopBtn.disabled = !running;
    // Following only means something while the run grows.
    this.followBtn.disabled = st !== null && !running;
    this.followBtn.setAttribute('aria-pressed', String(s.following));
    this.flowsBtn.setAttribute('aria-pressed', String(s.showFlows));
    this.tabTimeline.setAttribute('aria-selected', String(s.tab === 'timeline'));
    this.tabSummary.setAttribute('aria-selected', String(s.tab === 'summary'));
    this.tabTimeline.tabIndex = s.tab === 'timeline' ? 0 : -1;
    this.tabSummary.tabIndex = s.tab === 'summary' ? 0 : -1;
  }
}
