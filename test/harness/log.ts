/** Timestamped progress lines, so a slow step in CI shows where the time went. */
const t0 = Date.now();

export function elapsed(): string {
  return `${((Date.now() - t0) / 1000).toFixed(1)}s`;
}

export function step(message: string): void {
  console.log(`[harness ${elapsed()}] ${message}`);
}

/** An Error whose message is meant for the person reading the terminal, printed without a stack. */
export class HarnessError extends Error {
  override name = 'HarnessError';
}

/** Last `lines` lines of a text, for quoting a log in an error message. */
export function tail(text: string, lines = 30): string {
  return text.split('\n').slice(-lines).join('\n');
}
