// Bundles the four entry points into dist/, and copies the codicon font and its CSS into
// dist/codicons/ for the timeline panel. `--watch` rebuilds on change.
// Type checking is separate (`npm run typecheck`): esbuild only strips types.
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');

/** The codicon files the timeline panel loads (its CSP allows fonts and styles from dist/ only). */
const CODICON_FILES = ['codicon.css', 'codicon.ttf'];

function copyCodicons() {
  const from = path.join(path.dirname(require.resolve('@vscode/codicons/package.json')), 'dist');
  const to = path.join(__dirname, 'dist', 'codicons');
  fs.mkdirSync(to, { recursive: true });
  for (const f of CODICON_FILES) fs.copyFileSync(path.join(from, f), path.join(to, f));
}

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  sourcemap: true,
  minify: production,
  logLevel: 'info',
  target: 'es2022',
};

const builds = [
  // The extension host side: vscode is provided by VS Code at run time.
  { ...common, entryPoints: ['extension/vscode/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', external: ['vscode'] },
  // The worker host: started with `new Worker(dist/workerHost.js)` for every run.
  { ...common, entryPoints: ['extension/host/workerHost.ts'], outfile: 'dist/workerHost.js', platform: 'node', format: 'cjs' },
  // The command line over the same worker host.
  { ...common, entryPoints: ['extension/host/cli.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', banner: { js: '#!/usr/bin/env node' } },
  // The timeline panel (browser). Its CSS import becomes dist/webview.css.
  { ...common, entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife' },
];

async function main() {
  copyCodicons();
  if (watch) {
    const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  await Promise.all(builds.map((b) => esbuild.build(b)));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
