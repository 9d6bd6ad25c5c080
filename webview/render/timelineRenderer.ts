/**
 * Draws the lanes. Spans, holds, counters, instants and grid lines are written as pixels into a
 * Uint32 view of one ImageData and blitted with a single putImageData: the timeline probe
 * measured ~0.35 µs of JS per canvas call, so one fillRect per merged run costs 34–43 ms a frame
 * zoomed out at 1M spans, while this costs ~8 ms. Each lane's pixel line is built once and copied
 * down the bar's height with copyWithin. Outlines, arrows and the few text labels that need
 * glyphs are drawn with the 2D context on top, and only for what is visible.
 */
import type { Layout, Row } from '../layout';
import { visibleRows } from '../layout';
import { LaneRaster } from '../lod';
import { ThreadColumnCache } from './threadColumns';
import type { HoldLane } from '../model/columns';
import type { TimelineStore } from '../model/store';
import { INSTANT_KINDS } from '../model/store';
import type { Hit } from '../hitTest';
import type { Palette } from '../theme';
import { computeTicks } from '../timeAxis';
import type { View } from '../viewport';
import { describeState, stateName } from '../format';

export interface BoxSelection {
  t0: number;
  t1: number;
  /** Content y range (scroll offset included). */
  y0: number;
  y1: number;
}

export interface RenderInput {
  store: TimelineStore;
  layout: Layout;
  view: View;
  scrollTop: number;
  palette: Palette;
  hover: Hit | null;
  selected: Hit | null;
  box: BoxSelection | null;
  showFlows: boolean;
  running: boolean;
}

export interface FrameStats {
  ms: number;
  visitedSpans: number;
  lanesDrawn: number;
  threadLanesDrawn: number;
  flowsDrawn: number;
}

/** Bar inset inside a lane (CSS px), leaving a gap between lanes. */
const BAR_INSET = 3;
const EXCEPTION_KIND = INSTANT_KINDS.indexOf('exception');
/** Above this many visible items in a lane, text labels would be unreadable anyway: skip them. */
const MAX_LABELLED_ITEMS = 600;
const MAX_FLOWS_DRAWN = 4000;

export class TimelineRenderer {
  readonly ctx: CanvasRenderingContext2D;
  private image: ImageData | null = null;
  private buf: Uint32Array = new Uint32Array(0);
  private line: Uint32Array = new Uint32Array(0);
  private bgLine: Uint32Array = new Uint32Array(0);
  /** Device x of this frame's grid lines (reused). */
  private readonly gridX = new Int32Array(256);
  private readonly raster = new LaneRaster();
  /** Per-lane columns kept between frames (pans and live appends redraw only what changed). */
  readonly laneCache = new ThreadColumnCache(this.raster);
  cssWidth = 0;
  cssHeight = 0;
  dpr = 1;
  width = 0;
  height = 0;

  constructor(readonly canvas: HTMLCanvasElement) {
    const ctx = canvas.getContext('2d', { alpha: false });
    if (!ctx) throw new Error('2D canvas is not available');
    this.ctx = ctx;
  }

  resize(cssWidth: number, cssHeight: number, dpr: number): void {
    const w = Math.max(1, Math.round(cssWidth * dpr));
    const h = Math.max(1, Math.round(cssHeight * dpr));
    this.cssWidth = cssWidth;
    this.cssHeight = cssHeight;
    this.dpr = dpr;
    if (w === this.width && h === this.height && this.image) return;
    this.width = w;
    this.height = h;
    this.canvas.width = w;
    this.canvas.height = h;
    this.canvas.style.width = `${cssWidth}px`;
    this.canvas.style.height = `${cssHeight}px`;
    this.image = this.ctx.createImageData(w, h);
    this.buf = new Uint32Array(this.image.data.buffer);
    this.line = new Uint32Array(w);
    this.bgLine = new Uint32Array(w);
  }

  draw(inp: RenderInput): FrameStats {
    const began = performance.now();
    const stats: FrameStats = { ms: 0, visitedSpans: 0, lanesDrawn: 0, threadLanesDrawn: 0, flowsDrawn: 0 };
    const image = this.image;
    if (!image) return stats;
    const { store, layout, view, palette: pal } = inp;
    store.prepare();
    const W = this.width;
    const H = this.height;
    const dpr = this.dpr;
    // One pixel line of background with vertical grid lines at the axis ticks: every canvas row
    // starts from it, written once per frame (rows under a bar get the bar's line directly).
    const bg = this.bgLine;
    bg.fill(pal.word.background);
    const grid = pal.word.grid;
    let nGrid = 0;
    for (const tk of computeTicks(view.t0, view.t1, this.cssWidth).ticks) {
      const x = Math.round(tk.x * dpr);
      if (x < 0 || x >= W) continue;
      bg[x] = grid;
      if (nGrid < this.gridX.length) this.gridX[nGrid++] = x;
    }

    const [first, last] = visibleRows(layout.rows, inp.scrollTop, inp.scrollTop + this.cssHeight);
    let done = 0; // canvas rows [0, done) are written
    for (let r = first; r < last; r++) {
      const row = layout.rows[r];
      const top = Math.round((row.y - inp.scrollTop) * dpr);
      const bottom = Math.round((row.y + row.h - inp.scrollTop) * dpr);
      if (top > done) this.background(done, top);
      stats.lanesDrawn++;
      switch (row.kind) {
        case 'process':
          this.background(top, bottom);
          this.paintProcess(inp, row, top, bottom);
          break;
        case 'thread':
          stats.visitedSpans += this.paintThread(inp, row.uid, top, bottom);
          stats.threadLanesDrawn++;
          break;
        case 'objects':
          this.background(top, bottom);
          this.hline(top, pal.word.border);
          break;
        case 'object':
          this.background(top, bottom);
          this.paintObject(inp, row.uid, top, bottom);
          break;
      }
      if (bottom > done) done = bottom;
    }
    // Below the last lane there is only background and grid: the context fills it, and only
    // the rows above go through the ImageData (a short run on a tall panel copies a fraction).
    const rows = Math.max(0, Math.min(H, done));
    if (rows > 0) this.ctx.putImageData(image, 0, 0, 0, 0, W, rows);
    if (rows < H) {
      const ctx = this.ctx;
      ctx.fillStyle = wordCss(pal.word.background);
      ctx.fillRect(0, rows, W, H - rows);
      ctx.fillStyle = wordCss(grid);
      for (let g = 0; g < nGrid; g++) ctx.fillRect(this.gridX[g], rows, 1, H - rows);
    }

    this.drawOverlays(inp, first, last, stats);
    stats.ms = performance.now() - began;
    return stats;
  }

  /** Device-pixel x of time t (not clamped). */
  private xOf(view: View, t: number): number {
    return ((t - view.t0) / (view.t1 - view.t0)) * this.width;
  }

  private hline(y: number, word: number): void {
    if (y < 0 || y >= this.height) return;
    this.buf.fill(word, y * this.width, (y + 1) * this.width);
  }

  /** Writes the background line (with the grid) into rows [y0, y1), clipped to the canvas. */
  private background(y0: number, y1: number): void {
    const W = this.width;
    const a = Math.max(0, y0);
    const b = Math.min(this.height, y1);
    for (let y = a; y < b; y++) this.buf.set(this.bgLine, y * W);
  }

  /** Starts a pixel line from what is already at row y (background and grid). */
  private baseLine(y: number): Uint32Array {
    const W = this.width;
    const yy = Math.max(0, Math.min(this.height - 1, y));
    this.line.set(this.buf.subarray(yy * W, yy * W + W));
    return this.line;
  }

  /** Copies the pixel line into rows [top, bottom), clipped to the canvas. */
  private fillBar(top: number, bottom: number, line: Uint32Array): void {
    const W = this.width;
    const y0 = Math.max(0, top);
    const y1 = Math.min(this.height, bottom);
    // From the line (in cache), not row to row: half the memory traffic of copyWithin.
    for (let y = y0; y < y1; y++) this.buf.set(line, y * W);
  }

  private paintProcess(inp: RenderInput, row: Row, top: number, bottom: number): void {
    const pal = inp.palette;
    const p = inp.store.processes.get(row.uid);
    this.hline(top, pal.word.border);
    if (!p) return;
    const W = this.width;
    const mid = (top + bottom) >> 1;
    const half = Math.max(2, Math.round(3 * this.dpr));
    const line = this.baseLine(mid);
    const end = p.endNs ?? Math.max(inp.store.nowNs, p.startNs);
    const xa = Math.max(0, Math.floor(this.xOf(inp.view, p.startNs)));
    const xb = Math.min(W, Math.ceil(this.xOf(inp.view, end)));
    for (let x = xa; x < xb; x++) line[x] = pal.processBandWord;
    // Exit marker: an error-coloured tick when the process failed or was killed.
    if (p.endNs !== null) {
      const xe = Math.round(this.xOf(inp.view, p.endNs));
      const bad = (p.exitCode !== null && p.exitCode !== 0) || p.signal !== null;
      const word = bad ? pal.word.error : pal.word.muted;
      for (let x = xe - Math.round(this.dpr); x <= xe; x++) if (x >= 0 && x < W) line[x] = word;
    }
    this.fillBar(mid - half, mid + half, line);
  }

  private paintThread(inp: RenderInput, uid: number, top: number, bottom: number): number {
    const { store, view, palette: pal } = inp;
    const W = this.width;
    const inset = Math.round(BAR_INSET * this.dpr);
    const lane = store.spans.get(uid);
    const open = store.open.get(uid);
    const out = this.laneCache.columns(inp.view, store.nowNs, this.width, uid, lane, open);
    // Background above and below the bar; the bar's rows are written once, from its line.
    this.background(top, top + inset);
    this.background(bottom - inset, bottom);
    const line = this.line;
    line.set(this.bgLine);
    const info = store.threads.get(uid);
    if (info && info.endNs !== null) {
      // Greyed after the thread's end: the lane stays, tinted as "exited".
      // (until the end of the recording, not into the empty future)
      const xEnd = Math.max(0, Math.ceil(this.xOf(view, info.endNs)));
      const xStop = Math.min(W, Math.ceil(this.xOf(view, Math.max(store.extentNs, info.endNs))));
      const ex = pal.exitedWord;
      for (let x = xEnd; x < xStop; x++) line[x] = ex;
    }
    const words = pal.stateWords;
    for (let x = 0; x < W; x++) {
      const st = out[x];
      if (st >= 0) line[x] = words[st];
    }
    this.fillBar(top + inset, bottom - inset, line);
    this.paintInstants(inp, uid, top);
    return this.raster.visited;
  }


  private paintInstants(inp: RenderInput, uid: number, top: number): void {
    const ins = inp.store.instants.get(uid);
    if (!ins || ins.length === 0) return;
    const { view, palette: pal } = inp;
    const W = this.width;
    const H = this.height;
    const buf = this.buf;
    const k = W / (view.t1 - view.t0);
    const size = Math.max(4, Math.round(4 * this.dpr));
    let i = ins.firstAtOrAfter(view.t0 - size / k);
    let lastX = -1e9;
    let lastWasError = false;
    for (; i < ins.length; i++) {
      const t = ins.t[i];
      const x = Math.round((t - view.t0) * k);
      if (x - size >= W) break;
      const isError = ins.kind[i] === EXCEPTION_KIND;
      // One marker per pixel column (level of detail), but an exception is never hidden.
      if (x === lastX && (lastWasError || !isError)) continue;
      lastX = x;
      lastWasError = isError;
      const word = isError ? pal.word.error : pal.word.instant;
      const edge = pal.word.foreground;
      // A small downward triangle at the top of the lane, outlined in the foreground colour so
      // it stays visible over a bar of the same hue.
      for (let dy = 0; dy < size; dy++) {
        const y = top + 1 + dy;
        if (y < 0 || y >= H) continue;
        const hw = size - 1 - dy;
        const a = Math.max(0, x - hw);
        const b = Math.min(W - 1, x + hw);
        if (a > b) continue;
        buf.fill(dy === 0 ? edge : word, y * W + a, y * W + b + 1);
        if (x - hw >= 0) buf[y * W + x - hw] = edge;
        if (x + hw < W) buf[y * W + x + hw] = edge;
      }
    }
  }

  private paintObject(inp: RenderInput, uid: number, top: number, bottom: number): void {
    const { store, view, palette: pal } = inp;
    const holds = store.holds.get(uid);
    const open = store.openHolds.get(uid);
    const counter = store.counters.get(uid);
    const inset = Math.round(2 * this.dpr);
    const holdBand = Math.round(5 * this.dpr);
    const held = (holds !== undefined && holds.length > 0) || open !== undefined;
    if (counter && counter.length > 0) {
      this.paintCounter(inp, uid, top + inset, bottom - inset - (held ? holdBand : 0));
    }
    if (held) {
      const raster = this.raster;
      raster.begin(view.t0, view.t1, this.width);
      if (holds && holds.length > 0) raster.addSpans(holds);
      // Holds not ended yet (a deadlock's locks, a lock held right now) reach up to now.
      for (const h of open ?? []) raster.addSpan(h.sinceNs, Math.max(store.nowNs, h.sinceNs), 0);
      const out = raster.finish();
      const y0 = counter && counter.length > 0 ? bottom - inset - holdBand : top + Math.round(BAR_INSET * this.dpr);
      const y1 = counter && counter.length > 0 ? bottom - inset : bottom - Math.round(BAR_INSET * this.dpr);
      const line = this.baseLine(y0);
      const words = pal.holdWords;
      for (let x = 0; x < this.width; x++) {
        const st = out[x];
        if (st >= 0) line[x] = words[st];
      }
      this.fillBar(y0, y1, line);
    }
  }

  /** A step function as a filled area: semaphore count, queue length, event set (1) / clear (0). */
  private paintCounter(inp: RenderInput, uid: number, top: number, bottom: number): void {
    const c = inp.store.counters.get(uid)!;
    const { view, palette: pal, store } = inp;
    const W = this.width;
    const H = this.height;
    const k = W / (view.t1 - view.t0);
    const col = this.colValues(W);
    col.fill(-1);
    let i = c.indexAt(view.t0);
    let v = i >= 0 ? c.value[i] : -1;
    let px = 0;
    i++;
    for (; i < c.length; i++) {
      const t = c.t[i];
      if (t >= view.t1) break;
      const x = Math.max(0, Math.floor((t - view.t0) * k));
      for (let xx = px; xx < x && xx < W; xx++) col[xx] = v;
      // A pixel holding several points shows the highest value reached in it.
      if (x < W && col[x] < v) col[x] = v;
      v = c.value[i];
      if (x < W && col[x] < v) col[x] = v;
      px = Math.max(px, x + 1);
    }
    const xEnd = Math.min(W, Math.ceil((Math.max(store.nowNs, c.t[c.length - 1]) - view.t0) * k));
    for (let xx = px; xx < xEnd; xx++) col[xx] = v;
    const max = Math.max(1, c.max);
    const h = bottom - top;
    if (h <= 0) return;
    // A step line (the value) over a lighter area, so levels read at a glance.
    const line = pal.word.counter;
    const fill = pal.counterFillWord;
    const buf = this.buf;
    const lw = Math.max(1, Math.round(this.dpr * 1.5));
    let prevTop = -1;
    for (let x = 0; x < W; x++) {
      const val = col[x];
      if (val < 0) {
        prevTop = -1;
        continue;
      }
      const bh = val > 0 ? Math.max(lw, Math.round((val / max) * h)) : 0;
      const yTop = Math.max(0, bottom - bh - lw);
      const y1 = Math.min(H, bottom);
      for (let y = yTop + lw; y < y1; y++) buf[y * W + x] = fill;
      // The line, with a vertical riser where the value steps.
      const a = prevTop < 0 ? yTop : Math.min(prevTop, yTop);
      const b = prevTop < 0 ? yTop + lw : Math.max(prevTop, yTop) + lw;
      for (let y = Math.max(0, a); y < Math.min(H, b); y++) buf[y * W + x] = line;
      prevTop = yTop;
    }
  }

  private colBuf = new Float64Array(0);
  private colValues(w: number): Float64Array {
    if (this.colBuf.length !== w) this.colBuf = new Float64Array(w);
    return this.colBuf;
  }

  // ------------------------------------------------------------------------------------------
  // Overlays drawn with the 2D context in CSS pixels.

  private drawOverlays(inp: RenderInput, first: number, last: number, stats: FrameStats): void {
    const ctx = this.ctx;
    const pal = inp.palette;
    ctx.save();
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.font = `${Math.max(10, pal.fontSize - 2)}px ${pal.font}`;
    ctx.textBaseline = 'middle';
    for (let r = first; r < last; r++) {
      const row = inp.layout.rows[r];
      if (row.kind === 'thread') this.labelThreadSpans(inp, row);
      else if (row.kind === 'object') this.labelHolds(inp, row);
    }
    if (inp.running && inp.store.nowNs > 0) {
      const x = this.xOf(inp.view, inp.store.nowNs) / this.dpr;
      if (x >= 0 && x <= this.cssWidth) {
        ctx.strokeStyle = pal.css.muted;
        ctx.setLineDash([3, 3]);
        ctx.lineWidth = 1;
        ctx.beginPath();
        ctx.moveTo(Math.round(x) + 0.5, 0);
        ctx.lineTo(Math.round(x) + 0.5, this.cssHeight);
        ctx.stroke();
        ctx.setLineDash([]);
      }
    }
    if (inp.showFlows) stats.flowsDrawn = this.drawFlows(inp);
    this.drawDeadlocks(inp);
    if (inp.hover) this.outline(inp, inp.hover, pal.css.foreground, 1);
    if (inp.selected) this.outline(inp, inp.selected, pal.css.selection, 2);
    if (inp.box) {
      const xa = this.xOf(inp.view, Math.min(inp.box.t0, inp.box.t1)) / this.dpr;
      const xb = this.xOf(inp.view, Math.max(inp.box.t0, inp.box.t1)) / this.dpr;
      const ya = Math.min(inp.box.y0, inp.box.y1) - inp.scrollTop;
      const yb = Math.max(inp.box.y0, inp.box.y1) - inp.scrollTop;
      ctx.globalAlpha = 0.15;
      ctx.fillStyle = pal.css.selection;
      ctx.fillRect(xa, ya, xb - xa, yb - ya);
      ctx.globalAlpha = 1;
      ctx.strokeStyle = pal.css.selection;
      ctx.lineWidth = 1;
      ctx.strokeRect(Math.round(xa) + 0.5, Math.round(ya) + 0.5, Math.round(xb - xa), Math.round(yb - ya));
    }
    ctx.restore();
  }

  /** Text inside spans wide enough to hold it ("blocked on Lock a"), only when zoomed in. */
  private labelThreadSpans(inp: RenderInput, row: Row): void {
    const { store, view, palette: pal } = inp;
    const lane = store.spans.get(row.uid);
    const yMid = row.y - inp.scrollTop + row.h / 2;
    const label = (s: number, e: number, st: number, obj: number, wk: number) => {
      const xa = Math.max(0, this.xOf(view, s) / this.dpr);
      const xb = Math.min(this.cssWidth, this.xOf(view, e) / this.dpr);
      if (xb - xa < 48) return;
      const text = describeState(st, obj >= 0 ? store.objectLabel(obj) : '', wk);
      this.fitText(text, xa + 4, yMid, xb - xa - 8, pal.rgba[stateKey(st)]);
    };
    if (lane && lane.length > 0) {
      const a = lane.firstReaching(view.t0);
      const b = lane.firstStartingAtOrAfter(view.t1);
      if (b - a <= MAX_LABELLED_ITEMS) {
        for (let i = a; i < b; i++) label(lane.start[i], lane.end[i], lane.state[i], lane.obj[i], lane.waitKind[i]);
      }
    }
    const open = store.open.get(row.uid);
    if (open) label(open.sinceNs, Math.max(store.nowNs, open.sinceNs), open.state, open.obj, open.waitKind);
  }

  /** The holder's name inside wide hold spans. */
  private labelHolds(inp: RenderInput, row: Row): void {
    const { store, view, palette: pal } = inp;
    const holds: HoldLane | undefined = store.holds.get(row.uid);
    const open = store.openHolds.get(row.uid) ?? [];
    if ((!holds || holds.length === 0) && open.length === 0) return;
    const hasCounter = (store.counters.get(row.uid)?.length ?? 0) > 0;
    if (hasCounter) return; // the hold band is too thin for text under a counter
    const yMid = row.y - inp.scrollTop + row.h / 2;
    for (const h of open) {
      const xa = Math.max(0, this.xOf(view, h.sinceNs) / this.dpr);
      const xb = Math.min(this.cssWidth, this.xOf(view, Math.max(store.nowNs, h.sinceNs)) / this.dpr);
      if (xb - xa >= 40) this.fitText(store.threadName(h.thread), xa + 4, yMid, xb - xa - 8, pal.rgba.held);
    }
    if (!holds || holds.length === 0) return;
    const a = holds.firstReaching(view.t0);
    const b = holds.firstStartingAtOrAfter(view.t1);
    if (b - a > MAX_LABELLED_ITEMS) return;
    for (let i = a; i < b; i++) {
      const xa = Math.max(0, this.xOf(view, holds.start[i]) / this.dpr);
      const xb = Math.min(this.cssWidth, this.xOf(view, holds.end[i]) / this.dpr);
      if (xb - xa < 40) continue;
      this.fitText(store.threadName(holds.thread[i]), xa + 4, yMid, xb - xa - 8, pal.rgba.held);
    }
  }

  private fitText(text: string, x: number, y: number, maxWidth: number, fill: { r: number; g: number; b: number }): void {
    const ctx = this.ctx;
    let t = text;
    let w = ctx.measureText(t).width;
    if (w > maxWidth) {
      // Shorten with an ellipsis; a binary search keeps measureText calls to a handful.
      let lo = 0;
      let hi = t.length;
      while (lo < hi) {
        const m = (lo + hi + 1) >> 1;
        if (ctx.measureText(`${text.slice(0, m)}…`).width <= maxWidth) lo = m;
        else hi = m - 1;
      }
      if (lo < 2) return;
      t = `${text.slice(0, lo)}…`;
      w = maxWidth;
    }
    const lum = 0.2126 * fill.r + 0.7152 * fill.g + 0.0722 * fill.b;
    ctx.fillStyle = lum > 140 ? '#000000' : '#ffffff';
    ctx.fillText(t, x, y);
  }

  private drawFlows(inp: RenderInput): number {
    const { store, layout, view, palette: pal } = inp;
    const f = store.flows;
    const ctx = this.ctx;
    const top = inp.scrollTop;
    const bottom = top + this.cssHeight;
    ctx.strokeStyle = pal.css.flow;
    ctx.fillStyle = pal.css.flow;
    ctx.lineWidth = 1.25;
    let drawn = 0;
    let lastKey = '';
    for (let i = 0; i < f.length && drawn < MAX_FLOWS_DRAWN; i++) {
      const a = f.fromNs[i];
      const b = f.toNs[i];
      if (Math.max(a, b) < view.t0 || Math.min(a, b) > view.t1) continue;
      const ra = layout.threadRow.get(f.fromThread[i]);
      const rb = layout.threadRow.get(f.toThread[i]);
      if (ra === undefined || rb === undefined) continue;
      const rowA = layout.rows[ra];
      const rowB = layout.rows[rb];
      const ya = rowA.y + rowA.h / 2;
      const yb = rowB.y + rowB.h / 2;
      if (Math.max(ya, yb) < top || Math.min(ya, yb) > bottom) continue;
      const xa = this.xOf(view, a) / this.dpr;
      const xb = this.xOf(view, b) / this.dpr;
      const key = `${Math.round(xa)}:${ra}:${Math.round(xb)}:${rb}`;
      if (key === lastKey) continue; // identical on screen to the previous arrow
      lastKey = key;
      this.arrow(xa, ya - top, xb, yb - top);
      drawn++;
    }
    return drawn;
  }

  private arrow(x0: number, y0: number, x1: number, y1: number): void {
    const ctx = this.ctx;
    ctx.beginPath();
    ctx.moveTo(x0, y0);
    const dx = Math.max(12, Math.abs(x1 - x0) / 2);
    ctx.bezierCurveTo(x0 + dx * 0.5, y0, x1 - dx * 0.5, y1, x1, y1);
    ctx.stroke();
    const ang = Math.atan2(y1 - y0, Math.max(1, x1 - x0) * 0.5);
    const s = 5;
    ctx.beginPath();
    ctx.moveTo(x1, y1);
    ctx.lineTo(x1 - s * Math.cos(ang - 0.45), y1 - s * Math.sin(ang - 0.45));
    ctx.lineTo(x1 - s * Math.cos(ang + 0.45), y1 - s * Math.sin(ang + 0.45));
    ctx.closePath();
    ctx.fill();
  }

  private drawDeadlocks(inp: RenderInput): void {
    const { store, palette: pal } = inp;
    if (store.deadlocks.length === 0) return;
    const ctx = this.ctx;
    ctx.strokeStyle = pal.css.error;
    ctx.lineWidth = 2;
    for (const d of store.deadlocks) {
      for (const t of d.threads) {
        if (store.open.has(t)) this.outline(inp, { kind: 'open', thread: t }, pal.css.error, 2);
      }
      for (const o of d.objects) {
        const r = inp.layout.objectRow.get(o);
        if (r === undefined) continue;
        const row = inp.layout.rows[r];
        ctx.strokeStyle = pal.css.error;
        ctx.strokeRect(2, row.y - inp.scrollTop + 1, this.cssWidth - 4, row.h - 2);
      }
    }
  }

  /** Rectangle (CSS px, canvas coordinates) of what a hit designates, or null if off screen. */
  hitRect(inp: RenderInput, hit: Hit): { x: number; y: number; w: number; h: number } | null {
    const { store, layout, view } = inp;
    const rowRect = (ri: number | undefined) => {
      if (ri === undefined) return null;
      const row = layout.rows[ri];
      return { y: row.y - inp.scrollTop, h: row.h };
    };
    const span = (ri: number | undefined, s: number, e: number, inset: number) => {
      const rr = rowRect(ri);
      if (!rr) return null;
      const xa = this.xOf(view, s) / this.dpr;
      const xb = this.xOf(view, e) / this.dpr;
      const x = Math.max(-2, xa);
      const w = Math.max(2, Math.min(this.cssWidth + 2, xb) - x);
      return { x, y: rr.y + inset, w, h: rr.h - inset * 2 };
    };
    switch (hit.kind) {
      case 'span': {
        const lane = store.spans.get(hit.thread);
        if (!lane || hit.index >= lane.length) return null;
        return span(layout.threadRow.get(hit.thread), lane.start[hit.index], lane.end[hit.index], BAR_INSET - 1);
      }
      case 'open': {
        const o = store.open.get(hit.thread);
        if (!o) return null;
        return span(layout.threadRow.get(hit.thread), o.sinceNs, Math.max(store.nowNs, o.sinceNs), BAR_INSET - 1);
      }
      case 'instant': {
        const ins = store.instants.get(hit.thread);
        if (!ins) return null;
        const rr = rowRect(layout.threadRow.get(hit.thread));
        if (!rr) return null;
        const x = this.xOf(view, ins.t[hit.index]) / this.dpr;
        return { x: x - 4, y: rr.y, w: 8, h: 7 };
      }
      case 'hold': {
        const h = store.holds.get(hit.obj);
        if (!h) return null;
        return span(layout.objectRow.get(hit.obj), h.start[hit.index], h.end[hit.index], 2);
      }
      case 'counter': {
        const c = store.counters.get(hit.obj);
        if (!c) return null;
        const end = hit.index + 1 < c.length ? c.t[hit.index + 1] : Math.max(store.nowNs, c.t[hit.index]);
        return span(layout.objectRow.get(hit.obj), c.t[hit.index], end, 1);
      }
      case 'thread': {
        const rr = rowRect(layout.threadRow.get(hit.thread));
        return rr ? { x: 0, y: rr.y, w: this.cssWidth, h: rr.h } : null;
      }
      case 'object': {
        const rr = rowRect(layout.objectRow.get(hit.obj));
        return rr ? { x: 0, y: rr.y, w: this.cssWidth, h: rr.h } : null;
      }
      case 'process': {
        const rr = rowRect(layout.processRow.get(hit.process));
        return rr ? { x: 0, y: rr.y, w: this.cssWidth, h: rr.h } : null;
      }
      case 'objects':
        return null;
    }
  }

  private outline(inp: RenderInput, hit: Hit, color: string, width: number): void {
    const r = this.hitRect(inp, hit);
    if (!r) return;
    const ctx = this.ctx;
    ctx.strokeStyle = color;
    ctx.lineWidth = width;
    const o = width / 2;
    ctx.strokeRect(Math.round(r.x) + o, Math.round(r.y) + o, Math.max(1, Math.round(r.w) - width), Math.max(1, Math.round(r.h) - width));
  }
}

/** CSS colour of a pixel word (ImageData's little-endian RGBA, as theme.ts packs it). */
function wordCss(w: number): string {
  return `rgb(${w & 255},${(w >>> 8) & 255},${(w >>> 16) & 255})`;
}

function stateKey(st: number): 'running' | 'blocked' | 'waiting' | 'sleeping' {
  const n = stateName(st);
  return n === 'blocked' || n === 'waiting' || n === 'sleeping' ? n : 'running';
}
