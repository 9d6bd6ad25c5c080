/**
 * Reading and driving the timeline webview inside the real workbench, for the e2e tests.
 *
 * What a person sees is read from the webview's DOM (status line, lane labels, process headers,
 * banners, tooltip, inspector). Where a test must point the mouse at something drawn on the
 * canvas, it asks the page's read-only test hook (window.__pcbTimeline, set by webview/main.ts)
 * where that span is drawn, then moves the real mouse there: hit testing, the tooltip and the
 * inspector are the product's own, and the test checks what they say against the model.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Frame, Page } from 'playwright-core';
import { step } from '../harness/log';
import { REPO_ROOT } from '../harness/paths';
import { RUN_RECIPE_COMMAND } from './recipes';
import { hidePrimarySideBar, limitPanelHeight, pickQuickPickItem, runCommand } from './workbench';

/** When set (to a folder), the tests also write the README's pictures there (captureScreenshots.ts). */
export const README_SHOTS_ENV = 'PCB_README_SCREENSHOTS';
/** The size the README pictures are taken at; the e2e tests use it too, so both see one layout. */
export const VIEWPORT = { width: 1280, height: 800 };

export interface ProcessHeader {
  name: string;
  /** "pid 123 · fork · exit code 0" */
  meta: string;
  pid: number | null;
  /** Indentation level in the process tree (0 = the root process). */
  depth: number;
}

/** The timeline as a person reads it. */
export interface TimelineText {
  title: string;
  status: string;
  records: string;
  threads: string[];
  processes: ProcessHeader[];
  deadlockBanners: string[];
  /** Text of the tooltip when shown, else null. */
  tooltip: string | null;
  /** Text of the details panel when shown, else null. */
  inspector: string | null;
  gotoTitle: string | null;
  stopEnabled: boolean;
  bannerStopEnabled: boolean | null;
}

function depthOf(frame: Frame): number {
  let depth = 0;
  for (let f = frame.parentFrame(); f; f = f.parentFrame()) depth++;
  return depth;
}

/** The webview frames of the workbench (see workbench.ts). */
function webviewFrames(page: Page): Frame[] {
  return page.frames().filter((f) => f.url().includes('/contrib/webview/'));
}

async function timelineRunId(frame: Frame, title: string | undefined): Promise<string | null> {
  try {
    return await frame.evaluate((want) => {
      const dbg = window.__pcbTimeline;
      if (!document.querySelector('.tl-app') || !dbg) return null;
      // The run's header arrives with its first message; another run's panel has another title.
      const header = dbg.app.store.header;
      if (want !== null && header?.title !== want) return null;
      return header?.runId ?? '';
    }, title ?? null);
  } catch {
    return null; // navigating or detached: asked again on the next poll
  }
}

/**
 * Polls until a webview frame holds the timeline app (of the run titled `title`, when given:
 * each run has its own panel; and of none of the runs in `notRuns`: a run of the same recipe
 * started earlier); returns it.
 */
export async function waitForTimelineFrame(page: Page, timeoutMs: number, title?: string, notRuns: string[] = []): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of webviewFrames(page)) {
      const runId = await timelineRunId(frame, title);
      if (runId !== null && !notRuns.includes(runId)) return frame;
    }
    if (Date.now() >= deadline) {
      const urls = webviewFrames(page).map((f) => `depth ${depthOf(f)} ${f.url().slice(0, 120)}`);
      throw new Error(`Within ${timeoutMs / 1000} s no webview frame held the timeline (.tl-app)${title ? ` of "${title}"` : ''}. Webview frames: ${JSON.stringify(urls)}`);
    }
    await page.waitForTimeout(50);
  }
}

/** The run id a timeline frame shows. */
export async function runIdOf(frame: Frame): Promise<string> {
  return (await timelineRunId(frame, undefined)) ?? '';
}

/** Reads the timeline's visible text. */
export async function readTimeline(frame: Frame): Promise<TimelineText> {
  return frame.evaluate(() => {
    const text = (sel: string) => (document.querySelector(sel)?.textContent ?? '').trim();
    const visible = (sel: string) => {
      const el = document.querySelector<HTMLElement>(sel);
      return el && !el.hidden ? (el.innerText || el.textContent || '').trim() : null;
    };
    const processes = Array.from(document.querySelectorAll<HTMLElement>('.tl-labels .tl-label-process')).map((el) => {
      const name = (el.querySelector('.tl-label-text')?.textContent ?? '').trim();
      const meta = (el.querySelector('.tl-label-meta')?.textContent ?? '').trim();
      const m = /pid (\d+)/.exec(meta);
      // Labels are indented 12 px per level of the process tree (ui/labels.ts).
      const pad = parseFloat(el.style.paddingLeft || '4');
      return { name, meta, pid: m ? Number(m[1]) : null, depth: Math.max(0, Math.round((pad - 4) / 12)) };
    });
    const goto = document.querySelector<HTMLElement>('.tl-inspector:not([hidden]) .tl-goto');
    const bannerStop = document.querySelector<HTMLButtonElement>('.tl-banner-deadlock .tl-stop-deadlock');
    return {
      title: text('.tl-title'),
      status: text('.tl-status'),
      records: text('.tl-records'),
      threads: Array.from(document.querySelectorAll('.tl-labels .tl-label-thread')).map((el) => (el.textContent ?? '').trim()),
      processes,
      deadlockBanners: Array.from(document.querySelectorAll('.tl-banner-deadlock .tl-banner-text')).map((el) => (el.textContent ?? '').trim()),
      tooltip: visible('.tl-tooltip'),
      inspector: visible('.tl-inspector'),
      gotoTitle: goto ? goto.getAttribute('title') : null,
      stopEnabled: !(document.querySelector<HTMLButtonElement>('.tl-toolbar .tl-stop')?.disabled ?? true),
      bannerStopEnabled: bannerStop ? !bannerStop.disabled : null,
    };
  });
}

/**
 * Polls the timeline until `accept` holds; on timeout, throws naming `expectation` with what the
 * timeline showed at the last poll. The frame is looked up again if the webview was reloaded.
 */
export async function waitForTimeline(
  page: Page,
  frame: Frame,
  accept: (t: TimelineText) => boolean,
  expectation: string,
  timeoutMs: number,
  title?: string,
): Promise<{ frame: Frame; text: TimelineText }> {
  const deadline = Date.now() + timeoutMs;
  let last: TimelineText | null = null;
  let lastError = '';
  for (;;) {
    try {
      if (frame.isDetached()) frame = await waitForTimelineFrame(page, Math.max(1_000, deadline - Date.now()), title);
      last = await readTimeline(frame);
      if (accept(last)) return { frame, text: last };
    } catch (err) {
      lastError = (err as Error).message.split('\n')[0];
    }
    if (Date.now() >= deadline) break;
    await page.waitForTimeout(200);
  }
  throw new Error(
    `Within ${timeoutMs / 1000} s the timeline did not show ${expectation}.\n` +
      `It showed: ${last ? JSON.stringify(last, null, 1) : '(nothing could be read)'}${lastError ? `\nLast error: ${lastError}` : ''}`,
  );
}

// ---------------------------------------------------------------------------------------------
// The live recorder: samples the timeline inside the page every 40 ms, so a test can tell what
// it showed while the run was going on without depending on how fast the test process polls.

export interface LiveSample {
  /** ms since the recorder started. */
  at: number;
  /** Date.now() in the page (the same clock as the test's on this machine) when first seen... */
  wall: number;
  /** ...and when last seen (the state lasted at least until then). */
  until: number;
  status: string;
  running: boolean;
  threadLanes: number;
  processLanes: number;
  spans: number;
  records: number;
}

export async function startLiveRecorder(frame: Frame): Promise<void> {
  await frame.evaluate(() => {
    const w = window as unknown as { __pcbE2eLive?: LiveSample[] };
    if (w.__pcbE2eLive) return;
    const samples: LiveSample[] = [];
    w.__pcbE2eLive = samples;
    const t0 = performance.now();
    const tick = () => {
      const app = window.__pcbTimeline?.app;
      const s = {
        at: Math.round(performance.now() - t0),
        wall: Date.now(),
        until: Date.now(),
        status: (document.querySelector('.tl-status')?.textContent ?? '').trim(),
        running: !!app && app.running,
        threadLanes: document.querySelectorAll('.tl-labels .tl-label-thread').length,
        processLanes: document.querySelectorAll('.tl-labels .tl-label-process').length,
        spans: app ? app.store.spanCount : 0,
        records: app ? app.store.records.total : 0,
      };
      const p = samples[samples.length - 1];
      const changed =
        !p || p.status !== s.status || p.running !== s.running || p.threadLanes !== s.threadLanes || p.processLanes !== s.processLanes || p.spans !== s.spans || p.records !== s.records;
      if (changed) samples.push(s);
      else p.until = s.wall;
      if (samples.length < 5_000) setTimeout(tick, 40);
    };
    tick();
  });
}

export async function readLiveSamples(frame: Frame): Promise<LiveSample[]> {
  return frame.evaluate(() => (window as unknown as { __pcbE2eLive?: LiveSample[] }).__pcbE2eLive ?? []);
}

export function formatSamples(samples: LiveSample[]): string {
  return samples.map((s) => `${String(s.at).padStart(6)} ms  ${s.status.padEnd(28)} lanes ${s.threadLanes} processes ${s.processLanes} spans ${s.spans} records ${s.records}`).join('\n');
}

// ---------------------------------------------------------------------------------------------
// Spans on the canvas

export interface SpanTarget {
  thread: string;
  threadUid: number;
  index: number;
  /** 0 running, 1 blocked, 2 waiting, 3 sleeping. */
  state: number;
  waitKind: number;
  startNs: number;
  endNs: number;
  site: { file: string; line: number; func: string };
  /** Where to point, in CSS px relative to the canvas's top-left corner. */
  x: number;
  y: number;
  widthPx: number;
}

/**
 * The widest drawn span (in pixels, at the current view) of a thread lane whose record carries a
 * source site, preferring waits (blocked, waiting, sleeping) over running. Only lanes fully
 * visible in the scroller are considered; `threadNames`, when given, restricts to those threads.
 */
export async function findSpanWithSource(frame: Frame, threadNames?: string[]): Promise<SpanTarget | null> {
  return frame.evaluate((names) => {
    const dbg = window.__pcbTimeline;
    if (!dbg) return null;
    const app = dbg.app;
    dbg.drawNow(); // layout and view up to date with the model
    const store = app.store;
    store.prepare();
    const width = app.renderer.cssWidth;
    const view = app.view;
    const nsPerPx = (view.t1 - view.t0) / width;
    const scrollTop = app.scroller.scrollTop;
    const viewH = app.scroller.clientHeight;
    let best: SpanTarget | null = null;
    let bestScore = -1;
    for (const row of app.layout.rows) {
      if (row.kind !== 'thread') continue;
      const top = row.y - scrollTop;
      if (top < 0 || top + row.h > viewH) continue;
      const name = store.threadName(row.uid);
      if (names && !names.includes(name)) continue;
      const lane = store.spans.get(row.uid);
      if (!lane) continue;
      for (let i = 0; i < lane.length; i++) {
        const siteId = lane.site[i];
        const site = siteId >= 0 ? store.sites.get(siteId) : undefined;
        if (!site || !site.file || site.line < 1) continue;
        const x0 = Math.max(0, (lane.start[i] - view.t0) / nsPerPx);
        const x1 = Math.min(width, (lane.end[i] - view.t0) / nsPerPx);
        const w = x1 - x0;
        if (w < 8) continue;
        // A wait of the same width beats running; among equals the wider wins.
        const score = w + (lane.state[i] !== 0 ? 10_000 : 0);
        if (score <= bestScore) continue;
        bestScore = score;
        best = {
          thread: name,
          threadUid: row.uid,
          index: i,
          state: lane.state[i],
          waitKind: lane.waitKind[i],
          startNs: lane.start[i],
          endNs: lane.end[i],
          site: { file: site.file, line: site.line, func: site.func },
          x: Math.round((x0 + x1) / 2),
          // Below the band where instant markers are drawn (hitTest.ts: the top 7 px).
          y: Math.round(top + row.h * 0.7),
          widthPx: w,
        };
      }
    }
    return best;
  }, threadNames ?? null);
}

/** Page coordinates of a point given relative to the timeline canvas. */
export async function canvasPointOnPage(frame: Frame, x: number, y: number): Promise<{ x: number; y: number }> {
  const box = await frame.locator('canvas.tl-canvas').boundingBox();
  if (!box) throw new Error('The timeline canvas has no bounding box (not displayed)');
  return { x: box.x + x, y: box.y + y };
}

// ---------------------------------------------------------------------------------------------
// The workbench around the webview

/** Text of the active editor tab of the active editor group. */
export async function activeEditorTab(page: Page): Promise<string> {
  const tab = page.locator('.editor-group-container.active .tabs-container .tab.active').first();
  return (await tab.innerText().catch(() => '')).trim();
}

/** "Ln 12, Col 1" from the status bar, or null when no text editor is active. */
export async function statusBarCursor(page: Page): Promise<{ line: number; col: number } | null> {
  const texts = await page.locator('.part.statusbar .statusbar-item').allInnerTexts();
  for (const t of texts) {
    const m = /Ln (\d+), Col (\d+)/.exec(t);
    if (m) return { line: Number(m[1]), col: Number(m[2]) };
  }
  return null;
}

/** Polls `probe` until it returns a value `accept` takes; throws with the last value otherwise. */
export async function waitFor<T>(page: Page, probe: () => Promise<T>, accept: (v: T) => boolean, expectation: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await probe();
    if (accept(last)) return last;
    if (Date.now() >= deadline) throw new Error(`Within ${timeoutMs / 1000} s: expected ${expectation}; last seen: ${JSON.stringify(last)}`);
    await page.waitForTimeout(200);
  }
}

// ---------------------------------------------------------------------------------------------
// Screenshots

/** A screenshot kept as a test artifact (test-artifacts/e2e/<test>-<what>.png). */
export async function artifactShot(page: Page, artifactsDir: string, testName: string, what: string): Promise<string> {
  const file = path.join(artifactsDir, `${testName}-${what}.png`);
  await page.screenshot({ path: file });
  step(`screenshot: ${file}`);
  return file;
}

/**
 * When the README pictures are being regenerated (README_SHOTS_ENV names a folder), also writes
 * `name` there. Returns the file written, or null.
 */
export async function readmeShot(page: Page, name: string): Promise<string | null> {
  const dir = process.env[README_SHOTS_ENV];
  if (!dir) return null;
  const out = path.resolve(REPO_ROOT, dir);
  fs.mkdirSync(out, { recursive: true });
  const file = path.join(out, name);
  await page.screenshot({ path: file });
  step(`README picture: ${path.relative(REPO_ROOT, file)} (${Math.round(fs.statSync(file).size / 1024)} KB)`);
  return file;
}

/** The text of `line` (1-based) of a file. */
export function sourceLine(file: string, line: number): string {
  return fs.readFileSync(file, 'utf8').split('\n')[line - 1] ?? '';
}

// ---------------------------------------------------------------------------------------------
// Running a recipe as a person does

/** F1 -> "Parallel Cookbook: Run Recipe" -> pick `title`. Returns when the pick was made (Date.now()). */
export async function runRecipeFromPalette(page: Page, title: string): Promise<number> {
  await runCommand(page, RUN_RECIPE_COMMAND);
  await pickQuickPickItem(page, title);
  step(`picked "${title}"; waiting for its timeline`);
  return Date.now();
}

/** Room for the lanes: no side bar, a low terminal panel (once the run has opened it). */
export async function tidyLayout(page: Page): Promise<void> {
  await hidePrimarySideBar(page);
  await limitPanelHeight(page, PANEL_HEIGHT);
}

/** Height of the terminal panel in the tests and the pictures. */
export const PANEL_HEIGHT = 150;

// ---------------------------------------------------------------------------------------------
// A screencast (Chromium's, over CDP): every frame the page paints, cheap enough to keep up with
// a live run where one page.screenshot() after another would miss most of it.

export interface ScreencastFrame {
  /** Wall-clock ms when Chromium painted it. */
  at: number;
  png: Buffer;
}

export interface Screencast {
  stop(): Promise<ScreencastFrame[]>;
}

export async function startScreencast(page: Page, size = VIEWPORT): Promise<Screencast> {
  const cdp = await page.context().newCDPSession(page);
  const frames: ScreencastFrame[] = [];
  cdp.on('Page.screencastFrame', (f: { data: string; sessionId: number; metadata: { timestamp?: number } }) => {
    frames.push({ at: f.metadata.timestamp ? f.metadata.timestamp * 1000 : Date.now(), png: Buffer.from(f.data, 'base64') });
    void cdp.send('Page.screencastFrameAck', { sessionId: f.sessionId }).catch(() => undefined);
  });
  await cdp.send('Page.startScreencast', { format: 'png', maxWidth: size.width, maxHeight: size.height, everyNthFrame: 1 });
  return {
    async stop() {
      await cdp.send('Page.stopScreencast').catch(() => undefined);
      await cdp.detach().catch(() => undefined);
      return frames;
    },
  };
}

/**
 * Up to `n` frames painted while the timeline said "Running…" with lanes, showing different
 * numbers of lanes: the run's stages are grouped by lane count, `n` groups are taken spread over
 * them (the first, the last, between), and from each the frame painted nearest the middle of the
 * time it lasted (the last stage ends with every process gone, waiting for the run's status).
 * When the lane count changed fewer than `n` times, frames spread over the time it ran fill in.
 */
export function liveFrames(frames: ScreencastFrame[], samples: LiveSample[], n: number): ScreencastFrame[] {
  const running = samples.filter((s) => s.running && /^Running/.test(s.status) && s.threadLanes > 0);
  if (running.length === 0 || n < 1) return [];
  const from = running[0].wall;
  const to = running[running.length - 1].until;
  const inWindow = frames.filter((f) => f.at >= from && f.at <= to);
  const groups: { lanes: number; from: number; to: number }[] = [];
  for (const s of running) {
    const lanes = s.threadLanes + s.processLanes;
    const g = groups[groups.length - 1];
    if (g && g.lanes === lanes) g.to = s.until;
    else groups.push({ lanes, from: s.wall, to: s.until });
  }
  const picked: ScreencastFrame[] = [];
  const take = (f: ScreencastFrame | undefined) => {
    if (f && !picked.includes(f) && picked.length < n) picked.push(f);
  };
  const chosen = n === 1 ? [groups.length - 1] : [...new Set(Array.from({ length: n }, (_, i) => Math.round((i * (groups.length - 1)) / (n - 1))))];
  for (const gi of chosen) {
    const g = groups[gi];
    const mid = (g.from + g.to) / 2;
    const during = inWindow.filter((f) => f.at >= g.from && f.at <= g.to && !picked.includes(f));
    take(during.length ? during.reduce((best, f) => (Math.abs(f.at - mid) < Math.abs(best.at - mid) ? f : best)) : undefined);
  }
  for (let i = 0; picked.length < n && i < n && inWindow.length > 0; i++) {
    const want = n === 1 ? to : from + ((to - from) * i) / (n - 1);
    const left = inWindow.filter((f) => !picked.includes(f));
    if (left.length === 0) break;
    take(left.reduce((best, f) => (Math.abs(f.at - want) < Math.abs(best.at - want) ? f : best)));
  }
  return picked.sort((a, b) => a.at - b.at);
}

/** Writes a README picture from PNG bytes (only when README_SHOTS_ENV is set). */
export function readmePicture(name: string, png: Buffer): string | null {
  const dir = process.env[README_SHOTS_ENV];
  if (!dir) return null;
  const out = path.resolve(REPO_ROOT, dir);
  fs.mkdirSync(out, { recursive: true });
  const file = path.join(out, name);
  fs.writeFileSync(file, png);
  step(`README picture: ${path.relative(REPO_ROOT, file)} (${Math.round(png.length / 1024)} KB)`);
  return file;
}

export function readmePicturesWanted(): boolean {
  return !!process.env[README_SHOTS_ENV];
}
