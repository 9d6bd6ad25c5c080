/**
 * What the webview keeps through VS Code's setState/getState when the panel is hidden and shown
 * again (the script restarts; the extension re-sends the model after `ready`). Only view state
 * and the small header/status: the model itself can be megabytes and the extension has it.
 * Stored state is read back defensively: an older or foreign shape yields defaults.
 */
import type { RunHeader, RunStatus } from '../extension/protocol';
import type { FollowMode, View } from './viewport';

export type Tab = 'timeline' | 'summary';

export interface PersistedState {
  v: 1;
  runId: string | null;
  header: RunHeader | null;
  status: RunStatus | null;
  view: View | null;
  follow: FollowMode;
  scrollTop: number;
  collapsed: string[];
  tab: Tab;
  showFlows: boolean;
}

export function defaultState(): PersistedState {
  return {
    v: 1,
    runId: null,
    header: null,
    status: null,
    view: null,
    follow: 'fit',
    scrollTop: 0,
    collapsed: [],
    tab: 'timeline',
    showFlows: false,
  };
}

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
}

function parseHeader(x: unknown): RunHeader | null {
  if (!isObj(x)) return null;
  const { runId, title, lookFor, python, command, followLive } = x;
  if ([runId, title, lookFor, python, command].every((v) => typeof v === 'string')) {
    const h = { runId, title, lookFor, python, command } as RunHeader;
    if (typeof followLive === 'boolean') h.followLive = followLive;
    return h;
  }
  return null;
}

function parseStatus(x: unknown): RunStatus | null {
  if (!isObj(x)) return null;
  if (x.state === 'running') return { state: 'running' };
  if (x.state === 'failed' && typeof x.message === 'string') return { state: 'failed', message: x.message };
  if (x.state === 'finished') {
    const exitCode = typeof x.exitCode === 'number' ? x.exitCode : null;
    const signal = typeof x.signal === 'string' ? x.signal : null;
    return { state: 'finished', exitCode, signal, stopped: x.stopped === true };
  }
  return null;
}

export function parseState(x: unknown): PersistedState {
  const d = defaultState();
  if (!isObj(x) || x.v !== 1) return d;
  const view =
    isObj(x.view) && Number.isFinite(x.view.t0) && Number.isFinite(x.view.t1) && (x.view.t1 as number) > (x.view.t0 as number)
      ? { t0: x.view.t0 as number, t1: x.view.t1 as number }
      : null;
  return {
    v: 1,
    runId: typeof x.runId === 'string' ? x.runId : null,
    header: parseHeader(x.header),
    status: parseStatus(x.status),
    view,
    follow: x.follow === 'fit' || x.follow === 'tail' || x.follow === null ? x.follow : d.follow,
    scrollTop: typeof x.scrollTop === 'number' && x.scrollTop >= 0 ? x.scrollTop : 0,
    collapsed: Array.isArray(x.collapsed) ? x.collapsed.filter((k): k is string => typeof k === 'string').slice(0, 10000) : [],
    tab: x.tab === 'summary' ? 'summary' : 'timeline',
    showFlows: x.showFlows === true,
  };
}
