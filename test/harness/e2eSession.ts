/**
 * What an end-to-end test gets: a running code-server, a fresh headless Chromium page, and the
 * workbench URL with the extension under development loaded through the payload (no tests path:
 * the test drives the UI itself). Every test leaves a screenshot in test-artifacts/e2e/, whether
 * it passed or failed, and on failure also the browser console.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';
import { launchChromium } from './browser';
import { CodeServer, startCodeServer } from './codeServer';
import { finish, isShuttingDown, reportFatal } from './cleanup';
import { HarnessError, step } from './log';
import { ARTIFACTS_DIR, FIXTURE_WORKSPACE, REPO_ROOT } from './paths';
import { workbenchUrl } from './workbenchUrl';

export const E2E_ARTIFACTS_DIR = path.join(ARTIFACTS_DIR, 'e2e');

export interface E2eContext {
  server: CodeServer;
  page: Page;
  /** Workbench on test/fixtures/workspace with the repository loaded as the development extension. */
  workbenchUrl: string;
  /** Where the test may write extra artifacts. */
  artifactsDir: string;
}

export interface E2eTest {
  name: string;
  run(context: E2eContext): Promise<void>;
}

/** The extension must be built: the e2e loads dist/ exactly as a user would get it. */
export function assertExtensionBuilt(): void {
  for (const file of ['dist/extension.js', 'dist/cli.js']) {
    if (!fs.existsSync(path.join(REPO_ROOT, file))) {
      throw new HarnessError(`${file} is missing: build the extension first with \`npm run build\``);
    }
  }
}

/** One test in a fresh browser profile against `server`. Resolves true when it passed. */
export async function runE2eTest(test: E2eTest, server: CodeServer): Promise<boolean> {
  fs.mkdirSync(E2E_ARTIFACTS_DIR, { recursive: true });
  // Artifacts of a previous run of this test would be mistaken for this run's.
  for (const name of fs.readdirSync(E2E_ARTIFACTS_DIR)) {
    if (name.startsWith(`${test.name}-`)) fs.rmSync(path.join(E2E_ARTIFACTS_DIR, name), { force: true });
  }
  const browser = await launchChromium(`e2e-${test.name}`);
  const consoleLines: string[] = [];
  browser.page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
  browser.page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));
  const url = workbenchUrl({ baseUrl: server.baseUrl, folder: FIXTURE_WORKSPACE, extensionDevelopmentPath: REPO_ROOT });
  let error: unknown;
  step(`e2e "${test.name}": start`);
  try {
    await test.run({ server, page: browser.page, workbenchUrl: url, artifactsDir: E2E_ARTIFACTS_DIR });
  } catch (err) {
    error = err;
  }
  const outcome = error === undefined ? 'passed' : 'failed';
  if (isShuttingDown()) {
    // Ctrl+C: the browser is being closed under us; there is nothing to photograph.
    step(`e2e "${test.name}": interrupted`);
    return false;
  }
  const shot = path.join(E2E_ARTIFACTS_DIR, `${test.name}-${outcome}.png`);
  await browser.page
    .screenshot({ path: shot })
    .then(() => step(`screenshot: ${shot}`))
    .catch((err: Error) => step(`could not take the screenshot ${shot}: ${err.message}`));
  if (error !== undefined) {
    const consoleFile = path.join(E2E_ARTIFACTS_DIR, `${test.name}-console.log`);
    fs.writeFileSync(consoleFile, consoleLines.join('\n') + '\n');
    console.error(`\n[e2e] FAILED "${test.name}": ${error instanceof Error ? error.message : String(error)}`);
    console.error(`[e2e] browser console: ${consoleFile}; code-server log: ${server.logFile}`);
  } else {
    step(`e2e "${test.name}": PASSED`);
  }
  await browser.close();
  return error === undefined;
}

/** Run `tests` sequentially against one code-server; exit code 0 when all passed. */
export async function runE2eTests(tests: E2eTest[]): Promise<number> {
  assertExtensionBuilt();
  const server = await startCodeServer({ label: 'e2e' });
  let failed = 0;
  try {
    for (const test of tests) if (!(await runE2eTest(test, server))) failed++;
  } finally {
    await server.stop({ keepRunDir: failed > 0 });
  }
  step(`e2e: ${tests.length - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

/** For `node out/test/e2e/<name>.e2e.js`: run that one test with its own server, then exit. */
export function runStandalone(test: E2eTest): void {
  void runE2eTests([test]).catch(reportFatal).then(finish);
}
