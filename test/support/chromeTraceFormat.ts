/** Checks a Chrome Trace Event file against the rules Perfetto and chrome://tracing rely on. */
import type { ChromeTrace, TraceEvent } from '../../extension/host/chromeTrace';

export function validateChromeTrace(trace: ChromeTrace): string[] {
  const problems: string[] = [];
  if (!Array.isArray(trace.traceEvents)) return ['traceEvents is not an array'];
  const open = new Map<string, number>();
  const flowStarts = new Map<number, TraceEvent>();
  const flowEnds = new Map<number, TraceEvent>();
  trace.traceEvents.forEach((e, i) => {
    for (const key of ['ph', 'ts', 'pid', 'tid'] as const) if (e[key] === undefined) problems.push(`event ${i} (${e.name}) has no ${key}`);
    if (typeof e.ts !== 'number' || !Number.isFinite(e.ts) || e.ts < 0) problems.push(`event ${i} has a bad ts ${e.ts}`);
    if (e.ph === 'X' && !(typeof e.dur === 'number' && e.dur >= 0)) problems.push(`complete event ${i} has a bad dur ${e.dur}`);
    const track = `${e.pid}/${e.tid}`;
    if (e.ph === 'B') open.set(track, (open.get(track) ?? 0) + 1);
    if (e.ph === 'E') {
      const n = open.get(track) ?? 0;
      if (n === 0) problems.push(`E without B on ${track}`);
      open.set(track, n - 1);
    }
    if (e.ph === 's') flowStarts.set(e.id!, e);
    if (e.ph === 'f') flowEnds.set(e.id!, e);
  });
  for (const [track, n] of open) if (n !== 0) problems.push(`${n} unbalanced B on ${track}`);
  for (const id of flowStarts.keys()) if (!flowEnds.has(id)) problems.push(`flow ${id} has no end`);
  for (const id of flowEnds.keys()) if (!flowStarts.has(id)) problems.push(`flow ${id} has no start`);
  return problems;
}

