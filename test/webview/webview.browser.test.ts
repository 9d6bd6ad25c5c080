/**
 * The real webview bundle in headless Debian Chromium, behind the panel's CSP, fed synthetic
 * deltas the way the extension posts them. Checks what a user sees and what the webview sends
 * back. Screenshots go to test-artifacts/webview/.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';
import type { ExtensionToWebview } from '../../extension/protocol';
import { artifactsDir, buildWebviewBundle, launchBrowser, startHarnessServer, type Browser, type HarnessServer } from './harness';
import { deadlockDelta, finished, header, KNOWN, MS, syntheticDeltas, THREAD_NAMES } from './syntheticRun';

const WAIT = 10000;

/** Posts a message as the extension does and waits until the webview has handled it. */
async function post(page: Page, msg: ExtensionToWebview): Promise<void> {
  const before = await page.evaluate((m) => {
    const n = window.__pcbTimeline!.messages;
    window.postMessage(m, '*');
    return n;
  }, msg as unknown as Record<string, unknown>);
  await page.waitForFunction((n) => window.__pcbTimeline!.messages > n, before, { timeout: WAIT });
}

async function posted(page: Page): Promise<{ type: string; [k: string]: unknown }[]> {
  return page.evaluate(() => (window as unknown as { __posted: { type: string }[] }).__posted);
}

/** Waits until the app has drawn a frame that includes every delta applied so far. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const d = window.__pcbTimeline;
      if (!d) return false;
      const last = d.frames[d.frames.length - 1];
      return last !== undefined && last.deltas === d.app.store.deltasApplied;
    },
    undefined,
    { timeout: WAIT },
  );
}

/** Page coordinates of time t in a thread's lane (middle of the bar). */
async function lanePoint(page: Page, thread: number, t: number): Promise<{ x: number; y: number }> {
  return page.evaluate(
    ([thread, t]) => {
      const app = window.__pcbTimeline!.app;
      const row = app.layout.rows[app.layout.threadRow.get(thread)!];
      const rect = app.canvas.getBoundingClientRect();
      const x = rect.left + ((t - app.view.t0) / (app.view.t1 - app.view.t0)) * rect.width;
      const y = rect.top + row.y - app.scroller.scrollTop + row.h / 2 + 2;
      return { x, y };
    },
    [thread, t] as [number, number],
  );
}

async function view(page: Page): Promise<{ t0: number; t1: number }> {
  return page.evaluate(() => ({ ...window.__pcbTimeline!.app.view }));
}

async function pixel(page: Page, x: number, y: number): Promise<[number, number, number]> {
  return page.evaluate(
    ([x, y]) => {
      const app = window.__pcbTimeline!.app;
      const rect = app.canvas.getBoundingClientRect();
      const ctx = app.canvas.getContext('2d')!;
      const d = ctx.getImageData(Math.round(x - rect.left), Math.round(y - rect.top), 1, 1).data;
      return [d[0], d[1], d[2]] as [number, number, number];
    },
    [x, y] as [number, number],
  );
}

async function loadRun(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'), undefined, {
    timeout: WAIT,
  });
  await post(page, { type: 'reset', header });
  await post(page, { type: 'status', status: { state: 'running' }, summary: null });
  for (const d of syntheticDeltas()) await post(page, { type: 'delta', delta: d });
  await settled(page);
}

describe('timeline webview in Chromium', function () {
  this.timeout(120000);
  let server: HarnessServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    await buildWebviewBundle();
    fs.mkdirSync(artifactsDir, { recursive: true });
    server = await startHarnessServer();
    browser = await launchBrowser();
    page = browser.page;
    await loadRun(page, server.url);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('posts ready, then shows every thread and process name as DOM text and the legend', async () => {
    const msgs = await posted(page);
    assert.strictEqual(msgs.filter((m) => m.type === 'ready').length, 1);
    const labels = await page.locator('.tl-labels').innerText();
    for (const name of THREAD_NAMES) assert.ok(labels.includes(name), `lane label ${name} missing in:\n${labels}`);
    assert.match(labels, /MainProcess/);
    assert.match(labels, /Process-1/);
    assert.match(labels, /pid 4107 · fork · exit code 0/);
    // Tree order: the child's header comes after the parent's threads.
    const keys = await page.locator('.tl-label').evaluateAll((els) => els.map((e) => e.getAttribute('data-key')));
    assert.deepStrictEqual(keys.slice(0, 4), ['p:0', 't:10', 't:11', 't:12']);
    assert.ok(keys.indexOf('p:1') > keys.indexOf('t:12'));
    const legend = await page.locator('.tl-legend').innerText();
    for (const word of ['Running', 'Blocked', 'Waiting', 'Sleeping', 'Exited', 'Lock held']) assert.ok(legend.includes(word), word);
    assert.strictEqual(await page.locator('.tl-title').innerText(), header.title);
    assert.match(await page.locator('.tl-lookfor').innerText(), /worker-1 waits/);
  });

  it('shows the run status with "exit code N" and the record counts', async () => {
    await post(page, { type: 'status', status: finished, summary: null });
    await page.waitForFunction(() => document.body.innerText.includes('Finished — exit code 0'), undefined, { timeout: WAIT });
    await page.waitForFunction(() => /2,345 records · 7 dropped/.test(document.querySelector('.tl-records')!.textContent!), undefined, { timeout: WAIT });
    assert.strictEqual(await page.locator('.tl-stop').isDisabled(), true);
  });

  it('draws states in the theme colours, and follows a theme change', async () => {
    await settled(page);
    const p = await lanePoint(page, KNOWN.thread, 10 * MS); // worker-1 running
    assert.deepStrictEqual(await pixel(page, p.x, p.y), [0x38, 0x8a, 0x34]);
    const b = await lanePoint(page, KNOWN.thread, 30 * MS); // worker-1 blocked
    assert.deepStrictEqual(await pixel(page, b.x, b.y), [0xe5, 0x14, 0x00]);
    // After its end (48 ms) worker-1's lane is greyed, not empty.
    const after = await lanePoint(page, KNOWN.thread, 58 * MS);
    const grey = await pixel(page, after.x, after.y);
    assert.notDeepStrictEqual(grey, [255, 255, 255]);
    assert.ok(Math.abs(grey[0] - grey[1]) < 8 && Math.abs(grey[1] - grey[2]) < 8, `grey expected, got ${grey}`);
    // VS Code changes variables on <html>: the canvas must pick them up.
    await page.evaluate(() => document.documentElement.style.setProperty('--vscode-charts-green', '#ff00ff'));
    await page.waitForFunction(() => window.__pcbTimeline!.app.palette.css.running === '#ff00ff', undefined, { timeout: WAIT });
    await page.evaluate(() => window.__pcbTimeline!.drawNow());
    assert.deepStrictEqual(await pixel(page, p.x, p.y), [255, 0, 255]);
    await page.evaluate(() => document.documentElement.style.removeProperty('--vscode-charts-green'));
    await page.waitForFunction(() => window.__pcbTimeline!.app.palette.css.running !== '#ff00ff', undefined, { timeout: WAIT });
  });

  it('fills the canvas below the last lane with the same background and grid lines as between lanes', async () => {
    // A finished run: no dashed "now" line crossing the rows compared.
    await post(page, { type: 'status', status: finished, summary: null });
    await settled(page);
    const got = await page.evaluate(() => {
      const app = window.__pcbTimeline!.app;
      window.__pcbTimeline!.drawNow();
      const rows = app.layout.rows;
      const last = rows[rows.length - 1];
      const bottom = Math.round(last.y + last.h - app.scroller.scrollTop);
      const { width: W, height: H } = app.canvas;
      const ctx = app.canvas.getContext('2d')!;
      const rgb = (w: number) => [w & 255, (w >>> 8) & 255, (w >>> 16) & 255].join();
      const line = (y: number) => {
        const d = ctx.getImageData(0, y, W, 1).data;
        return Array.from({ length: W }, (_, x) => [d[x * 4], d[x * 4 + 1], d[x * 4 + 2]].join());
      };
      const bg = rgb(app.palette.word.background);
      const grid = rgb(app.palette.word.grid);
      // The gap row under a thread's bar (instants sit at the top of a lane): background and
      // grid only.
      const th = rows.find((r) => r.kind === 'thread')!;
      const gap = line(Math.round(th.y + th.h - app.scroller.scrollTop) - 1);
      const below = line(H - 2);
      const cols = (l: string[], c: string) => l.flatMap((v, x) => (v === c ? [x] : []));
      return { bottom, H, W, gapGrid: cols(gap, grid), belowGrid: cols(below, grid), belowBg: cols(below, bg).length };
    });
    assert.ok(got.bottom < got.H - 20, `lanes end at ${got.bottom} of ${got.H}: no empty area to check`);
    assert.ok(got.gapGrid.length >= 3, `grid columns between lanes: ${got.gapGrid.join(',')}`);
    assert.deepStrictEqual(got.belowGrid, got.gapGrid);
    assert.strictEqual(got.belowBg + got.belowGrid.length, got.W, 'below the lanes: only background and grid');
  });

  it('shows a tooltip with state, object, duration and source when hovering a known span', async () => {
    await settled(page);
    const p = await lanePoint(page, KNOWN.thread, (KNOWN.startNs + KNOWN.endNs) / 2);
    await page.mouse.move(p.x, p.y);
    const tip = page.locator('.tl-tooltip');
    await tip.waitFor({ state: 'visible', timeout: WAIT });
    const text = await tip.innerText();
    assert.match(text, /Blocked on Lock a/);
    assert.match(text, /20 ms/); // duration
    assert.match(text, /locks\.py:17/);
    assert.match(text, /worker-1/);
    await page.screenshot({ path: path.join(artifactsDir, 'tooltip.png') });
    await page.mouse.move(5, 5);
    await tip.waitFor({ state: 'hidden', timeout: WAIT });
  });

  it('selects on click, shows details, and "Go to source" posts openSource', async () => {
    const p = await lanePoint(page, KNOWN.thread, (KNOWN.startNs + KNOWN.endNs) / 2);
    await page.mouse.click(p.x, p.y);
    const insp = page.locator('.tl-inspector');
    await insp.waitFor({ state: 'visible', timeout: WAIT });
    assert.match(await insp.innerText(), /Blocked on Lock a/);
    await page.locator('.tl-goto').click();
    await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'openSource'), undefined, {
      timeout: WAIT,
    });
    const open = (await posted(page)).find((m) => m.type === 'openSource');
    assert.deepStrictEqual(open, { type: 'openSource', file: KNOWN.file, line: KNOWN.line });
    await page.keyboard.press('Escape');
    await insp.waitFor({ state: 'hidden', timeout: WAIT });
  });

  it('zooms around the pointer with the wheel, pans by dragging, and stops following', async () => {
    await page.locator('.tl-fit').click();
    await settled(page);
    const before = await view(page);
    const p = await lanePoint(page, KNOWN.thread, 30 * MS);
    await page.mouse.move(p.x, p.y);
    await page.mouse.wheel(0, -300);
    await page.waitForFunction((w) => {
      const v = window.__pcbTimeline!.app.view;
      return v.t1 - v.t0 < w * 0.9;
    }, before.t1 - before.t0, { timeout: WAIT });
    const zoomed = await view(page);
    // The time under the pointer stayed there.
    const q = await lanePoint(page, KNOWN.thread, 30 * MS);
    assert.ok(Math.abs(q.x - p.x) < 1.5, `anchor moved from ${p.x} to ${q.x}`);
    assert.strictEqual(await page.locator('.tl-follow').getAttribute('aria-pressed'), 'false');
    // Drag right by 100 px: the view moves earlier by 100 px worth of time.
    await page.mouse.move(p.x, p.y);
    await page.mouse.down();
    await page.mouse.move(p.x + 50, p.y, { steps: 3 });
    await page.mouse.move(p.x + 100, p.y, { steps: 3 });
    await page.mouse.up();
    const panned = await view(page);
    const nsPerPx = await page.evaluate(() => {
      const a = window.__pcbTimeline!.app;
      return (a.view.t1 - a.view.t0) / a.canvas.getBoundingClientRect().width;
    });
    assert.ok(Math.abs(zoomed.t0 - panned.t0 - 100 * nsPerPx) < nsPerPx * 2, `pan ${zoomed.t0 - panned.t0} vs ${100 * nsPerPx}`);
    assert.ok(Math.abs(panned.t1 - panned.t0 - (zoomed.t1 - zoomed.t0)) < 1);
  });

  it('draws a panned frame from cached columns identical to a full redraw', async () => {
    await page.locator('.tl-fit').click();
    await settled(page);
    const same = await page.evaluate(() => {
      const dbg = window.__pcbTimeline!;
      const app = dbg.app;
      const v = app.view;
      const nsPerPx = (v.t1 - v.t0) / app.renderer.width;
      const grab = () => {
        const c = app.canvas;
        return Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data);
      };
      const diff = (a: number[], b: number[]) => a.reduce((n, x, i) => n + (x !== b[i] ? 1 : 0), 0);
      const out: number[] = [];
      for (const dx of [37, -120, 5]) {
        app.setUserView({ t0: app.view.t0 + dx * nsPerPx, t1: app.view.t1 + dx * nsPerPx }, true);
        dbg.drawNow();
        const panned = grab();
        app.renderer.laneCache.clear();
        dbg.drawNow();
        out.push(diff(panned, grab()));
      }
      // Live data: spans appended and the open state changed, while following the tail.
      app.follow = 'tail';
      dbg.drawNow();
      app.handleMessage({
        type: 'delta',
        delta: {
          nowNs: 75e6,
          processes: [],
          threads: [],
          objects: [],
          sites: [],
          spans: { thread: [12, 12], state: [1, 3], startNs: [55e6, 56e6], endNs: [56e6, 70e6], obj: [-1, -1], site: [-1, -1], waitKind: [0, 0] },
          holds: { obj: [], thread: [], startNs: [], endNs: [] },
          flows: [],
          instants: [],
          counters: [],
          open: [{ thread: 10, state: 2, sinceNs: 50e6, obj: -1, site: -1, waitKind: 0 }],
          stats: [],
          deadlocks: [],
          stalled: false,
          records: { total: 3000, malformed: 0, dropped: 7 },
        },
      });
      const partial = dbg.drawNow().visitedSpans;
      const live = grab();
      app.renderer.laneCache.clear();
      const full = dbg.drawNow().visitedSpans;
      out.push(diff(live, grab()));
      // Only the columns from the new data on were rasterized again.
      out.push(partial < full ? 0 : 1);
      return out;
    });
    assert.deepStrictEqual(same, [0, 0, 0, 0, 0]);
    await page.locator('.tl-fit').click();
  });

  it('zooms and pans with W/S/A/D and arrows, Home/End, and fits with the button', async () => {
    await page.locator('.tl-scroller').focus();
    await page.mouse.move(2, 2);
    const v0 = await view(page);
    await page.keyboard.press('w');
    const v1 = await view(page);
    assert.ok(v1.t1 - v1.t0 < (v0.t1 - v0.t0) * 0.85);
    await page.keyboard.press('s');
    await page.keyboard.press('s');
    const v2 = await view(page);
    assert.ok(v2.t1 - v2.t0 > v1.t1 - v1.t0);
    await page.keyboard.press('w');
    await page.keyboard.press('w');
    await page.keyboard.press('w');
    const v3 = await view(page);
    await page.keyboard.press('d');
    const v4 = await view(page);
    assert.ok(v4.t0 > v3.t0);
    await page.keyboard.press('ArrowLeft');
    const v5 = await view(page);
    assert.ok(v5.t0 < v4.t0);
    await page.keyboard.press('Home');
    const v6 = await view(page);
    assert.ok(Math.abs(v6.t0) < 1, `Home: t0 = ${v6.t0}`);
    await page.keyboard.press('End');
    const v7 = await view(page);
    const extent = await page.evaluate(() => window.__pcbTimeline!.app.store.extentNs);
    assert.ok(v7.t1 >= extent && v7.t0 < extent, `End: ${v7.t0}..${v7.t1} extent ${extent}`);
    await page.locator('.tl-fit').click();
    const v8 = await view(page);
    assert.strictEqual(v8.t0, 0);
    assert.ok(v8.t1 >= extent);
    // The axis labels adapt: at full view ms, deep zoom µs.
    await settled(page);
    const msLabels = await page.evaluate(() => window.__pcbTimeline!.app.axis.lastLabels);
    assert.ok(msLabels.some((l) => l.endsWith(' ms')), msLabels.join(','));
    await page.evaluate(() => window.__pcbTimeline!.app.setUserView({ t0: 20e6, t1: 20.2e6 }));
    await page.evaluate(() => window.__pcbTimeline!.drawNow());
    const fine = await page.evaluate(() => window.__pcbTimeline!.app.axis.lastLabels);
    assert.ok(fine.some((l) => l.endsWith(' ms') && l.includes('.')) || fine.some((l) => l.endsWith(' µs')), fine.join(','));
    await page.locator('.tl-fit').click();
  });

  it('resumes following with the Follow button while the run is live', async () => {
    await post(page, { type: 'status', status: { state: 'running' }, summary: null });
    await page.waitForFunction(() => !(document.querySelector('.tl-follow') as HTMLButtonElement).disabled, undefined, { timeout: WAIT });
    await page.evaluate(() => window.__pcbTimeline!.app.setUserView({ t0: 1e6, t1: 2e6 }));
    assert.strictEqual(await page.locator('.tl-follow').getAttribute('aria-pressed'), 'false');
    await page.locator('.tl-follow').click();
    assert.strictEqual(await page.locator('.tl-follow').getAttribute('aria-pressed'), 'true');
    // A new delta moves the followed view to the new end of time.
    const d = syntheticDeltas()[1];
    d.nowNs = 90 * MS;
    d.processes = [];
    d.threads = [];
    d.spans = { thread: [12], state: [0], startNs: [55 * MS], endNs: [90 * MS], obj: [-1], site: [-1], waitKind: [0] };
    await post(page, { type: 'delta', delta: d });
    await settled(page);
    const v = await view(page);
    assert.ok(v.t1 >= 90 * MS && v.t0 <= 90 * MS && v.t1 - v.t0 < 2e6, `${v.t0}..${v.t1}`);
    await post(page, { type: 'status', status: finished, summary: null });
    await page.waitForFunction(() => (document.querySelector('.tl-follow') as HTMLButtonElement).disabled, undefined, { timeout: WAIT });
    await page.locator('.tl-fit').click();
  });

  it('measures a box selection (shift+drag) and shows its duration', async () => {
    await settled(page);
    const a = await lanePoint(page, 11, 10 * MS);
    const b = await lanePoint(page, 12, 30 * MS);
    await page.keyboard.down('Shift');
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move((a.x + b.x) / 2, b.y, { steps: 4 });
    await page.mouse.move(b.x, b.y, { steps: 4 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    const info = page.locator('.tl-boxinfo');
    await info.waitFor({ state: 'visible', timeout: WAIT });
    const text = await info.innerText();
    const m = /Δ ([\d.]+) ms/.exec(text);
    assert.ok(m, text);
    assert.ok(Math.abs(parseFloat(m![1]) - 20) < 0.6, text);
    assert.match(text, /2 threads: running \d+%, blocked \d+%/);
    await page.screenshot({ path: path.join(artifactsDir, 'box-select.png') });
    await page.keyboard.press('Escape');
    await info.waitFor({ state: 'hidden', timeout: WAIT });
  });

  it('collapses a process group from the keyboard-reachable toggle', async () => {
    const toggle = page.locator('[data-key="p:1"] .tl-toggle');
    await toggle.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => !document.querySelector('.tl-labels')!.textContent!.includes('consumer'), undefined, { timeout: WAIT });
    assert.strictEqual(await page.locator('[data-key="p:1"] .tl-toggle').getAttribute('aria-expanded'), 'false');
    await page.locator('[data-key="p:1"] .tl-toggle').click();
    await page.waitForFunction(() => document.querySelector('.tl-labels')!.textContent!.includes('consumer'), undefined, { timeout: WAIT });
  });

  it('draws flow arrows only when asked', async () => {
    await settled(page);
    const flowsOff = await page.evaluate(() => window.__pcbTimeline!.drawNow().flowsDrawn);
    assert.strictEqual(flowsOff, 0);
    await page.locator('.tl-flows').click();
    assert.strictEqual(await page.locator('.tl-flows').getAttribute('aria-pressed'), 'true');
    const flowsOn = await page.evaluate(() => window.__pcbTimeline!.drawNow().flowsDrawn);
    assert.strictEqual(flowsOn, 3);
    await page.screenshot({ path: path.join(artifactsDir, 'timeline-flows.png') });
    await page.locator('.tl-flows').click();
  });

  it('shows per-thread bars, per-object contention and a text summary in the Summary tab', async () => {
    await page.locator('#tl-tab-summary').click();
    const summary = page.locator('#tl-panel-summary');
    await summary.waitFor({ state: 'visible', timeout: WAIT });
    const text = await summary.innerText();
    assert.match(text, /worker-1/);
    assert.match(text, /Acquisitions/);
    const lockRow = await page.locator('.tl-objects-table tbody tr').first().innerText();
    assert.match(lockRow, /^a\s+Lock\s+12\s+3\s+20 ms\s+20 ms$/);
    assert.ok((await page.locator('.tl-threads-table .tl-bar').count()) >= 5);
    assert.match(text, /Thread worker-1, ended: running 26 ms \(57%\), blocked 20 ms \(43%\)/);
    await page.screenshot({ path: path.join(artifactsDir, 'summary.png') });
    // Arrow keys move between tabs without panning the timeline.
    await page.locator('#tl-tab-summary').focus();
    const v = await view(page);
    await page.keyboard.press('ArrowLeft');
    assert.strictEqual(await page.locator('#tl-tab-timeline').getAttribute('aria-selected'), 'true');
    assert.deepStrictEqual(await view(page), v);
  });

  it('charts the speed-ups a performance recipe measured, in the Summary tab', async () => {
    await post(page, {
      type: 'speedups',
      rows: [
        { job: 'cpu', sequentialS: 0.45, threadsS: 0.51, processesS: 0.28, speedupThreads: 0.87, speedupProcesses: 1.62 },
        { job: 'io', sequentialS: 0.4, threadsS: 0.1, processesS: 0.11, speedupThreads: 3.96, speedupProcesses: 3.71 },
      ],
    });
    await page.locator('#tl-tab-summary').click();
    const chart = page.locator('#tl-panel-summary .tl-speedups');
    await chart.waitFor({ state: 'visible', timeout: WAIT });
    const text = await chart.innerText();
    assert.match(text, /CPU-bound, processes\s+1\.62x \(0\.28 s vs 0\.45 s\)/);
    assert.match(text, /I\/O-bound, threads\s+3\.96x/);
    // Bars share one scale: the largest speed-up fills its track, a slowdown stays left of 1x.
    const widths = await page.locator('.tl-speedup-fill').evaluateAll((els) => els.map((e) => (e as HTMLElement).getBoundingClientRect().width));
    const track = await page.locator('.tl-speedup-track').first().evaluate((e) => e.getBoundingClientRect().width);
    assert.strictEqual(widths.length, 4);
    assert.ok(Math.abs(Math.max(...widths) - track) <= 3, `largest bar ${Math.max(...widths)} vs track ${track}`);
    assert.ok(widths[0] < track / 3.96 + 2, 'the 0.87x bar is shorter than the 1x mark');
    await page.screenshot({ path: path.join(artifactsDir, 'speedups.png') });
    await page.locator('#tl-tab-timeline').click();
  });

  it('keeps a text summary for screen readers, with every thread name', async () => {
    await page.evaluate(() => window.__pcbTimeline!.app.flushUi());
    const sr = await page.locator('.tl-sr-summary').textContent();
    for (const name of THREAD_NAMES) assert.ok(sr!.includes(name), name);
    assert.match(sr!, /Finished — exit code 0/);
  });

  it('restores the view after the panel is hidden and shown (getState/setState)', async () => {
    await page.evaluate(() => window.__pcbTimeline!.app.setUserView({ t0: 10e6, t1: 30e6 }));
    await page.locator('.tl-flows').click();
    await page.waitForFunction(
      () => {
        const s = (window as unknown as { __state?: { view?: { t0: number }; showFlows?: boolean } }).__state;
        return s?.view?.t0 === 10e6 && s.showFlows === true;
      },
      undefined,
      { timeout: WAIT },
    );
    const state = await page.evaluate(() => (window as unknown as { __state: unknown }).__state);
    assert.ok(JSON.stringify(state).length < 2000, 'persisted state stays compact');
    // A re-shown panel is a new page with the saved state; the extension re-sends the model.
    const reloaded = await browser.context.newPage();
    await reloaded.addInitScript((s) => {
      (window as unknown as { __initialState: unknown }).__initialState = s;
    }, state);
    await reloaded.goto(server.url);
    // Before the model arrives, the header and status come back from the saved state.
    await reloaded.waitForFunction(() => document.body.innerText.includes('Finished — exit code 0'), undefined, { timeout: WAIT });
    await post(reloaded, { type: 'reset', header });
    for (const d of syntheticDeltas()) await post(reloaded, { type: 'delta', delta: d });
    await settled(reloaded);
    assert.deepStrictEqual(await view(reloaded), { t0: 10e6, t1: 30e6 });
    assert.strictEqual(await reloaded.locator('.tl-flows').getAttribute('aria-pressed'), 'true');
    assert.ok((await reloaded.locator('.tl-labels').innerText()).includes('worker-2'));
    await reloaded.close();
    await page.locator('.tl-flows').click();
  });

  it('shows a deadlock banner naming the cycle, highlights it, and Stop posts stop', async () => {
    await post(page, { type: 'reset', header: { ...header, runId: 'run-deadlock', title: 'Lock order deadlock' } });
    await post(page, { type: 'status', status: { state: 'running' }, summary: null });
    await post(page, { type: 'delta', delta: syntheticDeltas()[0] });
    await post(page, { type: 'delta', delta: deadlockDelta() });
    const banner = page.locator('.tl-banner-deadlock');
    await banner.waitFor({ state: 'visible', timeout: WAIT });
    const text = await banner.innerText();
    assert.match(text, /worker-1 waits for Lock b held by worker-2, worker-2 waits for Lock a held by worker-1/);
    assert.strictEqual(await banner.getAttribute('role'), 'alert');
    assert.strictEqual(await page.locator('[data-key="t:11"]').getAttribute('class'), 'tl-label tl-label-thread tl-deadlocked');
    await settled(page);
    // The locks of the cycle are held until now: their open holds are drawn in the held colour.
    for (const obj of [100, 101]) {
      const [got, want] = await page.evaluate(
        ([obj, t]) => {
          const app = window.__pcbTimeline!.app;
          const row = app.layout.rows.find((r) => r.kind === 'object' && r.uid === obj)!;
          const rect = app.canvas.getBoundingClientRect();
          const x = Math.round(((t - app.view.t0) / (app.view.t1 - app.view.t0)) * rect.width);
          const y = Math.round(row.y - app.scroller.scrollTop + row.h / 2);
          const d = app.canvas.getContext('2d')!.getImageData(x, y, 1, 1).data;
          const w = app.palette.holdWords[0];
          return [
            [d[0], d[1], d[2]],
            [w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff],
          ];
        },
        [obj, 67 * MS] as [number, number],
      );
      assert.deepStrictEqual(got, want, `Lock ${obj} is drawn held at 67 ms`);
    }
    await page.screenshot({ path: path.join(artifactsDir, 'deadlock.png') });
    await page.locator('.tl-stop-deadlock').click();
    await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'stop'), undefined, {
      timeout: WAIT,
    });
  });

  it('shows a softer stall banner', async () => {
    await post(page, { type: 'reset', header: { ...header, runId: 'run-stall' } });
    const d = syntheticDeltas()[0];
    d.stalled = true;
    await post(page, { type: 'delta', delta: d });
    const banner = page.locator('.tl-banner-stall');
    await banner.waitFor({ state: 'visible', timeout: WAIT });
    assert.strictEqual(await banner.getAttribute('role'), 'status');
    assert.strictEqual(await page.locator('.tl-banner-deadlock').count(), 0);
    await post(page, { type: 'notice', message: 'Output truncated after 1 MB' });
    await page.locator('.tl-banner-notice').waitFor({ state: 'visible', timeout: WAIT });
  });

  it('does not follow a run whose header turns live following off, but fits its first data', async () => {
    await post(page, { type: 'reset', header: { ...header, runId: 'run-nofollow', followLive: false } });
    await post(page, { type: 'status', status: { state: 'running' }, summary: null });
    await post(page, { type: 'delta', delta: syntheticDeltas()[0] });
    await settled(page);
    assert.strictEqual(await page.locator('.tl-follow').getAttribute('aria-pressed'), 'false');
    const v1 = await view(page);
    assert.ok(v1.t0 === 0 && v1.t1 >= 50 * MS && v1.t1 < 60 * MS, `${v1.t0}..${v1.t1}`);
    await post(page, { type: 'delta', delta: syntheticDeltas()[1] });
    await settled(page);
    assert.deepStrictEqual(await view(page), v1);
  });

  it('clears everything on a reset for another run', async () => {
    await post(page, { type: 'reset', header: { ...header, runId: 'run-empty', title: 'Empty' } });
    await page.waitForFunction(() => document.querySelectorAll('.tl-label').length === 0, undefined, { timeout: WAIT });
    assert.strictEqual(await page.locator('.tl-banner-stall').count(), 0);
    assert.strictEqual(await page.locator('.tl-banner-notice').count(), 0);
    assert.match(await page.locator('.tl-status').innerText(), /Starting/);
  });

  it('renders in the dark theme and keeps its controls reachable by Tab', async () => {
    const dark = await browser.context.newPage();
    await loadRun(dark, `${server.url}?theme=dark`);
    await post(dark, { type: 'status', status: finished, summary: null });
    await settled(dark);
    const bg = await dark.evaluate(() => window.__pcbTimeline!.app.palette.css.background);
    assert.strictEqual(bg, '#1f1f1f');
    await dark.screenshot({ path: path.join(artifactsDir, 'timeline-dark.png') });
    // Tab order reaches the toolbar buttons and the timeline itself.
    const reached = new Set<string>();
    for (let i = 0; i < 10; i++) {
      await dark.keyboard.press('Tab');
      reached.add(await dark.evaluate(() => (document.activeElement as HTMLElement).className));
    }
    // (Follow is disabled once the run has finished.)
    for (const cls of ['tl-button tl-fit', 'tl-button tl-flows', 'tl-tab', 'tl-scroller', 'tl-toggle', 'tl-label-btn tl-label-text']) {
      assert.ok([...reached].some((c) => c === cls), `${cls} not reached by Tab: ${[...reached].join(' | ')}`);
    }
    await dark.close();
  });

  it('draws its icons with the codicon font loaded from dist/codicons, buttons named by text or label', async () => {
    await loadRun(page, server.url);
    // The @font-face of codicon.css, fetched from the page's origin under the CSP.
    await page.waitForFunction(
      () => {
        let loaded = false;
        document.fonts.forEach((f) => {
          if (f.family.replace(/"/g, '') === 'codicon' && f.status === 'loaded') loaded = true;
        });
        return loaded;
      },
      undefined,
      { timeout: WAIT },
    );
    const icons = await page.evaluate(() =>
      Array.from(document.querySelectorAll('.tl-toolbar .codicon')).map((el) => {
        const cs = getComputedStyle(el);
        const before = getComputedStyle(el, '::before');
        return {
          cls: el.className,
          family: cs.fontFamily,
          glyph: before.content,
          width: el.getBoundingClientRect().width,
          hidden: el.getAttribute('aria-hidden'),
          button: (el.closest('button') as HTMLButtonElement).innerText.trim(),
        };
      }),
    );
    assert.deepStrictEqual(
      icons.map((i) => i.cls),
      ['codicon codicon-debug-stop tl-icon', 'codicon codicon-pinned tl-icon', 'codicon codicon-screen-full tl-icon', 'codicon codicon-arrow-swap tl-icon'],
    );
    for (const i of icons) {
      assert.match(i.family, /codicon/, `${i.cls} is drawn with ${i.family}`);
      // One private-use glyph per icon, and the glyph takes room (the font rendered it).
      assert.match(i.glyph, /^"[\uE000-\uF8FF]"$/u, `${i.cls} content ${i.glyph}`);
      assert.ok(i.width >= 10, `${i.cls} is ${i.width}px wide`);
      assert.strictEqual(i.hidden, 'true');
    }
    assert.deepStrictEqual(
      icons.map((i) => i.button),
      ['Stop', 'Follow', 'Zoom to fit', 'Flows'],
    );
    // Icon-only buttons carry their name in aria-label.
    const toggles = await page.locator('.tl-toggle').evaluateAll((els) => els.map((e) => [e.getAttribute('aria-label'), e.querySelector('.codicon')?.className]));
    assert.ok(toggles.length > 0);
    for (const [label, cls] of toggles) {
      assert.match(label ?? '', /^(Collapse|Expand) /);
      assert.match(cls ?? '', /codicon-chevron-(down|right)/);
    }
    assert.strictEqual(await page.locator('svg').count(), 0, 'no inline SVG icons are left');
  });

  it('keeps at least 120 px of drawn lanes in a short panel (600x300)', async () => {
    const small = await browser.context.newPage();
    await small.setViewportSize({ width: 600, height: 300 });
    await loadRun(small, server.url);
    await settled(small);
    const sizes = await small.evaluate(() => {
      const app = window.__pcbTimeline!.app;
      const stats = window.__pcbTimeline!.drawNow();
      const ctx = app.canvas.getContext('2d')!;
      const { width, height } = app.canvas;
      const d = ctx.getImageData(0, 0, width, height).data;
      // Pixels in a thread state's colour (running green, blocked red): lanes were drawn.
      let state = 0;
      for (let i = 0; i < d.length; i += 4) {
        if ((d[i] === 0x38 && d[i + 1] === 0x8a && d[i + 2] === 0x34) || (d[i] === 0xe5 && d[i + 1] === 0x14 && d[i + 2] === 0x00)) state++;
      }
      return {
        canvas: app.canvas.getBoundingClientRect().height,
        scroller: app.scroller.clientHeight,
        threadLanes: stats.threadLanesDrawn,
        state,
      };
    });
    await small.screenshot({ path: path.join(artifactsDir, 'timeline-short.png'), fullPage: true });
    assert.ok(sizes.canvas >= 120, `lanes canvas is ${sizes.canvas}px tall`);
    assert.ok(sizes.scroller >= 120, `lanes area is ${sizes.scroller}px tall`);
    assert.ok(sizes.threadLanes >= 2, `${sizes.threadLanes} thread lanes drawn`);
    assert.ok(sizes.state > 100, `${sizes.state} pixels in state colours`);
    // The lanes can be brought fully into view: the page scrolls (the header goes up), it does
    // not clip them.
    const visible = await small.evaluate(() => {
      const app = window.__pcbTimeline!.app;
      app.canvas.scrollIntoView({ block: 'end' });
      const r = app.canvas.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, vh: innerHeight };
    });
    assert.ok(visible.top >= 0 && visible.bottom <= visible.vh + 1, `canvas at ${visible.top}..${visible.bottom} of ${visible.vh}`);
    await small.close();
  });

  it('saves a screenshot of the light timeline and logged no CSP violation or error', async () => {
    await loadRun(page, server.url);
    await post(page, { type: 'status', status: finished, summary: null });
    await settled(page);
    await page.screenshot({ path: path.join(artifactsDir, 'timeline.png') });
    const violations = await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
    assert.deepStrictEqual(violations, []);
    assert.deepStrictEqual(browser.problems, []);
  });
});
