/**
 * Starts code-server 4.100.3 (VS Code 1.100.3 server + web workbench) on 127.0.0.1 with a fresh
 * profile, waits until it answers /healthz, and stops its whole process tree again.
 *
 * The extension host that code-server forks inherits code-server's environment, which is how
 * callers pass settings (e.g. PCB_INTEGRATION_GREP) to tests running inside it.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { onCleanup } from './cleanup';
import { ensureCodeServer } from './codeServerInstall';
import { HarnessError, step, tail } from './log';
import { freePort, httpStatus } from './net';
import { newRunDir, scratchEnv } from './paths';
import { killTree, killTreeSync } from './processTree';

export interface CodeServerOptions {
  /** Port on 127.0.0.1; a free one when omitted. */
  port?: number;
  /** Keep workspace trust on (for suites that check restricted mode). Default: disabled. */
  workspaceTrust?: boolean;
  /** Extra environment for code-server and therefore for its extension host. */
  env?: NodeJS.ProcessEnv;
  /** Names the run folder under .vscode-test/runs/. */
  label?: string;
  readyTimeoutMs?: number;
  /**
   * Keep user data and extensions in this folder across sessions (the `npm start` launcher, so
   * settings and open editors survive a restart). Default: fresh ones inside the run folder.
   */
  profileDir?: string;
}

export interface CodeServer {
  /** http://127.0.0.1:PORT, without a trailing slash. */
  baseUrl: string;
  /** host:port exactly as the browser will use it: the remote authority of vscode-remote URIs. */
  authority: string;
  port: number;
  pid: number;
  /** Holds user-data-dir, extensions-dir, config and code-server.log for this session. */
  runDir: string;
  extensionsDir: string;
  logFile: string;
  /** Resolves when the code-server process exits (for whatever reason). */
  exited: Promise<number | null>;
  /** Stop the whole tree; the run folder is deleted unless `keepRunDir` (useful after a failure). */
  stop(options?: { keepRunDir?: boolean }): Promise<void>;
}

/**
 * Variables that would make code-server act as a client of an *enclosing* VS Code/code-server
 * (when the harness itself runs in an integrated terminal) instead of starting its own server.
 */
function isolatedEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) {
    if (key.startsWith('VSCODE_') || key.startsWith('CODE_SERVER_') || key === 'ELECTRON_RUN_AS_NODE') continue;
    env[key] = value;
  }
  return env;
}

export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  const entry = await ensureCodeServer();
  const port = options.port ?? (await freePort());
  const authority = `127.0.0.1:${port}`;
  const baseUrl = `http://${authority}`;
  const runDir = newRunDir(options.label ?? 'code-server');
  const profileDir = options.profileDir ?? runDir;
  const userDataDir = path.join(profileDir, 'user-data');
  const extensionsDir = path.join(profileDir, 'extensions');
  const configFile = path.join(runDir, 'config.yaml');
  const logFile = path.join(runDir, 'code-server.log');
  fs.mkdirSync(extensionsDir, { recursive: true });
  writeDefaultSettings(userDataDir);
  // An explicit config file, so a ~/.config/code-server/config.yaml with a password is never read.
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');

  const args = [
    entry,
    '--config', configFile,
    '--auth', 'none',
    '--bind-addr', authority,
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
  ];
  const env: NodeJS.ProcessEnv = {
    ...isolatedEnv(scratchEnv(process.env)),
    // No marketplace on this machine: an empty gallery stops every look-up.
    EXTENSIONS_GALLERY: '{}',
    ...options.env,
  };
  const log = fs.openSync(logFile, 'a');
  // detached: its own process group, so Ctrl+C in the terminal reaches only the harness, which
  // then stops the server in order (and kills the group; see processTree.ts).
  const child: ChildProcess = spawn(process.execPath, args, { env, detached: true, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  if (child.pid === undefined) {
    throw new HarnessError(`Could not start code-server (${entry}); see ${logFile}`);
  }
  const pid = child.pid;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  // Memoised: the signal handler and the caller's `finally` may both stop the server, and the
  // second caller must wait for the first stop to finish, not return early.
  let stopping: Promise<void> | undefined;
  const stop = ({ keepRunDir = false } = {}): Promise<void> =>
    (stopping ??= (async () => {
      const gone = await killTree(pid);
      // Unregistered only now, so the synchronous 'exit' fallback covers a stop cut short.
      unregister();
      if (!gone) step(`warning: some processes of code-server (pid ${pid}) survived SIGKILL`);
      if (keepRunDir) step(`code-server profile and log kept in ${runDir}`);
      else fs.rmSync(runDir, { recursive: true, force: true });
    })());
  const unregister = onCleanup({
    name: `code-server ${authority}`,
    run: () => stop({ keepRunDir: true }),
    sync: () => killTreeSync(pid),
  });

  step(`starting code-server on ${baseUrl} (pid ${pid}, log ${logFile})`);
  try {
    await waitForHealthz(baseUrl, exited, options.readyTimeoutMs ?? 60_000, logFile);
  } catch (err) {
    await stop({ keepRunDir: true });
    throw err;
  }
  step('code-server is ready');
  return { baseUrl, authority, port, pid, runDir, extensionsDir, logFile, exited, stop };
}

/**
 * User settings of a new profile: nothing that pops up over what the tests look at (the prompt to
 * open the repository's git folder, the welcome page) and no update checks. An existing settings
 * file (the persistent `npm start` profile) is the user's and left alone.
 */
const DEFAULT_SETTINGS = {
  'git.openRepositoryInParentFolders': 'never',
  'workbench.startupEditor': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  // With workspace trust on (PCB_WORKSPACE_TRUST=1) the folder then simply opens in restricted
  // mode, instead of a modal the test workbench refuses to show (with a stack trace in the log).
  'security.workspace.trust.startupPrompt': 'never',
};

function writeDefaultSettings(userDataDir: string): void {
  const settingsFile = path.join(userDataDir, 'User', 'settings.json');
  if (fs.existsSync(settingsFile)) return;
  fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
  fs.writeFileSync(settingsFile, JSON.stringify(DEFAULT_SETTINGS, null, 2) + '\n');
}

async function waitForHealthz(baseUrl: string, exited: Promise<number | null>, timeoutMs: number, logFile: string): Promise<void> {
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) {
      throw new HarnessError(
        `code-server exited (code ${exitCode}) before answering ${baseUrl}/healthz. Last lines of ${logFile}:\n` +
          tail(readLog(logFile)),
      );
    }
    if ((await httpStatus(`${baseUrl}/healthz`)) === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new HarnessError(
    `code-server did not answer ${baseUrl}/healthz within ${timeoutMs / 1000} s. Last lines of ${logFile}:\n${tail(readLog(logFile))}`,
  );
}

function readLog(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '(no log)';
  }
}
