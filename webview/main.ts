/**
 * Entry point of the timeline webview bundle (dist/webview.js; the CSS import becomes
 * dist/webview.css). Builds the app in #app, listens for the extension's messages, then says
 * `ready` so the extension sends (or re-sends, after the panel was hidden) the run's model.
 */
import './timeline.css';
import { TimelineApp } from './app';
import { acquireHostApi } from './vscodeApi';

declare global {
  interface Window {
    /** Test and benchmark hooks (read-only use). */
    __pcbTimeline?: TimelineApp['debug'];
  }
}

function start(): void {
  const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
  root.id = 'app';
  const api = acquireHostApi();
  const app = new TimelineApp(root, api, window);
  window.addEventListener('message', (event: MessageEvent) => app.handleMessage(event.data));
  window.__pcbTimeline = app.debug;
  api.postMessage({ type: 'ready' });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
else start();
