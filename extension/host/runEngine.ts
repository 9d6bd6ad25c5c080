/**
 * One run, end to end, inside the worker host: opens the trace channel, spawns Python with the
 * tracer injected, feeds the lifecycle model, posts batched deltas (at most 60 a second), relays
 * the program's output and stdin, detects deadlocks and stalls, and stops the whole tree.
 * Plain Node: workerHost.ts adapts it to a worker thread; tests may drive it directly.
 */
import { ChildProcess, spawn } from 'child_process';
import { randomUUID } from 'crypto';
import * as path from 'path';
import { HostToOwner, OwnerToHost, RunRequest, RunSummary } from '../protocol';
import { LifecycleModel } from './lifecycleModel';
import { ResultLineScanner } from './resultLines';
import { endRunTree } from './processTree';
import { TraceServer } from './traceServer';
import { TraceEnv } from './traceSchema';

const DELTA_INTERVAL_MS = 1000 / 60;
const DELTA_INTERVAL_NS = DELTA_INTERVAL_MS * 1e6;
const DEADLOCK_CHECK_MS = 100;
const TICK_NS = 250e6;
/** After the root exits, how long its children may take to finish and flush. */
const CHILDREN_GRACE_MS = 1500;

export class RunEngine {
  private readonly model = new LifecycleModel();
  private readonly runId = randomUUID();
  private readonly t0 = process.hrtime.bigint();
  private server: TraceServer | null = null;
  private child: ChildProcess | null = null;
  private timers: NodeJS.Timeout[] = [];
  private outputBytes = 0;
  private readonly results = new ResultLineScanner();
  private outputTruncated = false;
  private stopReason: string | null = null;
  private stopping: Promise<void> | null = null;
  private finished = false;
  private rootExit: { code: number | null; signal: string | null } | null = null;
  private stdioClosed: Promise<void> = Promise.resolve();

  constructor(
    private readonly request: RunRequest,
    private readonly post: (message: HostToOwner) => void,
  ) {}

  nowNs(): number {
    return Number(process.hrtime.bigint() - this.t0);
  }

  async start(): Promise<void> {
    const req = this.request;
    try {
      this.server = await TraceServer.open(this.model, () => this.nowNs(), () => this.onTraceData());
    } catch (err) {
      this.post({ type: 'failed', message: `Could not open the trace channel: ${(err as Error).message}` });
      return;
    }
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...req.env,
      PYTHONPATH: [req.tracerDir, process.env.PYTHONPATH, req.env?.PYTHONPATH].filter(Boolean).join(path.delimiter),
      PYTHONUNBUFFERED: '1',
      [TraceEnv.socket]: this.server.socketPath,
      [TraceEnv.t0]: (this.t0 as bigint).toString(),
      [TraceEnv.mode]: req.mode,
      [TraceEnv.runId]: this.runId,
    };
    let child: ChildProcess;
    try {
      // detached: the run gets its own process group, so stopping it reaches every descendant.
      child = spawn(req.python, req.args, { cwd: req.cwd, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (err) {
      return this.fail(`Could not start ${req.python}: ${(err as Error).message}`);
    }
    this.child = child;
    child.on('error', (err: NodeJS.ErrnoException) => {
      const message =
        err.code === 'ENOENT'
          ? `Python interpreter not found: "${req.python}". Set parallelCookbook.pythonPath or put python3 on PATH.`
          : err.code === 'EACCES'
            ? `The Python interpreter "${req.python}" is not executable.`
            : `Could not start ${req.python}: ${err.message}`;
      this.fail(message);
    });
    child.stdout!.on('data', (d: Buffer) => this.output('stdout', d));
    child.stderr!.on('data', (d: Buffer) => this.output('stderr', d));
    child.stdin!.on('error', () => undefined); // the program may exit or close stdin first
    // 'exit' can come before the last output is read; 'close' comes once stdout/stderr are
    // drained (or never, if a leftover process keeps them open: onRootExit bounds the wait).
    this.stdioClosed = new Promise((resolve) => child.on('close', () => resolve()));
    child.on('exit', (code, signal) => {
      this.rootExit = { code, signal: signal ?? null };
      void this.onRootExit();
    });
    if (child.pid === undefined) return; // the 'error' event follows
    this.post({ type: 'started', pid: child.pid, t0Ns: 0, runId: this.runId });
    if (this.stopReason !== null) void this.stop(this.stopReason);
    this.timers.push(setInterval(() => this.flushDelta(), DELTA_INTERVAL_MS));
    this.timers.push(setInterval(() => this.analyse(), DEADLOCK_CHECK_MS));
    if (req.timeoutSec > 0) {
      const timer = setTimeout(() => void this.stop(`timeout after ${req.timeoutSec} s`), req.timeoutSec * 1000);
      this.timers.push(timer);
    }
  }

  handle(message: OwnerToHost): void {
    switch (message.type) {
      case 'stdin':
        if (this.child?.stdin?.writable) this.child.stdin.write(message.data);
        break;
      case 'stdinEnd':
        this.child?.stdin?.end();
        break;
      case 'stop':
        void this.stop(message.reason);
        break;
    }
  }

  /** Ends every process of the run; the run then finishes as usual with `stopped: true`. */
  stop(reason: string): Promise<void> {
    if (this.stopping) return this.stopping;
    if (this.finished) return Promise.resolve();
    this.stopReason ??= reason;
    // Asked before the program started: start() honours it as soon as there is a pid.
    if (!this.child?.pid) return Promise.resolve();
    this.post({ type: 'notice', message: `Stopping: ${reason}` });
    this.stopping = this.endTree();
    return this.stopping;
  }

  private async endTree(): Promise<void> {
    if (!this.child?.pid) return;
    const left = await endRunTree(this.child.pid, this.runId, this.model.processList().map((p) => p.pid));
    if (left.length > 0) this.post({ type: 'notice', message: `Could not end processes ${left.join(', ')}` });
  }

  private output(stream: 'stdout' | 'stderr', data: Buffer): void {
    if (stream === 'stdout') for (const rows of this.results.push(data.toString('utf8'))) this.post({ type: 'speedups', rows });
    const room = this.request.maxOutputBytes - this.outputBytes;
    if (room <= 0) {
      this.truncateOutput();
      return;
    }
    const kept = data.length > room ? data.subarray(0, room) : data;
    this.outputBytes += kept.length;
    this.post({ type: 'output', stream, data: kept.toString('utf8') });
    if (kept.length < data.length) this.truncateOutput();
  }

  /** Past the limit, output is dropped (the host's memory stays bounded) and the user told once. */
  private truncateOutput(): void {
    if (this.outputTruncated) return;
    this.outputTruncated = true;
    const kib = Math.round(this.request.maxOutputBytes / 1024);
    this.post({ type: 'notice', message: `Output truncated after ${kib} KiB; the program keeps running and its trace is kept.` });
  }

  private postedStalled = false;
  private readonly lagsMs: number[] = [];
  private readonly hostLagsMs: number[] = [];

  private lastPostNs = 0;

  /**
   * Records just arrived: post them now if a delta is due, instead of at the next timer tick
   * (the timer alone adds up to a whole interval of lag, more while the event loop is busy).
   */
  private onTraceData(): void {
    if (this.finished) return;
    const wait = DELTA_INTERVAL_NS - (this.nowNs() - this.lastPostNs);
    if (wait <= 0) this.flushDelta();
    else if (this.dueTimer === null) {
      // post the moment the delta is due, not at the 60 Hz timer's next tick (up to an interval later)
      this.dueTimer = setTimeout(() => {
        this.dueTimer = null;
        if (!this.finished) this.flushDelta();
      }, Math.ceil(wait / 1e6));
    }
  }

  private dueTimer: NodeJS.Timeout | null = null;

  private flushDelta(): void {
    const now = this.nowNs();
    if (now - this.lastPostNs < DELTA_INTERVAL_NS) return; // at most 60 deltas a second
    // With nothing new (a deadlock, a long sleep), a small delta still goes out a few times a
    // second so the view's clock and the open spans keep growing with real time.
    const quiet = !this.model.hasPendingChanges() && this.model.stalled === this.postedStalled;
    if (quiet && now - this.lastPostNs < TICK_NS) return;
    this.lastPostNs = now;
    this.postedStalled = this.model.stalled;
    const oldest = this.model.oldestPendingNs;
    const arrived = this.model.oldestArrivalNs;
    this.post({ type: 'delta', delta: this.model.takeDelta(now) });
    const posted = this.nowNs();
    if (oldest !== null && this.lagsMs.length < 1_000_000) this.lagsMs.push((posted - oldest) / 1e6);
    if (arrived !== null && this.hostLagsMs.length < 1_000_000) this.hostLagsMs.push((posted - arrived) / 1e6);
  }

  private lagFigures(): RunSummary['liveLagMs'] {
    const quantile = (xs: number[], q: number) => {
      const sorted = [...xs].sort((a, b) => a - b);
      return sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] * 10) / 10 : 0;
    };
    return { p50: quantile(this.lagsMs, 0.5), p99: quantile(this.lagsMs, 0.99), deltas: this.lagsMs.length, hostP99: quantile(this.hostLagsMs, 0.99) };
  }

  private analyse(): void {
    const now = this.nowNs();
    const found = this.model.detectDeadlocks(now);
    this.model.checkStall(now);
    if (found.length > 0 && this.request.stopOnDeadlock) void this.stop('deadlock detected');
  }

  private async onRootExit(): Promise<void> {
    const root = this.child?.pid;
    // Children (background processes, pool workers) get a moment to finish and flush.
    const allClosed = await this.server!.waitForAllClosed(this.stopping ? 300 : CHILDREN_GRACE_MS);
    if (this.stopping) await this.stopping;
    else if (!allClosed) {
      this.post({ type: 'notice', message: 'The program ended; ending the processes it left running.' });
      await this.endTree();
    }
    if (!allClosed) await this.server!.waitForAllClosed(500);
    await Promise.race([this.stdioClosed, new Promise((r) => setTimeout(r, 1000))]);
    const rootEntry = root !== undefined ? this.model.liveProcessByPid(root) ?? this.model.anyProcessByPid(root) : undefined;
    const exit = this.rootExit!;
    if (rootEntry) this.model.endProcess(rootEntry, this.nowNs(), exit.code, exit.signal);
    this.finish();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.timers.forEach((t) => clearInterval(t));
    if (this.dueTimer !== null) clearTimeout(this.dueTimer);
    this.model.finish(this.nowNs());
    const reasons = this.model.malformedReasons;
    if (reasons.length > 0) {
      this.post({ type: 'notice', message: `${this.model.counts.malformed} malformed trace record(s) ignored (first: ${reasons[0]}).` });
    }
    this.model.detectDeadlocks(this.nowNs());
    this.post({ type: 'delta', delta: this.model.takeDelta(this.nowNs()) });
    const exit = this.rootExit ?? { code: null, signal: null };
    const root = this.model.processList().find((p) => p.pid === this.child?.pid);
    const summary: RunSummary = this.model.summarize({
      exitCode: exit.code,
      signal: exit.signal,
      durationMs: Math.round(this.nowNs() / 1e5) / 10,
      python: root?.python ?? '',
      stopped: this.stopReason !== null,
      outputTruncated: this.outputTruncated,
      liveLagMs: this.lagFigures(),
    });
    this.server?.close();
    this.post({ type: 'finished', summary });
  }

  private fail(message: string): void {
    if (this.finished) return;
    this.finished = true;
    this.timers.forEach((t) => clearInterval(t));
    if (this.dueTimer !== null) clearTimeout(this.dueTimer);
    this.server?.close();
    this.post({ type: 'failed', message });
  }
}

