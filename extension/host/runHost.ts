/**
 * The owner's handle on one run (used by the extension host and the CLI): starts the worker host
 * in a worker thread and exposes its messages, stdin and stop. Plain Node.
 * The start can wait for a promise (the extension waits for the timeline page to be ready, so
 * the user sees the lanes fill from the first record); what is sent meanwhile is queued.
 */
import { Worker } from 'worker_threads';
import { HostToOwner, OwnerToHost, RunRequest, RunSummary } from '../protocol';

export type RunOutcome = { ok: true; summary: RunSummary } | { ok: false; message: string };

export class RunHost {
  private worker: Worker | null = null;
  private readonly queued: OwnerToHost[] = [];
  private readonly listeners: ((m: HostToOwner) => void)[] = [];
  private settled = false;
  private settle!: (o: RunOutcome) => void;
  /** Resolves once when the run finishes or fails; never rejects. */
  readonly outcome: Promise<RunOutcome>;

  constructor(
    private readonly request: RunRequest,
    private readonly workerScript: string,
    startAfter?: Promise<unknown>,
  ) {
    this.outcome = new Promise<RunOutcome>((resolve) => {
      this.settle = (o) => {
        if (this.settled) return;
        this.settled = true;
        resolve(o);
        // The worker's job is done; end it so nothing lingers.
        const worker = this.worker;
        if (worker) setImmediate(() => void worker.terminate());
      };
    });
    if (startAfter) startAfter.then(() => this.launch(), () => this.launch());
    else this.launch();
  }

  private launch(): void {
    if (this.settled || this.worker) return;
    const worker = new Worker(this.workerScript, { workerData: this.request });
    this.worker = worker;
    worker.on('message', (m: HostToOwner) => {
      for (const l of this.listeners) l(m);
      if (m.type === 'finished') this.settle({ ok: true, summary: m.summary });
      else if (m.type === 'failed') this.settle({ ok: false, message: m.message });
    });
    worker.on('error', (err) => this.settle({ ok: false, message: `The worker host crashed: ${err.message}` }));
    worker.on('exit', (code) => this.settle({ ok: false, message: `The worker host exited unexpectedly (code ${code}).` }));
    for (const m of this.queued.splice(0)) worker.postMessage(m);
  }

  get running(): boolean {
    return !this.settled;
  }

  onMessage(listener: (m: HostToOwner) => void): void {
    this.listeners.push(listener);
  }

  private send(m: OwnerToHost): void {
    if (this.settled) return;
    if (this.worker) this.worker.postMessage(m);
    else this.queued.push(m);
  }

  writeStdin(data: string): void {
    this.send({ type: 'stdin', data });
  }

  endStdin(): void {
    this.send({ type: 'stdinEnd' });
  }

  /** Asks the worker to end every process of the run; resolves when the run is over. */
  async stop(reason = 'stopped by the user'): Promise<RunOutcome> {
    this.send({ type: 'stop', reason });
    this.launch(); // a run stopped before it started still starts, to end cleanly as "stopped"
    return this.outcome;
  }
}
