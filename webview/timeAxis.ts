/**
 * Tick positions and labels for the time axis. Steps are 1, 2 or 5 × 10^k ns, chosen so labels
 * are at least `minSpacingPx` apart. Labels use the unit of the visible magnitude with as many
 * decimals as the step needs ("12.345 s" every ms near 12 s, "250 µs" near the start). When that
 * would take more than 3 decimals, labels become offsets from a base shown once ("+20 µs" after
 * "12.345 010 s"), so deep zooms far into a run stay readable.
 */

export interface Tick {
  t: number;
  x: number;
  label: string;
}

export interface AxisTicks {
  stepNs: number;
  ticks: Tick[];
  /** Set when labels are offsets: the absolute time they are relative to. */
  base: string | null;
}

const UNITS: { ns: number; name: string }[] = [
  { ns: 1, name: 'ns' },
  { ns: 1e3, name: 'µs' },
  { ns: 1e6, name: 'ms' },
  { ns: 1e9, name: 's' },
];

/** Smallest 1/2/5 × 10^k at or above `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw * (1 - 1e-12)) return m * p;
  return 10 * p;
}

/** The unit in which `ns` reads as 1..999 (ns for anything under a µs, s from a second on). */
export function unitFor(ns: number): { ns: number; name: string } {
  const a = Math.abs(ns);
  for (let i = UNITS.length - 1; i >= 0; i--) if (a >= UNITS[i].ns) return UNITS[i];
  return UNITS[0];
}

function decimalsFor(stepNs: number, unitNs: number): number {
  const r = stepNs / unitNs;
  if (r >= 1) return 0;
  return Math.max(0, Math.ceil(-Math.log10(r) - 1e-9));
}

function fmt(value: number, decimals: number): string {
  const s = value.toFixed(decimals);
  return s === '-0' || /^-0\.0*$/.test(s) ? s.slice(1) : s;
}

/** A label for time t with a given step: unit of the larger of |t| and the step. */
export function labelFor(t: number, stepNs: number, magnitudeNs: number): string {
  const unit = unitFor(Math.max(magnitudeNs, stepNs));
  return `${fmt(t / unit.ns, decimalsFor(stepNs, unit.ns))} ${unit.name}`;
}

export function computeTicks(t0: number, t1: number, widthPx: number, minSpacingPx = 90): AxisTicks {
  const w = t1 - t0;
  if (!(w > 0) || !(widthPx > 0)) return { stepNs: 1, ticks: [], base: null };
  const step = niceStep((w / widthPx) * minSpacingPx);
  const first = Math.ceil(t0 / step) * step;
  const magnitude = Math.max(Math.abs(t0), Math.abs(t1));
  const unit = unitFor(Math.max(magnitude, step));
  const useOffset = decimalsFor(step, unit.ns) > 3;
  const ticks: Tick[] = [];
  let base: string | null = null;
  let baseT = 0;
  if (useOffset) {
    // Base: the first tick rounded down to 1000 steps, written with the step's full precision.
    baseT = Math.floor(first / (step * 1000)) * step * 1000;
    base = labelFor(baseT, step, magnitude);
  }
  for (let i = 0; ; i++) {
    const t = first + i * step;
    if (t > t1 + step * 1e-9 || i > 1000) break;
    const x = ((t - t0) / w) * widthPx;
    const label = useOffset ? `+${labelFor(t - baseT, step, t - baseT)}` : labelFor(t, step, magnitude);
    ticks.push({ t, x, label });
  }
  return { stepNs: step, ticks, base };
}
