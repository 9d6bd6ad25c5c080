/** Questions asked of the columnar model over a time range (box selection). Pure. */
import type { OpenState } from '../../extension/protocol';
import type { ThreadSpanLane } from './columns';

/**
 * ns per state of one thread inside [t0, t1): closed spans clipped to the range, plus the open
 * state from its start to `nowNs`. Visits only the spans that overlap the range.
 */
export function rangeStateTotals(
  lane: ThreadSpanLane | undefined,
  open: OpenState | undefined,
  nowNs: number,
  t0: number,
  t1: number,
): [number, number, number, number] {
  const out: [number, number, number, number] = [0, 0, 0, 0];
  if (t1 <= t0) return out;
  if (lane && lane.length > 0) {
    for (let i = lane.firstReaching(t0); i < lane.length; i++) {
      const s = lane.start[i];
      if (s >= t1) break;
      const a = s > t0 ? s : t0;
      const e = lane.end[i];
      const b = e < t1 ? e : t1;
      if (b > a) out[lane.state[i] as 0 | 1 | 2 | 3] += b - a;
    }
  }
  if (open && open.state >= 0 && open.state < 4) {
    const a = Math.max(open.sinceNs, t0);
    const b = Math.min(Math.max(nowNs, open.sinceNs), t1);
    if (b > a) out[open.state] += b - a;
  }
  return out;
}
