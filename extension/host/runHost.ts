/**
 * The owner's handle on one run (used by the extension host and the CLI): starts the worker host
 * in a worker thread and exposes its messages, stdin and stop. Plain Node.
 */
import { Worker } from 'worker_threads';
import { HostToOwner, OwnerToHost, RunRequest, RunSummary } from '../protocol';

export type RunOutcome = { ok: true; summary: RunSummary } | { ok: false; message: string };

export class RunHost {
  private readonly worker: Worker;
  private readonly listeners: ((m: HostToOwner) => void)[] = [];
  private settled = false;
  /** Resolves once when the run finishes or fails; never rejects. */
  readonly outcome: Promise<RunOutcome>;

  constructor(request: RunRequest, workerScript: string) {
    this.worker = new Worker(workerScript, { workerData: request });
    this.outcome = new Promise<RunOutcome>((resolve) => {
      const settle = (o: RunOutcome) => {
        if (this.settled) return;
        this.settled = true;
        resolve(o);
        // The worker's job is done; end it so nothing lingers.
        setImmediate(() => void this.worker.terminate());
      };
      this.worker.on('message', (m: HostToOwner) => {
        for (const l of this.listeners) l(m);
        if (m.type === 'finished') settle({ ok: true, summary: m.summary });
        else if (m.type === 'failed') settle({ ok: false, message: m.message });
      });
      this.worker.on('error', (err) => settle({ ok: false, message: `The worker host crashed: ${err.message}` }));
      this.worker.on('exit', (code) => settle({ ok: false, message: `The worker host exited unexpectedly (code ${code}).` }));
    });
  }

  get running(): boolean {
    return !this.settled;
  }

  onMessage(listener: (m: HostToOwner) => void): void {
    this.listeners.push(listener);
  }

  private send(m: OwnerToHost): void {
    if (!this.settled) this.worker.postMessage(m);
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
    return this.outcome;
  }
}
