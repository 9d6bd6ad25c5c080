/**
 * The timeline panel: wires messages, the model, layout, the canvas renderers, the DOM widgets
 * and input together. Drawing is coalesced into one requestAnimationFrame however many deltas
 * arrive (the worker host sends up to 60 a second); DOM text that does not need to move with
 * every frame (status, summary, screen reader text) is refreshed on a slower timer.
 */
import type { ExtensionToWebview, RunStatus, RunSummary, SpeedupRow } from '../extension/protocol';
import { describeHit, hitIsValid, hitTimeRange } from './describe';
import { formatDuration, formatTimestamp, STATE_NAMES } from './format';
import { hitTest, type Hit } from './hitTest';
import { attachInteraction } from './interaction';
import { buildLayout, rowAtY, type Layout, type Row } from './layout';
import { rangeStateTotals } from './model/query';
import { TimelineStore } from './model/store';
import { defaultState, parseState, type PersistedState, type Tab } from './persist';
import { AxisRenderer } from './render/axisRenderer';
import { TimelineRenderer, type BoxSelection, type FrameStats } from './render/timelineRenderer';
import { runSummarySentences } from './summaryText';
import { readPalette, type Palette } from './theme';
import { Banners } from './ui/banners';
import { h, setText } from './ui/dom';
import { Header } from './ui/header';
import { Inspector } from './ui/inspector';
import { LaneLabels } from './ui/labels';
import { buildLegend } from './ui/legend';
import { renderSummary } from './ui/summary';
import { Tooltip } from './ui/tooltip';
import type { HostApi } from './vscodeApi';
import { clampView, fitView, followView, range, type FollowMode, type View } from './viewport';

/** DOM text refresh period while deltas stream in. */
const UI_REFRESH_MS = 250;
/** The screen reader summary is longer: refreshed less often. */
const SR_REFRESH_MS = 1500;
const PERSIST_DELAY_MS = 300;
const AXIS_HEIGHT = 24;
const FRAME_LOG = 600;

export interface FrameRecord {
  /** performance.now() when the frame's drawing finished. */
  at: number;
  ms: number;
  deltas: number;
  visited: number;
}

/** Read-only hooks for the browser test and the benchmark (window.__pcbTimeline). */
export interface TimelineDebug {
  app: TimelineApp;
  /** Messages from the extension handled so far (tests wait on it after posting). */
  messages: number;
  frames: FrameRecord[];
  firstLaneDrawnAt: number | null;
  drawNow(): FrameStats;
}

export class TimelineApp {
  readonly store = new TimelineStore();
  status: RunStatus | null = null;
  summary: RunSummary | null = null;
  view: View = fitView(0);
  follow: FollowMode = 'fit';
  collapsed = new Set<string>();
  showFlows = false;
  tab: Tab = 'timeline';
  hover: Hit | null = null;
  selected: Hit | null = null;
  box: BoxSelection | null = null;
  layout: Layout = { rows: [], height: 0, threadRow: new Map(), objectRow: new Map(), processRow: new Map() };
  palette: Palette;
  readonly debug: TimelineDebug;

  private layoutKey = '';
  private collapseVersion = 0;
  private rafId = 0;
  /** Content sizes of the lanes scroller and the canvas column, from a ResizeObserver. */
  private viewportH: number | null = null;
  private canvasW: number | null = null;
  private uiTimer: ReturnType<typeof setTimeout> | null = null;
  private srTimer: ReturnType<typeof setTimeout> | null = null;
  private persistTimer: ReturnType<typeof setTimeout> | null = null;
  private pendingScrollTop: number | null = null;
  /** Live following is off for this run: fit the view once the first data arrives. */
  private fitOnFirstData = false;
  private runId: string | null = null;

  // DOM
  private readonly timelineView: HTMLElement;
  private readonly summaryView: HTMLElement;
  /** The performance recipe's measured speed-ups, charted in the Summary tab. */
  private speedups: SpeedupRow[] | null = null;
  private readonly timelineEl: HTMLElement;
  private readonly cornerEl: HTMLElement;
  readonly scroller: HTMLElement;
  private readonly contentEl: HTMLElement;
  private readonly labelsEl: HTMLElement;
  private readonly canvasCol: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  private readonly axisCanvas: HTMLCanvasElement;
  private readonly boxInfo: HTMLElement;
  private readonly emptyEl: HTMLElement;
  private readonly srEl: HTMLElement;
  private readonly banners: Banners;
  private readonly header: Header;
  private readonly labels: LaneLabels;
  private readonly tooltip: Tooltip;
  private readonly inspector: Inspector;
  readonly renderer: TimelineRenderer;
  readonly axis: AxisRenderer;

  constructor(
    private readonly root: HTMLElement,
    private readonly api: HostApi,
    private readonly win: Window,
  ) {
    const doc = root.ownerDocument;
    this.debug = { app: this, messages: 0, frames: [], firstLaneDrawnAt: null, drawNow: () => this.frame() };

    // ---- header
    this.banners = new Banners({ onStop: () => this.post({ type: 'stop' }), onShowDeadlock: (i) => this.showDeadlock(i) });
    this.header = new Header(
      {
        onStop: () => this.post({ type: 'stop' }),
        onToggleFollow: () => this.toggleFollow(),
        onFit: () => this.fit(),
        onToggleFlows: () => this.setShowFlows(!this.showFlows),
        onTab: (tab) => this.setTab(tab),
      },
      this.banners.el,
    );

    // ---- timeline view
    this.axisCanvas = h('canvas', { class: 'tl-axis', 'aria-hidden': 'true' });
    this.cornerEl = h('div', { class: 'tl-corner', 'aria-live': 'off' });
    this.labelsEl = h('div', { class: 'tl-labels', role: 'list', 'aria-label': 'Processes, threads and objects' });
    this.canvas = h('canvas', { class: 'tl-canvas', role: 'img', 'aria-label': 'Timeline of thread states; the Summary tab has the same figures as text' });
    this.canvasCol = h('div', { class: 'tl-canvas-col' }, this.canvas);
    this.contentEl = h('div', { class: 'tl-content' }, this.labelsEl, this.canvasCol);
    this.scroller = h(
      'div',
      {
        class: 'tl-scroller',
        tabindex: 0,
        'aria-label': 'Timeline. W and S zoom, A and D pan, arrows move, Home and End jump, F fits, Z zooms to the selection, Escape clears it.',
      },
      this.contentEl,
    );
    this.emptyEl = h('div', { class: 'tl-empty', text: 'Waiting for the first records…' });
    this.boxInfo = h('div', { class: 'tl-boxinfo', role: 'status', hidden: true });
    this.timelineEl = h(
      'div',
      { class: 'tl-timeline' },
      h('div', { class: 'tl-axis-row' }, this.cornerEl, this.axisCanvas),
      this.emptyEl,
      this.scroller,
      this.boxInfo,
    );
    this.tooltip = new Tooltip(this.timelineEl);
    this.inspector = new Inspector({
      onOpenSource: (file, line) => this.post({ type: 'openSource', file, line }),
      onZoomTo: () => this.zoomToSelection(),
      onClose: () => this.clearSelection(),
    });
    this.srEl = h('div', { class: 'tl-sr-only tl-sr-summary', 'aria-label': 'Text summary of the run' });
    const hint = h('div', { class: 'tl-hint', text: 'Wheel: zoom · Drag: pan · Shift+drag: measure · W/S zoom, A/D pan, arrows, Home/End · F fit · Click: details' });
    this.timelineView = h(
      'section',
      { class: 'tl-view', id: 'tl-panel-timeline', role: 'tabpanel', 'aria-labelledby': 'tl-tab-timeline' },
      buildLegend(),
      this.timelineEl,
      hint,
      this.inspector.el,
      this.srEl,
    );
    this.summaryView = h('section', { class: 'tl-view tl-summary', id: 'tl-panel-summary', role: 'tabpanel', 'aria-labelledby': 'tl-tab-summary', hidden: true, tabindex: 0 });
    const main = h('main', { class: 'tl-main' }, this.timelineView, this.summaryView);
    root.classList.add('tl-app');
    root.replaceChildren(this.header.el, main);

    this.labels = new LaneLabels(this.labelsEl, {
      onToggle: (key) => this.toggleCollapsed(key),
      onSelectRow: (row) => this.selectRow(row),
    });
    this.renderer = new TimelineRenderer(this.canvas);
    this.axis = new AxisRenderer(this.axisCanvas);
    this.palette = readPalette(doc);

    attachInteraction(
      {
        canvas: this.canvas,
        scroller: this.scroller,
        view: () => this.view,
        extent: () => this.store.extentNs,
        setUserView: (v, pan) => this.setUserView(v, pan),
        hitAt: (x, y) => this.hitAt(x, y),
        hover: (hit, x, y) => this.setHover(hit, x, y),
        select: (hit) => this.select(hit),
        setBox: (b, final) => this.setBox(b, final),
        zoomToHit: (hit) => this.zoomToHit(hit),
        zoomToSelection: () => this.zoomToSelection(),
        fit: () => this.fit(),
        clearSelection: () => this.clearSelection(),
      },
      doc,
    );
    this.scroller.addEventListener('scroll', () => {
      this.tooltip.hide();
      this.schedulePersist();
      this.scheduleDraw();
    });
    // Sizes come from the observer, not from clientWidth/clientHeight in every frame: the frame
    // changes DOM text (the corner's range), and reading a size after that forces a layout.
    const sizes = new ResizeObserver((entries) => {
      for (const e of entries) {
        const box = e.contentBoxSize?.[0];
        // Rounded like clientHeight / clientWidth.
        if (e.target === this.scroller) this.viewportH = Math.round(box ? box.blockSize : e.contentRect.height);
        else if (e.target === this.canvasCol) this.canvasW = Math.round(box ? box.inlineSize : e.contentRect.width);
      }
      this.scheduleDraw();
    });
    sizes.observe(this.scroller);
    sizes.observe(this.canvasCol);
    // VS Code swaps the theme by changing <body> classes and the variables on <html>.
    const themeObserver = new MutationObserver(() => {
      this.palette = readPalette(doc);
      this.scheduleDraw();
    });
    themeObserver.observe(doc.body, { attributes: true, attributeFilter: ['class'] });
    themeObserver.observe(doc.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });

    this.restore(parseState(api.getState()));
    this.setTab(this.tab);
    this.refreshHeader();
    this.scheduleDraw();
  }

  // ------------------------------------------------------------------------------------------
  // Messages

  /** Handles one message from the extension; anything malformed is ignored. */
  handleMessage(data: unknown): void {
    this.debug.messages++;
    if (typeof data !== 'object' || data === null) return;
    const msg = data as ExtensionToWebview;
    switch (msg.type) {
      case 'reset':
        if (typeof msg.header === 'object' && msg.header !== null) this.onReset(msg.header);
        break;
      case 'delta':
        if (typeof msg.delta === 'object' && msg.delta !== null) this.onDelta(msg);
        break;
      case 'status':
        if (typeof msg.status === 'object' && msg.status !== null) this.onStatus(msg.status, msg.summary ?? null);
        break;
      case 'speedups':
        if (Array.isArray(msg.rows)) {
          this.speedups = msg.rows;
          if (this.tab === 'summary') renderSummary(this.summaryView, this.store, this.status, this.speedups);
        }
        break;
      case 'notice':
        if (typeof msg.message === 'string') {
          this.banners.addNotice(msg.message);
          this.scheduleUi();
        }
        break;
    }
  }

  private onReset(header: Extract<ExtensionToWebview, { type: 'reset' }>['header']): void {
    const sameRun = this.runId !== null && header.runId === this.runId;
    this.speedups = null; // replayed with the rest of the run's history
    this.store.reset(header);
    this.hover = null;
    this.tooltip.hide();
    if (!sameRun) {
      // A new run: nothing of the previous view applies. The user may have turned live
      // following off (setting parallelCookbook.followLive): then fit once, when data comes.
      this.view = fitView(0);
      this.setFollow(header.followLive === false ? null : 'fit');
      this.fitOnFirstData = header.followLive === false;
      this.collapsed.clear();
      this.collapseVersion++;
      this.selected = null;
      this.box = null;
      this.status = null;
      this.summary = null;
      this.pendingScrollTop = 0;
      this.banners.clearNotices();
      this.inspector.show(null, false);
    }
    this.runId = header.runId;
    this.layoutKey = '';
    this.refreshHeader();
    this.banners.update(this.store, this.running);
    this.schedulePersist();
    this.scheduleUi();
    this.scheduleDraw();
  }

  private onDelta(msg: Extract<ExtensionToWebview, { type: 'delta' }>): void {
    const fx = this.store.apply(msg.delta);
    if (fx.entitiesChanged || fx.deadlocksChanged) this.layoutKey = '';
    if (this.selected && !hitIsValid(this.store, this.selected)) {
      // An open state closed into a span: keep the details shown, drop the stale outline.
      this.selected = null;
    }
    this.scheduleUi();
    this.scheduleDraw();
  }

  private onStatus(status: RunStatus, summary: RunSummary | null): void {
    this.status = status;
    this.summary = summary;
    this.refreshHeader();
    this.schedulePersist();
    this.scheduleUi();
    this.scheduleDraw();
  }

  private post(msg: Parameters<HostApi['postMessage']>[0]): void {
    this.api.postMessage(msg);
  }

  get running(): boolean {
    return this.status?.state === 'running';
  }

  // ------------------------------------------------------------------------------------------
  // View state

  private restore(s: PersistedState): void {
    this.runId = s.runId;
    if (s.header) this.store.header = s.header;
    this.status = s.status;
    if (s.view) this.view = s.view;
    this.follow = s.follow;
    this.collapsed = new Set(s.collapsed);
    this.collapseVersion++;
    this.tab = s.tab;
    this.showFlows = s.showFlows;
    this.pendingScrollTop = s.scrollTop;
  }

  private snapshot(): PersistedState {
    return {
      ...defaultState(),
      runId: this.runId,
      header: this.store.header,
      status: this.status,
      view: { t0: this.view.t0, t1: this.view.t1 },
      follow: this.follow,
      scrollTop: this.pendingScrollTop ?? this.scroller.scrollTop,
      collapsed: [...this.collapsed],
      tab: this.tab,
      showFlows: this.showFlows,
    };
  }

  private schedulePersist(): void {
    if (this.persistTimer !== null) return;
    this.persistTimer = setTimeout(() => {
      this.persistTimer = null;
      this.api.setState(this.snapshot());
    }, PERSIST_DELAY_MS);
  }

  /** Sets the view the user asked for and stops following. `pan`: snap the move to whole pixels. */
  setUserView(v: View, pan = false): void {
    const w = range(this.view);
    const W = this.renderer.width;
    if (pan && W > 0 && Math.abs(range(v) - w) <= w * 1e-9) {
      // A pure pan moves by whole device pixels, so the renderer can reuse the columns it
      // already computed and only rasterize the strip that scrolled into view.
      const dx = Math.round(((v.t0 - this.view.t0) * W) / w);
      v = { t0: this.view.t0 + (dx * w) / W, t1: this.view.t1 + (dx * w) / W };
    }
    this.view = clampView(v, this.store.extentNs);
    this.setFollow(null);
    this.schedulePersist();
    this.scheduleDraw();
  }

  private setFollow(mode: FollowMode): void {
    this.follow = mode;
    this.refreshHeader();
  }

  private toggleFollow(): void {
    if (this.follow !== null) this.setFollow(null);
    else {
      // Zoomed in: keep the width and pin the right edge to now; zoomed out: fit as it grows.
      const extent = Math.max(this.store.extentNs, 1);
      this.setFollow(range(this.view) >= extent * 0.9 ? 'fit' : 'tail');
    }
    this.schedulePersist();
    this.scheduleDraw();
  }

  fit(): void {
    this.view = fitView(this.store.extentNs);
    this.setFollow(this.running || this.status === null ? 'fit' : null);
    this.schedulePersist();
    this.scheduleDraw();
  }

  private setShowFlows(on: boolean): void {
    this.showFlows = on;
    this.refreshHeader();
    this.schedulePersist();
    this.scheduleDraw();
  }

  private setTab(tab: Tab): void {
    this.tab = tab;
    this.refreshHeader();
    this.timelineView.hidden = tab !== 'timeline';
    this.summaryView.hidden = tab !== 'summary';
    this.tooltip.hide();
    if (tab === 'summary') renderSummary(this.summaryView, this.store, this.status, this.speedups);
    this.schedulePersist();
    this.scheduleDraw();
  }

  private toggleCollapsed(key: string): void {
    if (this.collapsed.has(key)) this.collapsed.delete(key);
    else this.collapsed.add(key);
    this.collapseVersion++;
    this.layoutKey = '';
    this.schedulePersist();
    this.scheduleDraw();
    // Keep keyboard focus on the toggle that was pressed after the labels are rebuilt.
    this.ensureLayout();
    const btn = this.labelsEl.querySelector<HTMLButtonElement>(`[data-key="${CSS.escape(key)}"] .tl-toggle`);
    btn?.focus();
  }

  // ------------------------------------------------------------------------------------------
  // Selection, hover, box

  private hitAt(x: number, y: number): Hit | null {
    const contentY = y + this.scroller.scrollTop;
    const r = rowAtY(this.layout.rows, contentY);
    if (r < 0) return null;
    const w = this.renderer.cssWidth || 1;
    const nsPerPx = (this.view.t1 - this.view.t0) / w;
    this.store.prepare();
    return hitTest(this.store, this.layout, {
      t: this.view.t0 + x * nsPerPx,
      nsPerPx,
      row: r,
      yInRow: contentY - this.layout.rows[r].y,
    });
  }

  private setHover(hit: Hit | null, x: number, y: number): void {
    const showable = hit && (hit.kind === 'span' || hit.kind === 'open' || hit.kind === 'instant' || hit.kind === 'hold' || hit.kind === 'counter');
    const prev = this.hover;
    this.hover = showable ? hit : null;
    if (showable) {
      const desc = describeHit(this.store, hit);
      if (desc) {
        const cr = this.canvas.getBoundingClientRect();
        const tr = this.timelineEl.getBoundingClientRect();
        this.tooltip.show(desc, x + cr.left - tr.left, y + cr.top - tr.top);
      } else this.tooltip.hide();
    } else this.tooltip.hide();
    if (JSON.stringify(prev) !== JSON.stringify(this.hover)) this.scheduleDraw();
  }

  select(hit: Hit | null): void {
    this.selected = hit;
    const desc = hit ? describeHit(this.store, hit) : null;
    this.inspector.show(desc, hit !== null && hitTimeRange(this.store, hit) !== null);
    this.labels.setSelected(hit ? rowKeyOf(hit) : null);
    this.scheduleDraw();
  }

  private selectRow(row: Row): void {
    switch (row.kind) {
      case 'thread':
        this.select({ kind: 'thread', thread: row.uid });
        break;
      case 'process':
        this.select({ kind: 'process', process: row.uid });
        break;
      case 'object':
        this.select({ kind: 'object', obj: row.uid });
        break;
      case 'objects':
        break;
    }
  }

  clearSelection(): void {
    this.box = null;
    this.boxInfo.hidden = true;
    this.select(null);
  }

  private setBox(b: BoxSelection | null, final: boolean): void {
    this.box = b;
    if (!b) {
      this.boxInfo.hidden = true;
      this.scheduleDraw();
      return;
    }
    const t0 = Math.min(b.t0, b.t1);
    const t1 = Math.max(b.t0, b.t1);
    let text = `Δ ${formatDuration(t1 - t0)}  (${formatTimestamp(t0)} → ${formatTimestamp(t1)})`;
    if (final) {
      // Over the selected thread lanes: how that time was spent.
      const totals = [0, 0, 0, 0];
      let threads = 0;
      const y0 = Math.min(b.y0, b.y1);
      const y1 = Math.max(b.y0, b.y1);
      this.store.prepare();
      for (const row of this.layout.rows) {
        if (row.kind !== 'thread' || row.y + row.h <= y0 || row.y >= y1) continue;
        threads++;
        const t = rangeStateTotals(this.store.spans.get(row.uid), this.store.open.get(row.uid), this.store.nowNs, t0, t1);
        for (let i = 0; i < 4; i++) totals[i] += t[i];
      }
      const sum = totals.reduce((a, c) => a + c, 0);
      if (threads > 0 && sum > 0) {
        const parts = totals.map((ns, i) => (ns > 0 ? `${STATE_NAMES[i]} ${Math.round((ns / sum) * 100)}%` : '')).filter((s) => s);
        text += ` · ${threads} thread${threads === 1 ? '' : 's'}: ${parts.join(', ')}`;
      }
    }
    setText(this.boxInfo, text);
    this.boxInfo.hidden = false;
    this.scheduleDraw();
  }

  zoomToHit(hit: Hit): void {
    const r = hitTimeRange(this.store, hit);
    if (!r) return;
    let [a, b] = r;
    if (b - a < 1000) {
      // An instant or a tiny span: centre it in a view 100× wider than it.
      const w = Math.max(1000, (b - a) * 100);
      const mid = (a + b) / 2;
      a = mid - w / 2;
      b = mid + w / 2;
    }
    const pad = (b - a) * 0.1;
    this.setUserView({ t0: a - pad, t1: b + pad });
  }

  zoomToSelection(): void {
    if (this.box && Math.abs(this.box.t1 - this.box.t0) > 0) {
      this.setUserView({ t0: Math.min(this.box.t0, this.box.t1), t1: Math.max(this.box.t0, this.box.t1) });
    } else if (this.selected) this.zoomToHit(this.selected);
  }

  private showDeadlock(i: number): void {
    const d = this.store.deadlocks[i];
    if (!d || d.threads.length === 0) return;
    const t = d.threads[0];
    this.setTab('timeline');
    const hit: Hit = this.store.open.has(t) ? { kind: 'open', thread: t } : { kind: 'thread', thread: t };
    this.select(hit);
    this.ensureLayout();
    const r = this.layout.threadRow.get(t);
    if (r !== undefined) this.scroller.scrollTop = Math.max(0, this.layout.rows[r].y - 40);
    this.scroller.focus({ preventScroll: true });
  }

  // ------------------------------------------------------------------------------------------
  // Rendering

  scheduleDraw(): void {
    if (this.rafId !== 0) return;
    this.rafId = this.win.requestAnimationFrame(() => {
      this.rafId = 0;
      this.frame();
    });
  }

  private ensureLayout(): void {
    const key = `${this.store.entityVersion}:${this.collapseVersion}:${this.store.deadlocks.length}`;
    if (key === this.layoutKey) return;
    this.layoutKey = key;
    this.layout = buildLayout(
      {
        processes: this.store.processes,
        threads: this.store.threads,
        objects: this.store.objects,
        extraThreads: this.store.spans.keys(),
        extraObjects: [...this.store.holds.keys(), ...this.store.counters.keys()],
      },
      this.collapsed,
    );
    this.labels.render(this.layout, this.store);
    this.labels.setSelected(this.selected ? rowKeyOf(this.selected) : null);
    this.emptyEl.hidden = this.layout.rows.length > 0;
  }

  /** Draws one frame now (also called from rAF). */
  frame(): FrameStats {
    if (this.rafId !== 0) {
      this.win.cancelAnimationFrame(this.rafId);
      this.rafId = 0;
    }
    this.ensureLayout();
    if (this.tab !== 'timeline') {
      // Nothing to draw on a hidden tab; switching back schedules a frame.
      return { ms: 0, visitedSpans: 0, lanesDrawn: 0, threadLanesDrawn: 0, flowsDrawn: 0 };
    }
    // (Until the observer has reported, ask the layout.)
    const viewportH = this.viewportH ?? this.scroller.clientHeight;
    const width = this.canvasW ?? this.canvasCol.clientWidth;
    this.contentEl.style.height = `${Math.max(this.layout.height, viewportH)}px`;
    if (this.pendingScrollTop !== null && this.layout.height > 0) {
      this.scroller.scrollTop = this.pendingScrollTop;
      this.pendingScrollTop = null;
    }
    const dpr = this.win.devicePixelRatio || 1;
    this.renderer.resize(Math.max(1, width), Math.max(1, viewportH), dpr);
    this.axis.resize(Math.max(1, width), AXIS_HEIGHT, dpr);
    if (this.fitOnFirstData && this.store.extentNs > 0) {
      this.fitOnFirstData = false;
      this.view = fitView(this.store.extentNs);
    }
    if (this.follow !== null) {
      const target = followView(this.view, this.follow, this.store.nowNs, this.store.extentNs, this.running);
      const w = range(this.view);
      const W = this.renderer.width;
      if (this.follow === 'tail' && W > 0 && Math.abs(range(target) - w) <= w * 1e-9) {
        // Move the tail by whole pixels so the renderer redraws only the new columns.
        const dx = Math.round(((target.t0 - this.view.t0) * W) / w);
        this.view = { t0: this.view.t0 + (dx * w) / W, t1: this.view.t1 + (dx * w) / W };
      } else this.view = target;
    }
    const stats = this.renderer.draw({
      store: this.store,
      layout: this.layout,
      view: this.view,
      scrollTop: this.scroller.scrollTop,
      palette: this.palette,
      hover: this.hover,
      selected: this.selected,
      box: this.box,
      showFlows: this.showFlows,
      running: this.running,
    });
    this.axis.draw(this.view, this.palette, this.box);
    setText(this.cornerEl, `${formatDuration(range(this.view))} shown`);
    this.cornerEl.title = `${formatTimestamp(this.view.t0)} → ${formatTimestamp(this.view.t1)}`;
    if (this.box) {
      const x = ((Math.min(this.box.t0, this.box.t1) - this.view.t0) / range(this.view)) * this.renderer.cssWidth;
      const left = this.canvasCol.getBoundingClientRect().left - this.timelineEl.getBoundingClientRect().left;
      this.boxInfo.style.left = `${Math.max(4, Math.min(left + x, this.timelineEl.clientWidth - 240))}px`;
    }
    const rec: FrameRecord = { at: performance.now(), ms: stats.ms, deltas: this.store.deltasApplied, visited: stats.visitedSpans };
    const frames = this.debug.frames;
    frames.push(rec);
    if (frames.length > FRAME_LOG) frames.splice(0, frames.length - FRAME_LOG);
    if (this.debug.firstLaneDrawnAt === null && stats.threadLanesDrawn > 0) this.debug.firstLaneDrawnAt = rec.at;
    return stats;
  }

  // ------------------------------------------------------------------------------------------
  // DOM text

  private scheduleUi(): void {
    if (this.uiTimer === null) {
      this.uiTimer = setTimeout(() => {
        this.uiTimer = null;
        this.refreshUi();
      }, UI_REFRESH_MS);
    }
    if (this.srTimer === null) {
      this.srTimer = setTimeout(() => {
        this.srTimer = null;
        this.refreshScreenReaderText();
      }, SR_REFRESH_MS);
    }
  }

  /** Refreshes everything textual now (the timers call this; tests may too). */
  refreshUi(): void {
    this.refreshHeader();
    this.banners.update(this.store, this.running);
    if (this.tab === 'summary') renderSummary(this.summaryView, this.store, this.status, this.speedups);
    if (this.selected && (this.selected.kind === 'open' || this.selected.kind === 'thread' || this.selected.kind === 'object')) {
      const desc = describeHit(this.store, this.selected);
      if (desc) this.inspector.show(desc, true);
    }
  }

  private refreshScreenReaderText(): void {
    const text = runSummarySentences(this.store, this.status).join('\n');
    setText(this.srEl, text);
  }

  private refreshHeader(): void {
    this.header.update({
      header: this.store.header,
      status: this.status,
      records: this.store.records,
      following: this.follow !== null,
      showFlows: this.showFlows,
      tab: this.tab,
    });
    const title = this.store.header?.title;
    this.root.ownerDocument.title = title ? `${title} — timeline` : 'Timeline';
  }

  /** Forces the throttled DOM refreshes to happen now (tests, benchmark). */
  flushUi(): void {
    if (this.uiTimer !== null) {
      clearTimeout(this.uiTimer);
      this.uiTimer = null;
    }
    if (this.srTimer !== null) {
      clearTimeout(this.srTimer);
      this.srTimer = null;
    }
    this.refreshUi();
    this.refreshScreenReaderText();
  }
}

function rowKeyOf(hit: Hit): string | null {
  switch (hit.kind) {
    case 'span':
    case 'open':
    case 'instant':
    case 'thread':
      return `t:${hit.thread}`;
    case 'hold':
    case 'counter':
    case 'object':
      return `o:${hit.obj}`;
    case 'process':
      return `p:${hit.process}`;
    case 'objects':
      return `g:${hit.process}`;
  }
}
