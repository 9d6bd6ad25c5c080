/**
 * Ends every process a run started. A run's processes share a process group (the root is spawned
 * detached) and carry PCB_RUN_ID in their environment, which catches the ones that left the
 * group (setsid, daemons, exec'd images, forkserver): both are signalled, then SIGKILL after a
 * grace period, until none is left.
 */
import * as fs from 'fs';

export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** Pids of live processes whose environment holds PCB_RUN_ID=<runId> (Linux /proc). */
export function pidsOfRun(runId: string): number[] {
  const needle = Buffer.from(`PCB_RUN_ID=${runId}\0`);
  const pids: number[] = [];
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return pids; // not Linux: the process group is all we have
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    try {
      const env = fs.readFileSync(`/proc/${name}/environ`);
      if (env.indexOf(needle) >= 0 && !isZombie(pid)) pids.push(pid);
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

function signalAll(pgid: number, runId: string, extra: Iterable<number>, signal: NodeJS.Signals): number {
  signalGroup(pgid, signal);
  const pids = new Set<number>([...pidsOfRun(runId), ...extra]);
  let alive = 0;
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
      alive++;
    } catch {
      // already gone
    }
  }
  return alive;
}

/**
 * SIGTERM to the whole run, then SIGKILL to whatever is left after `graceMs`, repeated until
 * nothing of the run remains or `giveUpMs` passes. Resolves with the pids still alive (normally none).
 */
export async function endRunTree(
  pgid: number,
  runId: string,
  knownPids: Iterable<number>,
  graceMs = 400,
  giveUpMs = 5000,
): Promise<number[]> {
  const known = [...knownPids].filter((p) => p > 0);
  signalAll(pgid, runId, known, 'SIGTERM');
  const start = Date.now();
  await delay(Math.min(50, graceMs));
  while (Date.now() - start < graceMs && stillAlive(pgid, runId, known).length > 0) await delay(25);
  while (Date.now() - start < giveUpMs) {
    const left = stillAlive(pgid, runId, known);
    if (left.length === 0) return [];
    signalAll(pgid, runId, left, 'SIGKILL');
    await delay(50);
  }
  return stillAlive(pgid, runId, known);
}

function stillAlive(pgid: number, runId: string, known: number[]): number[] {
  const pids = new Set(pidsOfRun(runId));
  for (const pid of known) if (isAlive(pid)) pids.add(pid);
  if (isAlive(-pgid)) pids.add(pgid);
  return [...pids];
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return pid < 0 || !isZombie(pid);
  } catch {
    return false;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
