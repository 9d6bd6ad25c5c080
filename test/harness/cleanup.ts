/**
 * Makes sure what the harness started (code-server process groups, Chromium) is stopped however
 * the harness ends: normal return, thrown error, Ctrl+C (SIGINT), SIGTERM or SIGHUP.
 *
 * Cleanups are async (stopping code-server waits for it to exit). On a signal we run them all,
 * then exit with 128+signal. A `sync` fallback runs on the 'exit' event for the cases where the
 * process exits before the async cleanup could finish (e.g. someone calls process.exit()).
 */
import { HarnessError, step } from './log';

export interface Cleanup {
  name: string;
  run(): Promise<void>;
  /** Last resort inside process.on('exit'): must be synchronous (e.g. SIGKILL a process group). */
  sync?(): void;
}

const cleanups = new Set<Cleanup>();
let installed = false;
let signalled = false;

const SIGNAL_EXIT_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
/** A cleanup that hangs must not keep the harness alive after Ctrl+C. */
const SIGNAL_CLEANUP_TIMEOUT_MS = 15_000;

/** Register a cleanup; returns a function that unregisters it (after it has been run normally). */
export function onCleanup(cleanup: Cleanup): () => void {
  installHandlers();
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/** Run every registered cleanup (newest first). Errors are reported, not thrown. */
export async function runCleanups(): Promise<void> {
  // Cleanups are memoised by their owners, so running one twice (signal + finally) is harmless.
  // It leaves the set only once done, so the 'exit' fallback still covers a cleanup cut short.
  for (const cleanup of [...cleanups].reverse()) {
    try {
      await cleanup.run();
    } catch (err) {
      console.error(`[harness] cleanup "${cleanup.name}" failed:`, err);
    }
    cleanups.delete(cleanup);
  }
}

/** For long-running commands (`npm start`) where Ctrl+C is the normal way to end: exit with 0. */
export function exitCleanlyOnSignal(): void {
  installHandlers();
  for (const signal of Object.keys(SIGNAL_EXIT_CODES)) SIGNAL_EXIT_CODES[signal] = 0;
}

/** True once SIGINT/SIGTERM/SIGHUP arrived: errors that follow are consequences, not causes. */
export function isShuttingDown(): boolean {
  return signalled;
}

/**
 * The end of every harness entry point: run the cleanups, then exit with `code`. If a signal is
 * being handled, the signal handler owns the exit (with 128+signal), so we just wait for it.
 */
export async function finish(code: number): Promise<void> {
  await runCleanups();
  if (!signalled) process.exit(code);
}

/**
 * The common `main().catch(...)` of the harness entry points: a HarnessError prints just its
 * message; anything else prints its stack, since it is probably a bug in the harness itself.
 */
export function reportFatal(err: unknown): number {
  if (isShuttingDown()) {
    // After Ctrl+C the browser and server vanish under our feet: that is not worth a stack trace.
    console.error(`[harness] interrupted (${(err as Error)?.message?.split('\n')[0] ?? err})`);
  } else if (err instanceof HarnessError) console.error(`\n[harness] ERROR: ${err.message}`);
  else console.error('\n[harness] unexpected error:', err);
  return 2;
}

function installHandlers(): void {
  if (installed) return;
  installed = true;
  for (const signal of Object.keys(SIGNAL_EXIT_CODES) as NodeJS.Signals[]) {
    process.on(signal, () => {
      if (signalled) {
        // A second Ctrl+C: stop waiting politely; the 'exit' handler SIGKILLs what is left.
        process.exit(SIGNAL_EXIT_CODES[signal]);
      }
      signalled = true;
      step(`${signal} received: stopping what the harness started (again to force)`);
      const timer = setTimeout(() => process.exit(SIGNAL_EXIT_CODES[signal]), SIGNAL_CLEANUP_TIMEOUT_MS);
      timer.unref();
      void runCleanups().finally(() => process.exit(SIGNAL_EXIT_CODES[signal]));
    });
  }
  process.on('exit', () => {
    for (const cleanup of cleanups) {
      try {
        cleanup.sync?.();
      } catch {
        // nothing more can be done while exiting
      }
    }
  });
}
