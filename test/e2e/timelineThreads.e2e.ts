/**
 * The live timeline of a threads recipe in a real workbench (code-server + headless Chromium):
 * F1 -> "Parallel Cookbook: Run Recipe" -> pick the recipe -> while it runs the thread lanes
 * appear and the timeline grows -> it finishes with "exit code 0" and every thread of the
 * recipe has a lane -> hovering a wait drawn on the canvas shows a tooltip with its state,
 * duration and source line -> clicking it shows the details with "Go to source" -> that opens
 * the recipe file in an editor with the cursor on the line of the wait.
 *
 * Screenshots (test-artifacts/e2e/): timeline-threads-live-<n>.png while it runs,
 * -finished.png, -tooltip.png, -source.png, and the harness's -passed/-failed.png.
 * With PCB_README_SCREENSHOTS=<folder> (captureScreenshots.ts) the README's pictures too.
 */
import { WaitKind } from '../../extension/host/traceSchema';
import { formatDuration, STATE_NAMES } from '../../webview/format';
import { E2eContext, E2eTest, runStandalone } from '../harness/e2eSession';
import { step } from '../harness/log';
import { catalogRecipe, CONDITION_TIMEOUT_MS, RUN_RECIPE_COMMAND } from './recipes';
import {
  activeEditorTab,
  artifactShot,
  canvasPointOnPage,
  findSpanWithSource,
  formatSamples,
  LiveSample,
  readLiveSamples,
  readmeShot,
  readTimeline,
  sourceLine,
  startLiveRecorder,
  statusBarCursor,
  VIEWPORT,
  waitFor,
  waitForTimeline,
  waitForTimelineFrame,
} from './timelinePage';
import { openWorkbench, pickQuickPickItem, runCommand } from './workbench';

const NAME = 'timeline-threads';
const RECIPE_ID = process.env.PCB_E2E_THREADS_RECIPE ?? 'defining-a-thread';
/** Live screenshots taken while the run goes on (at most). */
const LIVE_SHOTS = 4;

/** What the source line of a wait must contain, by wait kind (the site must point at the call). */
const CALL_OF_WAIT: Partial<Record<number, RegExp>> = {
  [WaitKind.Acquire]: /\.acquire\(|\bwith\b/,
  [WaitKind.Condition]: /\.wait(_for)?\(/,
  [WaitKind.Event]: /\.wait\(/,
  [WaitKind.QueueGet]: /\.get\(/,
  [WaitKind.QueuePut]: /\.put\(/,
  [WaitKind.Join]: /\.join\(/,
  [WaitKind.Barrier]: /\.wait\(/,
  [WaitKind.Sleep]: /sleep\(/,
};

/**
 * Live: the webview showed the run as running with some lanes, and later, still running, more
 * lanes or more spans; and it ended "Finished — exit code 0".
 */
function checkLive(samples: LiveSample[]): string {
  const running = samples.filter((s) => s.running && /^Running/.test(s.status));
  const first = running.find((s) => s.threadLanes > 0);
  if (!first) {
    throw new Error(
      'The timeline never showed lanes while the run was running: the webview only got the run once it had ended ' +
        `(or never said "Running…"). What it showed over time:\n${formatSamples(samples)}`,
    );
  }
  const grown = running.find((s) => s.at > first.at && (s.threadLanes > first.threadLanes || s.spans > first.spans));
  if (!grown) {
    throw new Error(`While running the timeline did not grow after it first showed ${first.threadLanes} lanes. Over time:\n${formatSamples(samples)}`);
  }
  return `running at +${first.at} ms with ${first.threadLanes} lanes / ${first.spans} spans, at +${grown.at} ms ${grown.threadLanes} lanes / ${grown.spans} spans`;
}

export const test: E2eTest = {
  name: NAME,
  async run({ page, workbenchUrl, artifactsDir }: E2eContext): Promise<void> {
    const recipe = catalogRecipe(RECIPE_ID);
    const expectedThreads = recipe.expect?.threads ?? [];
    await page.setViewportSize(VIEWPORT);
    await openWorkbench(page, workbenchUrl);
    step('workbench open; Run Recipe from the palette');
    await runCommand(page, RUN_RECIPE_COMMAND);
    await pickQuickPickItem(page, recipe.title);
    const picked = Date.now();
    step(`picked "${recipe.title}"; waiting for the timeline webview`);

    let frame = await waitForTimelineFrame(page, CONDITION_TIMEOUT_MS);
    await startLiveRecorder(frame);
    step(`timeline webview up ${Date.now() - picked} ms after the pick`);

    // While it runs: a screenshot each time a new lane appears (a few at most), until it ends.
    let shots = 0;
    let lanesShot = 0;
    const deadline = Date.now() + CONDITION_TIMEOUT_MS;
    for (;;) {
      const t = await readTimeline(frame);
      if (!/^Running/.test(t.status) && !/^Starting/.test(t.status)) break;
      if (/^Running/.test(t.status) && t.threads.length > lanesShot && shots < LIVE_SHOTS) {
        lanesShot = t.threads.length;
        shots++;
        await artifactShot(page, artifactsDir, NAME, `live-${shots}`);
        await readmeShot(page, `live-${shots}.png`);
      }
      if (Date.now() > deadline) throw new Error(`The run did not end within ${CONDITION_TIMEOUT_MS / 1000} s; the timeline shows ${JSON.stringify(t)}`);
      await page.waitForTimeout(100);
    }

    const finished = await waitForTimeline(
      page,
      frame,
      (t) => /Finished — exit code 0\b/.test(t.status) && expectedThreads.every((n) => t.threads.includes(n)),
      `"Finished — exit code 0" and lanes for ${JSON.stringify(expectedThreads)}`,
      CONDITION_TIMEOUT_MS,
    );
    frame = finished.frame;
    step(`finished ${Date.now() - picked} ms after the pick: ${finished.text.status}; ${finished.text.records}; lanes ${JSON.stringify(finished.text.threads)}`);
    const samples = await readLiveSamples(frame);
    await artifactShot(page, artifactsDir, NAME, 'finished');
    await readmeShot(page, `${recipe.id}.png`);
    step(`live: ${checkLive(samples)}`);

    // Hover a wait that records its source line.
    const target = await findSpanWithSource(frame);
    if (!target) throw new Error('No span with a source line is drawn at least 8 px wide in a visible lane: the tracer recorded no wait site for this recipe');
    const stateName = STATE_NAMES[target.state] ?? `state ${target.state}`;
    step(`hovering ${target.thread}'s ${stateName} span (${target.widthPx.toFixed(0)} px) at ${target.site.file}:${target.site.line}`);
    const point = await canvasPointOnPage(frame, target.x, target.y);
    await page.mouse.move(point.x - 5, point.y);
    await page.mouse.move(point.x, point.y, { steps: 3 });
    const duration = formatDuration(target.endNs - target.startNs);
    const basename = recipe.file;
    const hovered = await waitForTimeline(
      page,
      frame,
      (t) =>
        t.tooltip !== null &&
        t.tooltip.toLowerCase().includes(stateName) &&
        t.tooltip.includes(target.thread) &&
        t.tooltip.includes(duration) &&
        t.tooltip.includes(`${basename}:${target.site.line}`),
      `a tooltip naming state "${stateName}", thread ${target.thread}, duration ${duration} and source ${basename}:${target.site.line}`,
      CONDITION_TIMEOUT_MS,
    );
    step(`tooltip: ${JSON.stringify(hovered.text.tooltip)}`);
    await artifactShot(page, artifactsDir, NAME, 'tooltip');
    await readmeShot(page, 'tooltip.png');

    // Click it: the details panel offers "Go to source".
    await page.mouse.down();
    await page.mouse.up();
    const selected = await waitForTimeline(
      page,
      frame,
      (t) => t.inspector !== null && t.gotoTitle === `${target.site.file}:${target.site.line}`,
      `the details panel with "Go to source" for ${target.site.file}:${target.site.line}`,
      CONDITION_TIMEOUT_MS,
    );
    step(`details: ${JSON.stringify(selected.text.inspector)}`);

    // The site must be the recipe's own file, and its line the call that waited.
    if (target.site.file !== recipe.path) throw new Error(`The wait's site is ${target.site.file}, not the recipe file ${recipe.path}`);
    const code = sourceLine(recipe.path, target.site.line);
    const call = CALL_OF_WAIT[target.waitKind];
    if (call && !call.test(code)) throw new Error(`Line ${target.site.line} of ${basename} is ${JSON.stringify(code)}: not the call of a ${stateName} wait (${call})`);
    step(`line ${target.site.line} of ${basename}: ${code.trim()}`);

    await frame.locator('.tl-inspector .tl-goto').click();
    await waitFor(page, () => activeEditorTab(page), (tab) => tab.includes(basename), `the active editor tab to be ${basename}`, CONDITION_TIMEOUT_MS);
    const cursor = await waitFor(
      page,
      () => statusBarCursor(page),
      (c) => c !== null && c.line === target.site.line,
      `the status bar to show "Ln ${target.site.line}, Col …"`,
      CONDITION_TIMEOUT_MS,
    );
    step(`"Go to source" opened ${basename} at Ln ${cursor!.line}, Col ${cursor!.col}`);
    await artifactShot(page, artifactsDir, NAME, 'source');
  },
};

if (require.main === module) runStandalone(test);
