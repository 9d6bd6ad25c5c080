/**
 * Debian's Chromium driven by playwright-core (which ships no browser of its own), headless,
 * with a fresh profile per session. Playwright's own signal handlers are turned off: they call
 * process.exit() as soon as the browser is closed, which would cut short our async stop of
 * code-server. cleanup.ts closes the browser instead.
 */
import * as fs from 'fs';
import * as path from 'path';
import { BrowserContext, Page, chromium } from 'playwright-core';
import { onCleanup } from './cleanup';
import { HarnessError, step } from './log';
import { CHROMIUM_PATH, chromiumMissing, newRunDir, scratchEnv } from './paths';

/** From the reference: what Chromium needs headless, as root, with no network but 127.0.0.1. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function launchChromium(label: string): Promise<Browser> {
  const missing = chromiumMissing();
  if (missing) throw new HarnessError(missing);
  const profileRoot = newRunDir(`chromium-${label}`);
  const userDataDir = path.join(profileRoot, 'profile');
  step(`launching ${CHROMIUM_PATH} (headless, profile ${userDataDir})`);
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 900 },
      env: scratchEnv(process.env) as Record<string, string>,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      timeout: 60_000,
    });
  } catch (err) {
    fs.rmSync(profileRoot, { recursive: true, force: true });
    throw new HarnessError(`Could not launch Chromium at ${CHROMIUM_PATH}: ${(err as Error).message}`);
  }
  const page = context.pages()[0] ?? (await context.newPage());
  // Memoised for the same reason as code-server's stop(): a signal and a `finally` may race.
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      await context.close().catch(() => undefined);
      unregister();
      fs.rmSync(profileRoot, { recursive: true, force: true });
    })());
  // Playwright's own process.on('exit') handler still SIGKILLs the browser if we never get here.
  const unregister = onCleanup({ name: 'chromium', run: close });
  return { context, page, close };
}
