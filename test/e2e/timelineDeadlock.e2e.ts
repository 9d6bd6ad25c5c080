/**
 * The deadlock demo in a real workbench: F1 -> "Parallel Cookbook: Run Recipe" -> "Lock-order
 * deadlock" -> while the run is still "Running…", the webview shows a deadlock banner naming the
 * cycle: locks-A-then-B waits for lock_b held by locks-B-then-A, and locks-B-then-A waits for
 * lock_a held by locks-A-then-B (a lock is named by the tracer as "Lock <file>:<line>" where it
 * was created, or by its variable). The banner's "Stop run" button ends the run: the status says
 * "Stopped", the Stop buttons are disabled, the workbench's status bar no longer shows an active
 * run. Then the same again, stopped with "Parallel Cookbook: Stop Run" from the palette.
 *
 * Screenshots: test-artifacts/e2e/timeline-deadlock-*.png (and media/screenshots/deadlock.png
 * when the README pictures are regenerated).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Frame, Page } from 'playwright-core';
import { E2eContext, E2eTest, runStandalone } from '../harness/e2eSession';
import { step } from '../harness/log';
import { catalogRecipe, CONDITION_TIMEOUT_MS, STOP_RUN_COMMAND } from './recipes';
import {
  artifactShot,
  readmeShot,
  runIdOf,
  runRecipeFromPalette,
  tidyLayout,
  VIEWPORT,
  waitFor,
  waitForTimeline,
  waitForTimelineFrame,
} from './timelinePage';
import { openWorkbench, runCommand } from './workbench';

const NAME = 'timeline-deadlock';
const RECIPE_ID = 'lock-order-deadlock';
/** The two threads and the variables of the locks each takes first and second (the recipe's code). */
const CYCLE = [
  { thread: 'locks-A-then-B', holds: 'lock_a', wants: 'lock_b' },
  { thread: 'locks-B-then-A', holds: 'lock_b', wants: 'lock_a' },
];

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Line of `name = threading.Lock()` in the recipe (the tracer names a lock where it was created). */
function lockLine(file: string, name: string): number {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const i = lines.findIndex((l) => new RegExp(`^${name}\\s*=\\s*threading\\.Lock\\(\\)`).test(l));
  if (i < 0) throw new Error(`${file} has no line "${name} = threading.Lock()"`);
  return i + 1;
}

/** "locks-A-then-B waits for Lock lock_order_deadlock.py:27 held by locks-B-then-A" (or "... lock_b ..."). */
function cycleClauses(file: string): RegExp[] {
  const base = path.basename(file);
  return CYCLE.map((c) => {
    const holder = CYCLE.find((o) => o.holds === c.wants)!.thread;
    const lock = `(?:[^,]*${escapeRegExp(`${base}:${lockLine(file, c.wants)}`)}\\b|[^,]*\\b${c.wants}\\b)`;
    return new RegExp(`${escapeRegExp(c.thread)} waits for ${lock}[^,]* held by ${escapeRegExp(holder)}`);
  });
}

async function runUntilDeadlock(page: Page, title: string, clauses: RegExp[], earlierRuns: string[]): Promise<Frame> {
  const picked = await runRecipeFromPalette(page, title);
  const frame = await waitForTimelineFrame(page, CONDITION_TIMEOUT_MS, title, earlierRuns);
  earlierRuns.push(await runIdOf(frame));
  await tidyLayout(page);
  const shown = await waitForTimeline(
    page,
    frame,
    (t) => /^Running/.test(t.status) && t.deadlockBanners.some((b) => clauses.every((c) => c.test(b))) && t.bannerStopEnabled === true,
    `"Running…" and a deadlock banner saying ${clauses.map(String).join(' and ')}, with an enabled "Stop run"`,
    CONDITION_TIMEOUT_MS,
    title,
  );
  step(`deadlock banner ${Date.now() - picked} ms after the pick: ${JSON.stringify(shown.text.deadlockBanners)}`);
  return shown.frame;
}

/** After a stop: the webview says Stopped, its Stop buttons are disabled, no run is active. */
async function expectStopped(page: Page, frame: Frame, title: string): Promise<void> {
  const stopped = await waitForTimeline(
    page,
    frame,
    (t) => /^Stopped\b/.test(t.status) && !t.stopEnabled && t.bannerStopEnabled !== true,
    '"Stopped" in the status, and the Stop buttons disabled',
    CONDITION_TIMEOUT_MS,
    title,
  );
  step(`status: "${stopped.text.status}"`);
  // The workbench's status bar shows the active run (with a pulse) until no run is active.
  await waitFor(
    page,
    () => page.locator('.part.statusbar .statusbar-item').allInnerTexts(),
    (items) => !items.some((i) => i.includes(title)),
    `the status bar to show no active "${title}" run`,
    CONDITION_TIMEOUT_MS,
  );
}

export const test: E2eTest = {
  name: NAME,
  async run({ page, workbenchUrl, artifactsDir }: E2eContext): Promise<void> {
    const recipe = catalogRecipe(RECIPE_ID);
    const clauses = cycleClauses(recipe.path);
    await page.setViewportSize(VIEWPORT);
    await openWorkbench(page, workbenchUrl);
    await tidyLayout(page);
    const runs: string[] = [];

    // 1. Stopped with the banner's button.
    let frame = await runUntilDeadlock(page, recipe.title, clauses, runs);
    await artifactShot(page, artifactsDir, NAME, 'banner');
    await readmeShot(page, 'deadlock.png');
    await frame.locator('.tl-banner-deadlock .tl-stop-deadlock').first().click();
    await expectStopped(page, frame, recipe.title);
    await artifactShot(page, artifactsDir, NAME, 'stopped-by-banner');

    // 2. Stopped from the command palette.
    frame = await runUntilDeadlock(page, recipe.title, clauses, runs);
    await runCommand(page, STOP_RUN_COMMAND);
    await expectStopped(page, frame, recipe.title);
    await artifactShot(page, artifactsDir, NAME, 'stopped-from-palette');
  },
};

if (require.main === module) runStandalone(test);
