/**
 * Driving the VS Code web workbench the way a person does: keyboard, command palette, quick
 * picks, and reading what a webview shows. Every wait is for a visible condition, with a timeout.
 */
import type { Frame, Page } from 'playwright-core';

const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_BOX = `${QUICK_INPUT} .quick-input-box input`;
const QUICK_INPUT_ROW = `${QUICK_INPUT} .quick-input-list .monaco-list-row`;

/** Open the workbench URL and wait until the workbench has rendered its parts. */
export async function openWorkbench(page: Page, url: string, timeoutMs = 60_000): Promise<void> {
  await page.goto(url, { timeout: timeoutMs });
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: timeoutMs });
}

/**
 * F1, type `>title`, wait for the command's row, Enter. The palette computes its list when it
 * opens, so one opened before the extension host has registered the extension's contributions
 * never shows the command: reopen it (Escape, F1) until the row appears or `timeoutMs` passes.
 */
export async function runCommand(page: Page, title: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const input = page.locator(QUICK_INPUT_BOX);
  const row = page.locator(QUICK_INPUT_ROW, { hasText: title }).first();
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: Math.max(1_000, deadline - Date.now()) });
    await input.fill(`>${title}`);
    try {
      await row.waitFor({ state: 'visible', timeout: Math.min(2_000, Math.max(1_000, deadline - Date.now())) });
      break;
    } catch {
      if (Date.now() >= deadline) {
        const rows = await page.locator(QUICK_INPUT_ROW).allInnerTexts();
        throw new Error(
          `The command palette has no row "${title}" after ${timeoutMs / 1000} s (${attempt} attempts); it lists: ${JSON.stringify(rows)}`,
        );
      }
      await page.keyboard.press('Escape');
      await input.waitFor({ state: 'hidden', timeout: 5_000 });
    }
  }
  await page.keyboard.press('Enter');
}

/**
 * In the quick pick a command opened: wait until the palette has given way to it (its input no
 * longer holds the `>command` text), type `label`, wait for the matching row, Enter.
 */
export async function pickQuickPickItem(page: Page, label: string, timeoutMs = 30_000): Promise<void> {
  const input = page.locator(QUICK_INPUT_BOX);
  try {
    await page.waitForFunction(
      (selector) => {
        const el = document.querySelector<HTMLInputElement>(selector);
        return !!el && el.offsetParent !== null && !el.value.startsWith('>');
      },
      QUICK_INPUT_BOX,
      { timeout: timeoutMs },
    );
  } catch {
    throw new Error(`No quick pick opened within ${timeoutMs / 1000} s after the command (the input still shows "${await input.inputValue().catch(() => '?')}")`);
  }
  await input.fill(label);
  const row = page.locator(QUICK_INPUT_ROW, { hasText: label }).first();
  try {
    await row.waitFor({ state: 'visible', timeout: timeoutMs });
  } catch {
    const rows = await page.locator(QUICK_INPUT_ROW).allInnerTexts();
    throw new Error(`The quick pick has no item "${label}" after ${timeoutMs / 1000} s; it lists: ${JSON.stringify(rows)}`);
  }
  await page.keyboard.press('Enter');
}

export interface FrameText {
  url: string;
  depth: number;
  text: string;
}

function depthOf(frame: Frame): number {
  let depth = 0;
  for (let f = frame.parentFrame(); f; f = f.parentFrame()) depth++;
  return depth;
}

/**
 * The workbench serves each webview from .../contrib/webview/browser/pre/ (index.html, then the
 * content in a nested frame, depth 3 in all). Matching on that keeps out the main frame (terminal,
 * notifications: they may say "exit code 0" too) and the web-worker extension host's frame.
 */
function isWebviewFrame(frame: Frame): boolean {
  return frame.url().includes('/contrib/webview/');
}

/** innerText of every webview frame. */
export async function webviewFrameTexts(page: Page): Promise<FrameText[]> {
  const texts: FrameText[] = [];
  for (const frame of page.frames()) {
    if (!isWebviewFrame(frame)) continue;
    try {
      const text = await frame.evaluate(() => (document.body ? document.body.innerText : ''));
      texts.push({ url: frame.url(), depth: depthOf(frame), text });
    } catch {
      // The frame navigated or was detached while we asked: it is read again on the next poll.
    }
  }
  return texts;
}

/**
 * Poll the webview frames until one's text satisfies `accept`; on timeout, throw an error naming
 * `expectation` and quoting what every frame contained at the last poll.
 */
export async function waitForFrameText(
  page: Page,
  accept: (text: string) => boolean,
  expectation: string,
  timeoutMs: number,
): Promise<FrameText> {
  const deadline = Date.now() + timeoutMs;
  let last: FrameText[] = [];
  for (;;) {
    last = await webviewFrameTexts(page);
    const found = last.find((f) => accept(f.text));
    if (found) return found;
    if (Date.now() >= deadline) break;
    await page.waitForTimeout(250);
  }
  const dump = last.length
    ? last.map((f) => `--- frame depth ${f.depth} ${f.url.slice(0, 120)}\n${f.text.trim().slice(0, 2_000) || '(empty)'}`).join('\n')
    : '(no webview frame: no webview is open)';
  throw new Error(`Within ${timeoutMs / 1000} s no webview frame showed ${expectation}.\nFrames at the last poll:\n${dump}`);
}

/**
 * Hides the primary side bar (the Explorer) when it is shown, leaving the editor area the whole
 * width: the timeline tests and the README's pictures want room for lanes.
 */
export async function hidePrimarySideBar(page: Page, timeoutMs = 60_000): Promise<void> {
  const sidebar = page.locator('.monaco-workbench .part.sidebar');
  if (!(await sidebar.isVisible())) return;
  await runCommand(page, 'View: Toggle Primary Side Bar Visibility', timeoutMs);
  await sidebar.waitFor({ state: 'hidden', timeout: timeoutMs });
}

/**
 * Makes the bottom panel (terminal, output...) at most `height` px tall by dragging the sash
 * between it and the editor area, as a person would. Does nothing when the panel is hidden or
 * already low enough.
 */
export async function limitPanelHeight(page: Page, height: number): Promise<void> {
  const panel = page.locator('.monaco-workbench .part.panel');
  if (!(await panel.isVisible())) return;
  const box = await panel.boundingBox();
  if (!box || box.height <= height + 4) return;
  // The sash is a 4 px strip centred on the panel's top edge.
  const sashes = await page.locator('.monaco-workbench .monaco-sash.horizontal:not(.disabled)').evaluateAll((els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { x: r.x, y: r.y, w: r.width, h: r.height };
    }),
  );
  const sash = sashes.find((s) => Math.abs(s.y + s.h / 2 - box.y) <= 4 && s.w > 0);
  if (!sash) throw new Error(`No sash on the panel's top edge (y ${box.y}); sashes: ${JSON.stringify(sashes)}`);
  const x = sash.x + sash.w / 2;
  const y = sash.y + sash.h / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x, y + (box.height - height), { steps: 8 });
  await page.mouse.up();
  await page.waitForFunction(
    ([sel, h]) => {
      const el = document.querySelector(sel as string);
      return !!el && el.getBoundingClientRect().height <= (h as number) + 4;
    },
    ['.monaco-workbench .part.panel', height] as const,
    { timeout: 10_000 },
  );
}
