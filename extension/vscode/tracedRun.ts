/**
 * One run as the extension host sees it: the worker host handle, the terminal, the timeline
 * panel (created on demand, reopenable) and the history of timeline messages.
 */
import * as vscode from 'vscode';
import { ExtensionToWebview, RunHeader, RunRequest, RunSummary, WebviewToExtension } from '../protocol';
import { toChromeTrace } from '../host/chromeTrace';
import { RunHost, RunOutcome } from '../host/runHost';
import { RunRecording } from '../host/runRecording';
import { RunTerminal } from './runTerminal';
import { TimelinePanel, TimelineSource } from './timelinePanel';

/** How long a run waits for its timeline page before starting anyway (a hidden panel may never load). */
const PANEL_WAIT_MS = 3000;

export class TracedRun implements TimelineSource {
  private readonly messages: ExtensionToWebview[] = [];
  private panel: TimelinePanel | null = null;
  readonly host: RunHost;
  readonly terminal: RunTerminal;
  readonly outcome: Promise<RunOutcome>;
  summary: RunSummary | null = null;

  private markPanelReady!: () => void;
  /** The program starts once the timeline page listens (or after PANEL_WAIT_MS without it). */
  private readonly panelReady = new Promise<void>((resolve) => (this.markPanelReady = resolve));

  constructor(
    readonly header: RunHeader,
    request: RunRequest,
    workerScript: string,
    private readonly extensionUri: vscode.Uri,
  ) {
    const waitForPanel = Promise.race([this.panelReady, new Promise((r) => setTimeout(r, PANEL_WAIT_MS))]);
    this.host = new RunHost(request, workerScript, waitForPanel);
    this.terminal = new RunTerminal(
      header.title,
      (text) => this.host.writeStdin(text),
      () => this.host.endStdin(),
      () => undefined, // closing the terminal leaves the run and its timeline alone
    );
    this.record({ type: 'reset', header });
    this.record({ type: 'status', status: { state: 'running' }, summary: null });
    this.host.onMessage((m) => {
      switch (m.type) {
        case 'output':
          this.terminal.write(m.data);
          break;
        case 'delta':
          this.record({ type: 'delta', delta: m.delta });
          break;
        case 'notice':
          this.terminal.note(m.message);
          this.record({ type: 'notice', message: m.message });
          break;
        case 'speedups':
          this.record({ type: 'speedups', rows: m.rows });
          break;
        case 'started':
          break;
        case 'finished': {
          const s = m.summary;
          this.summary = s;
          this.terminal.endInput();
          const how = s.exitCode !== null ? `exit code ${s.exitCode}` : s.signal ? `killed by ${s.signal}` : 'ended';
          this.terminal.note(`\n[${header.title}: ${s.stopped ? 'stopped, ' : ''}${how}]`);
          this.record({ type: 'status', status: { state: 'finished', exitCode: s.exitCode, signal: s.signal, stopped: s.stopped }, summary: s });
          break;
        }
        case 'failed':
          this.terminal.endInput();
          this.terminal.note(`\n[${header.title}: ${m.message}]`);
          this.record({ type: 'status', status: { state: 'failed', message: m.message }, summary: null });
          break;
      }
    });
    this.outcome = this.host.outcome;
  }

  get title(): string {
    return this.header.title;
  }

  get running(): boolean {
    return this.host.running;
  }

  history(): readonly ExtensionToWebview[] {
    return this.messages;
  }

  panelIsReady(): void {
    this.markPanelReady();
  }

  handle(message: WebviewToExtension): void {
    if (message.type === 'stop') void this.stop();
    else if (message.type === 'openSource') void openSource(message.file, message.line);
  }

  showPanel(): void {
    if (this.panel && !this.panel.isDisposed) {
      this.panel.reveal();
      return;
    }
    this.panel = TimelinePanel.create(this.extensionUri, this, () => (this.panel = null));
  }

  showTerminal(): void {
    this.terminal.terminal.show(true);
  }

  get hasOpenPanel(): boolean {
    return this.panel !== null && !this.panel.isDisposed;
  }

  /** The run so far as Chrome Trace Event JSON (built from the same history the panel replays). */
  chromeTraceJson(): string {
    const recording = new RunRecording();
    for (const m of this.messages) if (m.type === 'delta') recording.add(m.delta);
    return JSON.stringify(toChromeTrace(recording, this.header.title));
  }

  stop(): Promise<RunOutcome> {
    return this.host.stop('stopped by the user');
  }

  private record(message: ExtensionToWebview): void {
    this.messages.push(message);
    this.panel?.post(message);
  }

  dispose(): void {
    void this.host.stop('the extension is shutting down');
    this.panel?.dispose();
  }
}

async function openSource(file: string, line: number): Promise<void> {
  try {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const pos = new vscode.Position(Math.max(0, line - 1), 0);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, selection: new vscode.Range(pos, pos), preserveFocus: false });
  } catch (err) {
    void vscode.window.showWarningMessage(`Cannot open ${file}: ${(err as Error).message}`);
  }
}
