/**
 * A stand-in for the VS Code webview around the real bundle: a local HTTP server serving a page
 * with the same shape and CSP as the extension's panel (`default-src 'none'`, script by nonce,
 * styles only from the server), a stub `acquireVsCodeApi` recording posted messages and state,
 * and a headless Debian Chromium driven by playwright-core. Used by the browser test and the
 * render benchmark.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_PATH, chromiumMissing } from '../harness/paths';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const artifactsDir = path.join(repoRoot, 'test-artifacts', 'webview');

/**
 * Builds dist/webview.js and dist/webview.css exactly as .esbuild.config.js does, and copies the
 * codicon font and CSS into dist/codicons/ as it does too.
 */
export async function buildWebviewBundle(): Promise<void> {
  const codicons = path.join(path.dirname(require.resolve('@vscode/codicons/package.json')), 'dist');
  fs.mkdirSync(path.join(repoRoot, 'dist', 'codicons'), { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf']) fs.copyFileSync(path.join(codicons, f), path.join(repoRoot, 'dist', 'codicons', f));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  await esbuild.build({
    entryPoints: [path.join(repoRoot, 'webview', 'main.ts')],
    outfile: path.join(repoRoot, 'dist', 'webview.js'),
    bundle: true,
    sourcemap: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    logLevel: 'warning',
  });
}

/** VS Code's light theme values for the variables timeline.css uses (as the workbench injects them). */
export const LIGHT_THEME: Record<string, string> = {
  '--vscode-font-family': 'system-ui, sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-editor-background': '#ffffff',
  '--vscode-editor-foreground': '#3b3b3b',
  '--vscode-foreground': '#3b3b3b',
  '--vscode-descriptionForeground': '#717171',
  '--vscode-panel-border': '#e5e5e5',
  '--vscode-editorIndentGuide-background1': '#d3d3d3',
  '--vscode-textLink-foreground': '#005fb8',
  '--vscode-charts-green': '#388a34',
  '--vscode-charts-red': '#e51400',
  '--vscode-charts-yellow': '#bf8803',
  '--vscode-charts-blue': '#1a85ff',
  '--vscode-charts-purple': '#652d90',
  '--vscode-charts-orange': '#d18616',
  '--vscode-disabledForeground': '#8b8b8b',
  '--vscode-focusBorder': '#005fb8',
  '--vscode-errorForeground': '#f85149',
  '--vscode-button-background': '#005fb8',
  '--vscode-button-foreground': '#ffffff',
};

export const DARK_THEME: Record<string, string> = {
  ...LIGHT_THEME,
  '--vscode-editor-background': '#1f1f1f',
  '--vscode-editor-foreground': '#cccccc',
  '--vscode-foreground': '#cccccc',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-panel-border': '#2b2b2b',
  '--vscode-editorIndentGuide-background1': '#404040',
  '--vscode-textLink-foreground': '#4daafc',
  '--vscode-charts-green': '#89d185',
  '--vscode-charts-red': '#f14c4c',
  '--vscode-charts-yellow': '#cca700',
  '--vscode-charts-blue': '#3794ff',
  '--vscode-charts-purple': '#b180d7',
  '--vscode-button-secondaryBackground': '#313131',
  '--vscode-button-secondaryForeground': '#cccccc',
};

function themeCss(vars: Record<string, string>): string {
  return `:root {\n${Object.entries(vars)
    .map(([k, v]) => `  ${k}: ${v};`)
    .join('\n')}\n}\n`;
}

export interface HarnessServer {
  url: string;
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves `/` (the panel page; `?theme=dark` for the dark theme), `/dist/*` and `/theme-*.css`.
 * The page's stub API records posted messages in `window.__posted` and state in `window.__state`,
 * seeded from `window.__initialState` (set by an init script to simulate a re-shown panel), and
 * calls `window.__onPost(message)` if an init script defined it (to answer `ready` in-page).
 */
export async function startHarnessServer(): Promise<HarnessServer> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (url.pathname === '/') {
      const nonce = crypto.randomBytes(16).toString('base64');
      const dark = url.searchParams.get('theme') === 'dark';
      const csp = [
        "default-src 'none'",
        `img-src ${origin} data:`,
        `style-src ${origin}`,
        `font-src ${origin}`,
        `script-src 'nonce-${nonce}'`,
      ].join('; ');
      const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${origin}/theme-${dark ? 'dark' : 'light'}.css">
<link rel="stylesheet" href="${origin}/dist/codicons/codicon.css">
<link rel="stylesheet" href="${origin}/dist/webview.css">
<title>Timeline</title>
</head>
<body class="${dark ? 'vscode-dark' : 'vscode-light'}">
<div id="app"></div>
<script nonce="${nonce}">
  window.__posted = [];
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
  });
  window.__state = window.__initialState;
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => {
      window.__posted.push(JSON.parse(JSON.stringify(m)));
      if (typeof window.__onPost === 'function') window.__onPost(m);
    },
    getState: () => window.__state,
    setState: (s) => { window.__state = JSON.parse(JSON.stringify(s)); },
  });
</script>
<script nonce="${nonce}" src="${origin}/dist/webview.js"></script>
</body>
</html>`;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(html);
      return;
    }
    if (url.pathname === '/theme-light.css' || url.pathname === '/theme-dark.css') {
      res.writeHead(200, { 'content-type': 'text/css', 'cache-control': 'no-store' });
      res.end(themeCss(url.pathname.includes('dark') ? DARK_THEME : LIGHT_THEME));
      return;
    }
    const m = /^\/dist\/(webview\.(?:js|css)(?:\.map)?|codicons\/codicon\.(?:css|ttf))$/.exec(url.pathname);
    if (m) {
      const file = path.join(repoRoot, 'dist', m[1]);
      fs.readFile(file, (err, data) => {
        if (err) {
          res.writeHead(404);
          res.end();
          return;
        }
        const type = m[1].endsWith('.js')
          ? 'text/javascript'
          : m[1].endsWith('.css')
            ? 'text/css'
            : m[1].endsWith('.ttf')
              ? 'font/ttf'
              : 'application/json';
        res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
        res.end(data);
      });
      return;
    }
    // The browser asks for a favicon on its own; answer it so no 404 is logged.
    res.writeHead(url.pathname === '/favicon.ico' ? 204 : 404);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/`,
    origin,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Console errors and CSP reports seen so far. */
  problems: string[];
  close(): Promise<void>;
}

/** Headless Debian Chromium with a fresh profile, flags as the project's other browser tests. */
export async function launchBrowser(opts: { width?: number; height?: number; extraArgs?: string[] } = {}): Promise<Browser> {
  const missing = chromiumMissing();
  if (missing) throw new Error(missing);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'pcb-webview-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(opts.extraArgs ?? []),
    ],
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 800 },
    deviceScaleFactor: 1,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('console', (m) => {
    const text = m.text();
    if (m.type() === 'error' || /Content Security Policy/i.test(text)) problems.push(`console ${m.type()}: ${text}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  return {
    context,
    page,
    problems,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
