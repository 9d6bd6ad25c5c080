/**
 * Picks machine-readable result lines out of a program's stdout: a recipe prints
 * `PCB-RESULT {json}` (the performance recipe's speed-up table) for the timeline to chart.
 * Output chunks split lines anywhere, so a partial last line is carried over (bounded).
 */
import { SpeedupRow } from '../protocol';

const PREFIX = 'PCB-RESULT ';
const MAX_CARRY = 64 * 1024;

export class ResultLineScanner {
  private carry = '';
  /** The current line started earlier and cannot be a result line: skip up to its end. */
  private skipping = false;

  /** The speed-up rows of every complete result line in this chunk. */
  push(chunk: string): SpeedupRow[][] {
    const lines = (this.carry + chunk).split('\n');
    const last = lines.pop() ?? '';
    const skipFirst = this.skipping;
    const mayBeResult = lines.length > 0 || !skipFirst;
    this.carry = mayBeResult && last.length <= MAX_CARRY && (last.startsWith(PREFIX) || PREFIX.startsWith(last)) ? last : '';
    this.skipping = last.length > 0 && this.carry === '';
    const found: SpeedupRow[][] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if ((i === 0 && skipFirst) || !line.startsWith(PREFIX)) continue;
      const rows = parseSpeedups(line.slice(PREFIX.length));
      if (rows) found.push(rows);
    }
    return found;
  }
}

export function parseSpeedups(json: string): SpeedupRow[] | null {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  const rows = (value as { rows?: unknown } | null)?.rows;
  if (!Array.isArray(rows)) return null;
  const out: SpeedupRow[] = [];
  for (const r of rows) {
    const o = r as Record<string, unknown>;
    const nums = ['sequentialS', 'threadsS', 'processesS', 'speedupThreads', 'speedupProcesses'] as const;
    if (typeof o?.job !== 'string' || !nums.every((k) => typeof o[k] === 'number' && Number.isFinite(o[k]))) return null;
    out.push({
      job: o.job,
      sequentialS: o.sequentialS as number,
      threadsS: o.threadsS as number,
      processesS: o.processesS as number,
      speedupThreads: o.speedupThreads as number,
      speedupProcesses: o.speedupProcesses as number,
    });
  }
  return out;
}
