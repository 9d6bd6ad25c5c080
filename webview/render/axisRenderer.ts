/** The time axis above the lanes: tick marks and adaptive ns/µs/ms/s labels (timeAxis.ts). */
import type { Palette } from '../theme';
import { computeTicks } from '../timeAxis';
import type { View } from '../viewport';

export class AxisRenderer {
  private readonly ctx: CanvasRenderingContext2D;
  private cssWidth = 0;
  private cssHeight = 0;
  private dpr = 1;
  /** The labels last drawn (tests and the screen reader range text read them). */
  lastLabels: string[] = [];
  lastBase: string | null = null;

  constructor(readonly canvas: HTMLCanvasElement) {
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('2D canvas is not available');
    this.ctx = ctx;
  }

  resize(cssWidth: number, cssHeight: number, dpr: number): void {
    if (cssWidth === this.cssWidth && cssHeight === this.cssHeight && dpr === this.dpr) return;
    this.cssWidth = cssWidth;
    this.cssHeight = cssHeight;
    this.dpr = dpr;
    this.canvas.width = Math.max(1, Math.round(cssWidth * dpr));
    this.canvas.height = Math.max(1, Math.round(cssHeight * dpr));
    this.canvas.style.width = `${cssWidth}px`;
    this.canvas.style.height = `${cssHeight}px`;
  }

  draw(view: View, pal: Palette, selection: { t0: number; t1: number } | null): void {
    const ctx = this.ctx;
    const w = this.cssWidth;
    const hgt = this.cssHeight;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.fillStyle = pal.css.background;
    ctx.fillRect(0, 0, w, hgt);
    if (selection) {
      const k = w / (view.t1 - view.t0);
      const a = (Math.min(selection.t0, selection.t1) - view.t0) * k;
      const b = (Math.max(selection.t0, selection.t1) - view.t0) * k;
      ctx.globalAlpha = 0.25;
      ctx.fillStyle = pal.css.selection;
      ctx.fillRect(a, 0, Math.max(1, b - a), hgt);
      ctx.globalAlpha = 1;
    }
    const ticks = computeTicks(view.t0, view.t1, w);
    ctx.strokeStyle = pal.css.muted;
    ctx.fillStyle = pal.css.foreground;
    ctx.lineWidth = 1;
    ctx.font = `${Math.max(10, pal.fontSize - 2)}px ${pal.font}`;
    ctx.textBaseline = 'middle';
    ctx.beginPath();
    const labels: string[] = [];
    let leftmostLabel = Infinity;
    for (const t of ticks.ticks) {
      const x = Math.round(t.x) + 0.5;
      ctx.moveTo(x, hgt - 6);
      ctx.lineTo(x, hgt);
      if (x + 3 < w - 10) {
        ctx.fillText(t.label, x + 3, hgt / 2 - 2);
        labels.push(t.label);
        leftmostLabel = Math.min(leftmostLabel, x);
      }
    }
    ctx.stroke();
    if (ticks.base) {
      // Offsets need their origin: written at the left edge on an opaque plate.
      const text = `${ticks.base} +`;
      const tw = ctx.measureText(text).width + 8;
      ctx.fillStyle = pal.css.background;
      ctx.fillRect(0, 0, tw, hgt);
      ctx.fillStyle = pal.css.muted;
      ctx.fillText(text, 4, hgt / 2 - 2);
    }
    this.lastLabels = labels;
    this.lastBase = ticks.base;
  }
}
