/**
 * The run's private trace channel: an AF_UNIX socket inside a fresh 0700 directory, so only the
 * user can connect. Every traced process opens its own connection; each gets its own decoder
 * feeding the shared lifecycle model.
 */
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { connectionClosed, LifecycleModel } from './lifecycleModel';
import { TraceStreamDecoder } from './traceDecoder';

export class TraceServer {
  private readonly sockets = new Set<net.Socket>();
  private closedWaiters: (() => void)[] = [];
  /** Connections ever accepted. */
  accepted = 0;

  private constructor(
    private readonly server: net.Server,
    private readonly dir: string,
    readonly socketPath: string,
  ) {}

  /** `onData` runs after each chunk is decoded into the model (the run posts due deltas there). */
  static async open(model: LifecycleModel, nowNs: () => number, onData: () => void = () => undefined): Promise<TraceServer> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pcb-'));
    fs.chmodSync(dir, 0o700);
    const socketPath = path.join(dir, 'trace.sock');
    let self: TraceServer | null = null;
    const server = net.createServer((socket) => self!.accept(socket, model, nowNs, onData));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => resolve());
    });
    fs.chmodSync(socketPath, 0o600);
    self = new TraceServer(server, dir, socketPath);
    return self;
  }

  get openConnections(): number {
    return this.sockets.size;
  }

  private accept(socket: net.Socket, model: LifecycleModel, nowNs: () => number, onData: () => void): void {
    this.accepted++;
    this.sockets.add(socket);
    const sink = model.connect();
    const decoder = new TraceStreamDecoder(sink);
    socket.on('data', (chunk) => {
      model.noteArrival(nowNs());
      decoder.push(chunk);
      onData();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      decoder.end();
      connectionClosed(model, sink, nowNs());
      this.sockets.delete(socket);
      if (this.sockets.size === 0) {
        const waiters = this.closedWaiters;
        this.closedWaiters = [];
        waiters.forEach((w) => w());
      }
    });
  }

  /** Resolves when no connection is open, or after `timeoutMs`. Returns true if all closed. */
  waitForAllClosed(timeoutMs: number): Promise<boolean> {
    if (this.sockets.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(this.sockets.size === 0), timeoutMs);
      this.closedWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  close(): void {
    for (const s of this.sockets) s.destroy();
    this.server.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
