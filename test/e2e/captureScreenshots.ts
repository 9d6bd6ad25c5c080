/**
 * Regenerates the README's pictures (media/screenshots/) from a real run: the timeline e2e tests
 * (threads, processes, deadlock) run in the real workbench exactly as `npm run test:e2e` runs
 * them, and while they do they also write the pictures (PCB_README_SCREENSHOTS). Nothing is
 * replaced unless every test passed and every picture was taken; PNGs are then re-encoded
 * losslessly to keep them small.
 *
 *   npm run build && npx tsc -p . && node out/test/e2e/captureScreenshots.js [folder]
 *
 * The folder defaults to media/screenshots. The pictures are 1280x800:
 *   hero.png            Defining a thread, finished
 *   threads-lock.png    Thread synchronization with a lock
 *   processes-pool.png  Using a process pool
 *   deadlock.png        Lock-order deadlock with its banner
 *   live-1..4.png       a run filling the timeline live (3 frames while running, then finished)
 */
import * as fs from 'fs';
import * as path from 'path';
import { finish, reportFatal } from '../harness/cleanup';
import { runE2eTests } from '../harness/e2eSession';
import { HarnessError, step } from '../harness/log';
import { REPO_ROOT, VSCODE_TEST_DIR } from '../harness/paths';
import { shrinkPng } from './png';
import { README_SHOTS_ENV } from './timelinePage';

export const README_PICTURES = ['hero.png', 'threads-lock.png', 'processes-pool.png', 'deadlock.png', 'live-1.png', 'live-2.png', 'live-3.png', 'live-4.png'];
/** Each picture should stay under this (the README loads them all). */
const MAX_BYTES = 150 * 1024;

async function main(): Promise<number> {
  const dest = path.resolve(REPO_ROOT, process.argv[2] ?? path.join('media', 'screenshots'));
  const staging = path.join(VSCODE_TEST_DIR, 'screenshots-staging');
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  process.env[README_SHOTS_ENV] = staging;
  // Loaded after the variable is set; the tests read it when they take their pictures.
  const tests = ['timelineThreads', 'timelineProcesses', 'timelineDeadlock'].map((name) => {
    const mod = require(`./${name}.e2e`) as typeof import('./timelineThreads.e2e');
    return mod.test;
  });
  const code = await runE2eTests(tests);
  if (code !== 0) throw new HarnessError(`The tests failed: ${dest} is left as it was (pictures so far in ${staging})`);
  const missing = README_PICTURES.filter((n) => !fs.existsSync(path.join(staging, n)));
  if (missing.length > 0) throw new HarnessError(`Not taken: ${missing.join(', ')} (in ${staging}); ${dest} is left as it was`);
  fs.mkdirSync(dest, { recursive: true });
  let tooBig = 0;
  for (const name of README_PICTURES) {
    const png = fs.readFileSync(path.join(staging, name));
    const small = shrinkPng(png);
    fs.writeFileSync(path.join(dest, name), small);
    const kb = Math.round(small.length / 1024);
    if (small.length > MAX_BYTES) tooBig++;
    step(`${path.relative(REPO_ROOT, path.join(dest, name))}: ${kb} KB${small.length > MAX_BYTES ? ` (over ${MAX_BYTES / 1024} KB)` : ''}`);
  }
  fs.rmSync(staging, { recursive: true, force: true });
  if (tooBig > 0) step(`${tooBig} picture(s) over ${MAX_BYTES / 1024} KB: consider another moment or a calmer recipe`);
  return 0;
}

void main().catch(reportFatal).then(finish);
