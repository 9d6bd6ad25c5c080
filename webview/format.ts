/** Text formatting shared by the axis, tooltips, the inspector and the summary. Pure. */
import type { ProcessInfo, RecordCounts, RunStatus, ThreadStateValue } from '../extension/protocol';
import { WaitKind } from '../extension/host/traceSchema';

/** Duration with a unit that keeps 3 significant digits: 950 ns, 12.5 µs, 3.20 ms, 1.50 s. */
export function formatDuration(ns: number): string {
  if (!Number.isFinite(ns)) return '—';
  const a = Math.abs(ns);
  const sign = ns < 0 ? '-' : '';
  if (a < 1e3) return `${sign}${round3(a)} ns`;
  if (a < 1e6) return `${sign}${round3(a / 1e3)} µs`;
  if (a < 1e9) return `${sign}${round3(a / 1e6)} ms`;
  if (a < 60e9) return `${sign}${round3(a / 1e9)} s`;
  const m = Math.floor(a / 60e9);
  const s = (a - m * 60e9) / 1e9;
  return `${sign}${m} min ${s.toFixed(1)} s`;
}

function round3(v: number): string {
  if (v === 0) return '0';
  if (v >= 100) return v.toFixed(0);
  if (v >= 10) return trimZeros(v.toFixed(1));
  return trimZeros(v.toFixed(2));
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** A point in time since T0, precise enough for a tooltip: "12.345 678 ms" style but plain. */
export function formatTimestamp(ns: number): string {
  if (Math.abs(ns) < 1e6) return `${trimZeros((ns / 1e3).toFixed(3))} µs`;
  if (Math.abs(ns) < 1e9) return `${trimZeros((ns / 1e6).toFixed(4))} ms`;
  return `${trimZeros((ns / 1e9).toFixed(6))} s`;
}

/**
 * 1234567 → "1,234,567". Done by hand: the first toLocaleString call initialises ICU, which
 * cost 30–60 ms of the panel's first paint here.
 */
export function formatCount(n: number): string {
  const v = Math.round(n);
  const digits = String(Math.abs(v));
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return v < 0 ? `-${out}` : out;
}

export const STATE_NAMES = ['running', 'blocked', 'waiting', 'sleeping'] as const;
export type StateName = (typeof STATE_NAMES)[number] | 'exited';

export function stateName(s: number): string {
  return STATE_NAMES[s] ?? `state ${s}`;
}

const WAIT_KIND_TEXT: Record<number, string> = {
  [WaitKind.Acquire]: 'acquire',
  [WaitKind.Condition]: 'condition wait',
  [WaitKind.Event]: 'event wait',
  [WaitKind.QueueGet]: 'queue get',
  [WaitKind.QueuePut]: 'queue put (full)',
  [WaitKind.Join]: 'join',
  [WaitKind.Barrier]: 'barrier wait',
  [WaitKind.Sleep]: 'sleep',
  [WaitKind.Result]: 'waiting for a result',
  [WaitKind.PipeRecv]: 'pipe receive',
};

export function waitKindText(k: number): string {
  return WAIT_KIND_TEXT[k] ?? '';
}

/** "blocked on Lock a (acquire)" / "running" — what a thread was doing in a span. */
export function describeState(state: ThreadStateValue | number, objectLabel: string, waitKind: number): string {
  const name = stateName(state);
  const what = waitKindText(waitKind);
  if (state === 0) return name;
  const on = objectLabel ? ` on ${objectLabel}` : '';
  const detail = what && !(state === 3 && what === 'sleep') ? ` (${what})` : '';
  return `${name}${on}${detail}`;
}

/**
 * The run status line. A finished run always says "exit code N" when the code is known: tests
 * and users search for exactly that wording.
 */
export function statusText(status: RunStatus | null): string {
  if (!status) return 'Starting…';
  switch (status.state) {
    case 'running':
      return 'Running…';
    case 'finished': {
      const verb = status.stopped ? 'Stopped' : 'Finished';
      const parts: string[] = [];
      if (status.exitCode !== null) parts.push(`exit code ${status.exitCode}`);
      if (status.signal) parts.push(`killed by ${status.signal}`);
      return parts.length > 0 ? `${verb} — ${parts.join(', ')}` : verb;
    }
    case 'failed':
      return `Failed — ${status.message}`;
  }
}

export function recordsText(r: RecordCounts): string {
  const parts = [`${formatCount(r.total)} records`];
  if (r.dropped > 0) parts.push(`${formatCount(r.dropped)} dropped`);
  if (r.malformed > 0) parts.push(`${formatCount(r.malformed)} malformed`);
  return parts.join(' · ');
}

/** "exit code 0", "killed by SIGTERM", "running". */
export function processExitText(p: ProcessInfo): string {
  if (p.signal) return `killed by ${p.signal}`;
  if (p.exitCode !== null) return `exit code ${p.exitCode}`;
  return p.endNs !== null ? 'ended' : 'running';
}

/** Shortens a path for display: the last two segments. */
export function shortPath(file: string): string {
  const parts = file.split(/[\\/]/).filter((p) => p.length > 0);
  return parts.length <= 2 ? file : `…/${parts.slice(-2).join('/')}`;
}
