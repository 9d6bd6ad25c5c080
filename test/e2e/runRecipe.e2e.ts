/**
 * End to end, as a person would: in a real VS Code workbench (code-server + headless Chromium),
 * F1 -> "Parallel Cookbook: Run Recipe" -> pick "Defining a thread" -> the timeline webview must
 * come to show every thread the recipe runs and the run's "exit code 0".
 *
 * The expected thread names are not hard-coded: the same recipe is first run through the
 * extension's command line (dist/cli.js), which writes the run summary as JSON.
 *
 * Run by `npm run test:e2e`, or alone: `node out/test/e2e/runRecipe.e2e.js`.
 * PCB_E2E_TIMEOUT_MS bounds the wait for the webview (default 120000).
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { RunSummary } from '../../extension/protocol';
import { E2eContext, E2eTest, runStandalone } from '../harness/e2eSession';
import { step } from '../harness/log';
import { REPO_ROOT } from '../harness/paths';
import { openWorkbench, pickQuickPickItem, runCommand, waitForFrameText } from './workbench';

const RECIPE_ID = 'defining-a-thread';
const RECIPE_TITLE = 'Defining a thread';
const COMMAND_TITLE = 'Parallel Cookbook: Run Recipe';
const WEBVIEW_TIMEOUT_MS = Number(process.env.PCB_E2E_TIMEOUT_MS ?? 120_000);
const CLI_TIMEOUT_MS = 120_000;

/** Run the recipe through the CLI and return the names of the threads its run produced. */
async function expectedThreadNames(): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pcb-e2e-'));
  const summaryFile = path.join(dir, 'summary.json');
  try {
    const cli = path.join(REPO_ROOT, 'dist', 'cli.js');
    await new Promise<void>((resolve, reject) => {
      execFile(
        process.execPath,
        [cli, 'run', RECIPE_ID, '--summary', summaryFile],
        { cwd: REPO_ROOT, timeout: CLI_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
        (err, stdout, stderr) => {
          if (err) reject(new Error(`\`node dist/cli.js run ${RECIPE_ID}\` failed (${err.message.split('\n')[0]}):\n${stdout}\n${stderr}`));
          else resolve();
        },
      );
    });
    const summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8')) as RunSummary;
    if (summary.exitCode !== 0) throw new Error(`The CLI run of ${RECIPE_ID} ended with exit code ${summary.exitCode}, not 0`);
    const names = [...new Set(summary.threads.map((t) => t.name))];
    if (names.length === 0) throw new Error(`The CLI run of ${RECIPE_ID} reported no threads: ${summaryFile} has threads: []`);
    return names;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const test: E2eTest = {
  name: 'run-recipe',
  async run({ page, workbenchUrl }: E2eContext): Promise<void> {
    const names = await expectedThreadNames();
    step(`the CLI run of ${RECIPE_ID} produced threads ${JSON.stringify(names)}`);

    await openWorkbench(page, workbenchUrl);
    step('workbench open; running the command from the palette');
    await runCommand(page, COMMAND_TITLE);
    await pickQuickPickItem(page, RECIPE_TITLE);
    step(`picked "${RECIPE_TITLE}"; waiting for the timeline webview`);

    const expectation = `all of ${JSON.stringify(names)} and "exit code 0"`;
    const frame = await waitForFrameText(
      page,
      (text) => names.every((name) => text.includes(name)) && /exit code 0\b/i.test(text),
      expectation,
      WEBVIEW_TIMEOUT_MS,
    );
    step(`the webview (frame depth ${frame.depth}) shows ${expectation}`);
  },
};

if (require.main === module) runStandalone(test);
