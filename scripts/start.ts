/**
 * `npm start [-- [--no-build] <folder>]`: build the extension, then open a real VS Code with it
 * loaded as the extension under development, on <folder> (default test/fixtures/workspace).
 * --no-build skips the build (dist/ and out/ as they are).
 *
 * - With VS Code desktop (`code` on PATH): `code --extensionDevelopmentPath=<repo> <folder>`.
 * - Otherwise (this machine: no desktop, no internet): code-server 4.100.3 on 127.0.0.1, installed
 *   offline if needed; prints the URL to open and runs until Ctrl+C, then stops code-server.
 *   Port: $PORT (must be free), else 8080 if free, else any free port. The profile persists in
 *   .vscode-test/start-profile/. PCB_START_BACKEND=code-server forces this path even if `code` exists.
 *
 * After editing sources: `npm run build` (or `npm run watch` in another terminal), then
 * "Developer: Reload Window" in the workbench.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { exitCleanlyOnSignal, finish, isShuttingDown, reportFatal } from '../test/harness/cleanup';
import { startCodeServer } from '../test/harness/codeServer';
import { HarnessError, step } from '../test/harness/log';
import { freePort, isPortFree } from '../test/harness/net';
import { FIXTURE_WORKSPACE, REPO_ROOT, VSCODE_TEST_DIR } from '../test/harness/paths';
import { workbenchUrl } from '../test/harness/workbenchUrl';

const DEFAULT_PORT = 8080;

function run(command: string, args: string[]): number {
  step(`$ ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { cwd: REPO_ROOT, stdio: 'inherit' });
  if (result.error) throw new HarnessError(`Could not run ${command}: ${result.error.message}`);
  return result.status ?? 1;
}

function build(): void {
  if (run('npm', ['run', 'build']) !== 0) throw new HarnessError('`npm run build` failed: fix the errors above, then `npm start` again');
  // Compiles the tests too (out/), for the "Extension Tests" launch configuration. The extension
  // itself runs from esbuild's dist/, so type errors are reported but do not stop the launch.
  const tsc = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  if (run(process.execPath, [tsc, '-p', '.']) !== 0) step('warning: `tsc -p .` reported type errors (above); starting anyway');
}

/** The absolute path of `name` if it is an executable on PATH. */
function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

async function choosePort(): Promise<number> {
  if (process.env.PORT) {
    const port = Number(process.env.PORT);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new HarnessError(`PORT=${process.env.PORT} is not a port number`);
    if (!(await isPortFree(port))) throw new HarnessError(`PORT=${port} is already in use on 127.0.0.1: choose another or unset PORT`);
    return port;
  }
  if (await isPortFree(DEFAULT_PORT)) return DEFAULT_PORT;
  const port = await freePort();
  step(`port ${DEFAULT_PORT} is in use: using ${port}`);
  return port;
}

async function startDesktop(code: string, folder: string): Promise<number> {
  step(`opening VS Code desktop (${code}) on ${folder}`);
  // `code` hands over to the (possibly already running) desktop app and returns.
  const child = spawn(code, [`--extensionDevelopmentPath=${REPO_ROOT}`, folder], { stdio: 'inherit' });
  return new Promise((resolve) => {
    child.on('error', (err) => {
      console.error(`[start] could not run ${code}: ${err.message}`);
      resolve(1);
    });
    child.on('exit', (status) => resolve(status ?? 1));
  });
}

async function startWeb(folder: string): Promise<number> {
  exitCleanlyOnSignal();
  const server = await startCodeServer({
    port: await choosePort(),
    label: 'start',
    profileDir: path.join(VSCODE_TEST_DIR, 'start-profile'),
  });
  const url = workbenchUrl({ baseUrl: server.baseUrl, folder, extensionDevelopmentPath: REPO_ROOT });
  console.log(
    [
      '',
      'VS Code (code-server 4.100.3) is running with Parallel Cookbook loaded as the extension under development.',
      'Open this URL in a browser on this machine, or forward the SAME port number first (e.g. `ssh -L ' +
        `${server.port}:127.0.0.1:${server.port}\`): the URL names the extension by its host:port.`,
      '',
      `  ${url}`,
      '',
      `Log: ${server.logFile}`,
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  // Runs until Ctrl+C (cleanup.ts stops the server and exits 0) or until the server dies.
  const code = await server.exited;
  if (isShuttingDown()) return 0; // we stopped it after Ctrl+C: cleanup.ts finishes the exit
  throw new HarnessError(`code-server exited on its own (code ${code}); see ${server.logFile}`);
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const skipBuild = args.includes('--no-build');
  const positional = args.filter((a) => !a.startsWith('--'));
  const folder = path.resolve(positional[0] ?? FIXTURE_WORKSPACE);
  if (!fs.existsSync(folder)) throw new HarnessError(`Folder to open does not exist: ${folder}`);
  if (!skipBuild) build();
  else if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'extension.js'))) step('warning: --no-build and no dist/extension.js: the extension cannot activate');
  const code = process.env.PCB_START_BACKEND === 'code-server' ? null : onPath('code');
  return code ? startDesktop(code, folder) : startWeb(folder);
}

void main().catch(reportFatal).then(finish);
