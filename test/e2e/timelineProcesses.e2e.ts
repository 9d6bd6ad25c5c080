/**
 * The timeline of a processes recipe in a real workbench: F1 -> "Parallel Cookbook: Run Recipe"
 * -> "Using a process pool" -> the webview shows one process group per Python process of the run
 * (as many as recipes/catalog.json says the recipe runs), each headed by its own pid and
 * "exit code 0", the pool's workers nested under the main process, each with its own thread
 * lane; the run ends "Finished — exit code 0".
 *
 * Screenshots: test-artifacts/e2e/timeline-processes-*.png (and media/screenshots/processes-pool.png
 * when the README pictures are regenerated).
 */
import { E2eContext, E2eTest, runStandalone } from '../harness/e2eSession';
import { step } from '../harness/log';
import { catalogRecipe, CONDITION_TIMEOUT_MS } from './recipes';
import { artifactShot, readmeShot, runRecipeFromPalette, tidyLayout, TimelineText, VIEWPORT, waitForTimeline, waitForTimelineFrame } from './timelinePage';
import { openWorkbench } from './workbench';

const NAME = 'timeline-processes';
const RECIPE_ID = process.env.PCB_E2E_PROCESSES_RECIPE ?? 'using-a-process-pool';

/** Why the process headers are not yet what they must be, or null when they are. */
function processProblem(t: TimelineText, expected: number): string | null {
  const ps = t.processes;
  if (ps.length !== expected) return `${ps.length} process headers, not ${expected}`;
  const pids = new Set(ps.map((p) => p.pid));
  if (pids.has(null) || pids.size !== ps.length) return `the headers do not each show a distinct pid: ${JSON.stringify(ps.map((p) => p.meta))}`;
  const notZero = ps.filter((p) => !/\bexit code 0\b/.test(p.meta));
  if (notZero.length > 0) return `processes without "exit code 0": ${JSON.stringify(notZero)}`;
  const roots = ps.filter((p) => p.depth === 0);
  if (roots.length !== 1) return `${roots.length} root processes (depth 0), not 1: ${JSON.stringify(ps)}`;
  if (ps.filter((p) => p.depth === 1).length !== expected - 1) return `the other processes are not all children of the root: ${JSON.stringify(ps)}`;
  // Each process has at least its main thread's lane.
  if (t.threads.length < expected) return `${t.threads.length} thread lanes for ${expected} processes`;
  return null;
}

export const test: E2eTest = {
  name: NAME,
  async run({ page, workbenchUrl, artifactsDir }: E2eContext): Promise<void> {
    const recipe = catalogRecipe(RECIPE_ID);
    const expected = recipe.expect?.processes;
    if (!expected || expected < 2) throw new Error(`recipes/catalog.json gives ${RECIPE_ID} no "expect.processes" of 2 or more`);
    await page.setViewportSize(VIEWPORT);
    await openWorkbench(page, workbenchUrl);
    await tidyLayout(page);
    const picked = await runRecipeFromPalette(page, recipe.title);
    const frame = await waitForTimelineFrame(page, CONDITION_TIMEOUT_MS, recipe.title);
    await tidyLayout(page);
    let problem: string | null = 'nothing read yet';
    const done = await waitForTimeline(
      page,
      frame,
      (t) => /^Finished — exit code 0\b/.test(t.status) && (problem = processProblem(t, expected)) === null,
      `"Finished — exit code 0" and ${expected} process groups, each with its pid and "exit code 0", children nested under the root`,
      CONDITION_TIMEOUT_MS,
      recipe.title,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\nWhat is wrong with the process headers: ${problem}`);
    });
    step(`${RECIPE_ID}: "${done.text.status}" ${Date.now() - picked} ms after the pick; ${done.text.records}`);
    for (const p of done.text.processes) step(`  ${'  '.repeat(p.depth)}${p.name}: ${p.meta}`);
    await artifactShot(page, artifactsDir, NAME, RECIPE_ID);
    await readmeShot(page, 'processes-pool.png');
  },
};

if (require.main === module) runStandalone(test);
