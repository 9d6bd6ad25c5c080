/**
 * `npm run test:integration`: runs the mocha suites of out/test/integration inside a REAL VS Code
 * Node extension host, with test/fixtures/workspace open.
 *
 * Backends (env PCB_VSCODE_BACKEND):
 *   code-server (default)  code-server 4.100.3 (= VS Code 1.100.3) + headless Chromium; the test
 *                          entry is passed in the workbench's `payload` URL parameter. Works offline.
 *   electron               @vscode/test-electron's runTests (downloads VS Code desktop: needs the
 *                          internet and a display, e.g. xvfb-run).
 * Other environment:
 *   PCB_INTEGRATION_GREP        mocha grep over full test titles
 *   PCB_INTEGRATION_TIMEOUT_MS  whole-run timeout (default 300000)
 *   PCB_WORKSPACE_TRUST=1       keep workspace trust on (suites that check restricted mode)
 * Exit code: mocha's (number of failures, capped at 255), 124 on timeout, 2 on a harness error.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as util from 'util';
import { finish, onCleanup, reportFatal } from './cleanup';
import { startCodeServer } from './codeServer';
import { launchChromium } from './browser';
import { HarnessError, elapsed, step } from './log';
import { FIXTURE_WORKSPACE, INTEGRATION_ENTRY, REPO_ROOT, VSCODE_VERSION, newRunDir } from './paths';
import { workbenchUrl } from './workbenchUrl';
import type { IntegrationResult } from '../integration/index';

type Backend = 'code-server' | 'electron';
const TIMEOUT_EXIT = 124;

function backendFromEnv(): Backend {
  const value = process.env.PCB_VSCODE_BACKEND ?? 'code-server';
  if (value !== 'code-server' && value !== 'electron') {
    throw new HarnessError(`PCB_VSCODE_BACKEND must be "code-server" or "electron", not "${value}"`);
  }
  return value;
}

function preflight(): void {
  if (!fs.existsSync(INTEGRATION_ENTRY)) {
    throw new HarnessError(`${INTEGRATION_ENTRY} does not exist: compile the tests first with \`npx tsc -p .\``);
  }
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'extension.js'))) {
    step('warning: dist/extension.js is missing (run `npm run build`): suites that activate the extension will fail');
  }
}

/** Environment for the extension host; both backends pass it through to the tests. */
function testEnv(backend: Backend, resultFile: string): Record<string, string> {
  const env: Record<string, string> = {
    PCB_VSCODE_BACKEND: backend,
    PCB_INTEGRATION_RESULT_FILE: resultFile,
    PCB_EXPECT_VSCODE_VERSION: process.env.PCB_VSCODE_VERSION ?? VSCODE_VERSION,
  };
  if (process.env.PCB_INTEGRATION_GREP) env.PCB_INTEGRATION_GREP = process.env.PCB_INTEGRATION_GREP;
  return env;
}

/** Lines of the workbench log that are the workbench talking about itself, not the tests. */
const WORKBENCH_NOISE =
  /^(\[driver\]|Resolving|Resolved|Creating a socket|Updating additional|\[Service Worker\]|ChatSessionStore|Ignoring fetching additional builtin extensions)/;

async function runInCodeServer(env: Record<string, string>, timeoutMs: number): Promise<number> {
  const server = await startCodeServer({ label: 'integration', env, workspaceTrust: process.env.PCB_WORKSPACE_TRUST === '1' });
  let exitCode = 2;
  try {
    const browser = await launchChromium('integration');
    try {
      const { page } = browser;
      const pageErrors: string[] = [];
      page.on('pageerror', (err) => pageErrors.push(err.message));
      // In "extension tests" mode the workbench forwards the extension host's console (the
      // mocha reporter) to its log service, which calls window.codeAutomationLog.
      await page.exposeFunction('codeAutomationLog', (_level: string, message: unknown) => {
        // Console calls arrive as their argument array (format string first): format them as Node would.
        const text = (Array.isArray(message) ? util.format(...(message as unknown[])) : String(message)).replace(/%c/g, '');
        for (const line of text.split('\n')) if (!WORKBENCH_NOISE.test(line.trim())) console.log(`  ${line}`);
      });
      // The workbench calls window.codeAutomationExit(code, logs) when run() settles:
      // 0 resolved, 1 rejected (failures, missing entry, suite that does not load).
      const exited = new Promise<number>((resolve) => {
        void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
      });
      const url = workbenchUrl({
        baseUrl: server.baseUrl,
        folder: FIXTURE_WORKSPACE,
        extensionDevelopmentPath: REPO_ROOT,
        extensionTestsPath: INTEGRATION_ENTRY,
      });
      step(`opening the workbench with the integration tests: ${url}`);
      await page.goto(url);
      const outcome = await Promise.race([
        exited,
        server.exited.then((code) => `code-server exited unexpectedly (code ${code}); log: ${server.logFile}` as const),
        new Promise<'timeout'>((resolve) => setTimeout(resolve, timeoutMs, 'timeout').unref()),
      ]);
      if (outcome === 'timeout') {
        console.error(
          `\n[harness] TIMEOUT: the integration tests did not finish within ${timeoutMs / 1000} s ` +
            '(no codeAutomationExit from the workbench). Raise PCB_INTEGRATION_TIMEOUT_MS if a suite is legitimately slow.' +
            (pageErrors.length ? `\nPage errors:\n  ${pageErrors.join('\n  ')}` : ''),
        );
        exitCode = TIMEOUT_EXIT;
      } else if (typeof outcome === 'string') {
        throw new HarnessError(outcome);
      } else {
        step(`the workbench reported the end of the tests (code ${outcome}); stopping`);
        exitCode = outcome;
      }
    } finally {
      await browser.close();
    }
  } finally {
    await server.stop({ keepRunDir: exitCode !== 0 });
  }
  return exitCode;
}

async function runInElectron(env: Record<string, string>): Promise<number> {
  // Loaded lazily: only this backend needs it.
  const { runTests, TestRunFailedError } = await import('@vscode/test-electron');
  step(`running the integration tests in VS Code desktop ${env.PCB_EXPECT_VSCODE_VERSION} (@vscode/test-electron)`);
  try {
    return await runTests({
      version: env.PCB_EXPECT_VSCODE_VERSION,
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: INTEGRATION_ENTRY,
      extensionTestsEnv: env,
      launchArgs: [
        FIXTURE_WORKSPACE,
        '--disable-extensions',
        ...(process.env.PCB_WORKSPACE_TRUST === '1' ? [] : ['--disable-workspace-trust']),
      ],
    });
  } catch (err) {
    if (err instanceof TestRunFailedError) return err.code ?? 1;
    throw new HarnessError(
      `@vscode/test-electron could not run VS Code desktop: ${(err as Error).message}\n` +
        'The electron backend downloads VS Code desktop (internet) and opens a window (a display, or xvfb-run). ' +
        'Offline or headless, use the default backend: unset PCB_VSCODE_BACKEND (code-server).',
    );
  }
}

/** Mocha's own exit code when the result file tells us the count; the backend's otherwise. */
function finalExitCode(backendCode: number, resultFile: string): number {
  if (backendCode === TIMEOUT_EXIT || !fs.existsSync(resultFile)) {
    if (backendCode !== TIMEOUT_EXIT) step('the tests wrote no result file: the test entry did not run (see the output above)');
    return backendCode === 0 ? 1 : backendCode;
  }
  const result = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as IntegrationResult;
  step(`integration result: ${result.passes} passing, ${result.failures} failing, ${result.pending} pending`);
  for (const title of result.failedTests) console.log(`  failed: ${title}`);
  if (result.failures > 0) return Math.min(result.failures, 255);
  // 0 failures but the workbench reported failure: e.g. no test matched PCB_INTEGRATION_GREP.
  return backendCode;
}

async function main(): Promise<number> {
  const backend = backendFromEnv();
  preflight();
  const timeoutMs = Number(process.env.PCB_INTEGRATION_TIMEOUT_MS ?? 300_000);
  const resultDir = newRunDir('integration-result');
  const resultFile = path.join(resultDir, 'result.json');
  // Also removed after Ctrl+C, when the `finally` below never runs.
  const unregister = onCleanup({ name: 'result folder', run: async () => fs.rmSync(resultDir, { recursive: true, force: true }) });
  try {
    const env = testEnv(backend, resultFile);
    const code = backend === 'electron' ? await runInElectron(env) : await runInCodeServer(env, timeoutMs);
    const exitCode = finalExitCode(code, resultFile);
    step(`integration tests ${exitCode === 0 ? 'PASSED' : `FAILED (exit code ${exitCode})`} in ${elapsed()}`);
    return exitCode;
  } finally {
    fs.rmSync(resultDir, { recursive: true, force: true });
    unregister();
  }
}

void main().catch(reportFatal).then(finish);
