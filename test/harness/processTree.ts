/**
 * Stopping a process *tree* reliably on Linux. code-server is a wrapper process that forks the
 * real server, which forks the extension host, which may start Python runs (possibly in their own
 * session, so a process-group kill alone would miss them). We therefore signal both the process
 * group and every descendant found in /proc, wait until all are gone, and SIGKILL after a grace.
 */
import * as fs from 'fs';

interface ProcStat {
  pid: number;
  ppid: number;
  pgrp: number;
  state: string;
}

function readStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // Field 2 (comm) is parenthesised and may contain spaces or ')': split after the LAST ')'.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { pid, state: rest[0], ppid: Number(rest[1]), pgrp: Number(rest[2]) };
}

function allStats(): ProcStat[] {
  const stats: ProcStat[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat) stats.push(stat);
  }
  return stats;
}

/** The root, its descendants and the members of its process group (pgid = root pid). */
export function treePids(rootPid: number): number[] {
  const stats = allStats();
  const children = new Map<number, number[]>();
  for (const s of stats) {
    const list = children.get(s.ppid) ?? [];
    list.push(s.pid);
    children.set(s.ppid, list);
  }
  const found = new Set<number>([rootPid]);
  const queue = [rootPid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      if (!found.has(child)) {
        found.add(child);
        queue.push(child);
      }
    }
  }
  for (const s of stats) if (s.pgrp === rootPid) found.add(s.pid);
  return [...found];
}

/** Alive = present in /proc and not a zombie (a container's pid 1 may never reap orphans). */
export function isAlive(pid: number): boolean {
  const stat = readStat(pid);
  return stat !== null && stat.state !== 'Z';
}

function signalAll(rootPid: number, pids: number[], signal: NodeJS.Signals): void {
  const attempts = [() => process.kill(-rootPid, signal), ...pids.map((pid) => () => process.kill(pid, signal))];
  for (const attempt of attempts) {
    try {
      attempt();
    } catch {
      // ESRCH: already gone, which is what we want
    }
  }
}

async function waitUntilGone(pids: number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!pids.some(isAlive)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * SIGTERM the tree, wait up to `graceMs`, then SIGKILL whatever is left (including processes
 * spawned during the shutdown). Resolves once everything is gone; returns false if even SIGKILL
 * did not get rid of something within 5 s (reported by the caller, not thrown).
 */
export async function killTree(rootPid: number, graceMs = 5_000): Promise<boolean> {
  const initial = treePids(rootPid);
  signalAll(rootPid, initial, 'SIGTERM');
  if (await waitUntilGone(initial, graceMs)) return true;
  const remaining = [...new Set([...initial, ...treePids(rootPid)])].filter(isAlive);
  signalAll(rootPid, remaining, 'SIGKILL');
  return waitUntilGone(remaining, 5_000);
}

/** Synchronous SIGKILL of the tree, for process.on('exit') where nothing async can run. */
export function killTreeSync(rootPid: number): void {
  signalAll(rootPid, treePids(rootPid).filter(isAlive), 'SIGKILL');
}
