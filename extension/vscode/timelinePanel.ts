/**
 * The webview panel that shows one run's timeline. It holds no model of its own: the run keeps
 * every message it sent, and a panel that is (re)opened gets them replayed when its page says
 * `ready`, so hiding, closing and reopening lose nothing.
 */
import * as crypto from 'crypto';
import * as vscode from 'vscode';
import { ExtensionToWebview, parseWebviewMessage, WebviewToExtension } from '../protocol';

export interface TimelineSource {
  readonly title: string;
  /** Every message so far, in order (the first is a reset). */
  history(): readonly ExtensionToWebview[];
  /** The page is listening (sent on every load: first open, reopen, reload). */
  panelIsReady(): void;
  handle(message: WebviewToExtension): void;
}

export const TIMELINE_VIEW_TYPE = 'parallelCookbook.timeline';

export class TimelinePanel {
  private ready = false;
  private disposed = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly source: TimelineSource,
    onDispose: () => void,
  ) {
    const distUri = vscode.Uri.joinPath(extensionUri, 'dist');
    panel.webview.options = { enableScripts: true, localResourceRoots: [distUri] };
    panel.webview.html = this.html(panel.webview);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        const message = parseWebviewMessage(raw);
        if (!message) return; // not ours, or malformed: ignore
        if (message.type === 'ready') {
          this.ready = true;
          for (const m of this.source.history()) void panel.webview.postMessage(m);
          this.source.panelIsReady();
          return;
        }
        this.source.handle(message);
      }),
      panel.onDidDispose(() => {
        this.disposed = true;
        this.disposables.forEach((d) => d.dispose());
        onDispose();
      }),
    );
  }

  static create(extensionUri: vscode.Uri, source: TimelineSource, onDispose: () => void): TimelinePanel {
    const panel = vscode.window.createWebviewPanel(
      TIMELINE_VIEW_TYPE,
      `Timeline: ${source.title}`,
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      { enableScripts: true, retainContextWhenHidden: false, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')] },
    );
    return new TimelinePanel(panel, extensionUri, source, onDispose);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Sends a message if the page is listening; otherwise it will get it from the history. */
  post(message: ExtensionToWebview): void {
    if (this.ready && !this.disposed) void this.panel.webview.postMessage(message);
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  dispose(): void {
    this.panel.dispose();
  }

  private html(webview: vscode.Webview): string {
    const nonce = crypto.randomBytes(16).toString('base64');
    const asset = (...name: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', ...name)).toString();
    const csp = [
      "default-src 'none'",
      `img-src ${webview.cspSource} data:`,
      `style-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('codicons', 'codicon.css')}">
<link rel="stylesheet" href="${asset('webview.css')}">
<title>${escapeHtml(this.source.title)}</title>
</head>
<body>
<div id="app"></div>
<script nonce="${nonce}" src="${asset('webview.js')}"></script>
</body>
</html>`;
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
