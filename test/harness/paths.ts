/**
 * Where the harness keeps things. Everything it downloads or writes lives under `.vscode-test/`
 * (git-ignored) or `test-artifacts/` (git-ignored), never in the user's home directory.
 *
 * This file compiles to out/test/harness/paths.js, so the repository root is three levels up
 * from the compiled file; `PCB_REPO_ROOT` overrides it for unusual layouts.
 */
import * as fs from 'fs';
import * as path from 'path';

export const CODE_SERVER_VERSION = '4.100.3';
/** The VS Code release inside that code-server; also what the electron backend downloads. */
export const VSCODE_VERSION = '1.100.3';

export const REPO_ROOT = process.env.PCB_REPO_ROOT
  ? path.resolve(process.env.PCB_REPO_ROOT)
  : findRepoRoot(__dirname);

export const VSCODE_TEST_DIR = path.join(REPO_ROOT, '.vscode-test');
export const CODE_SERVER_DIR = path.join(VSCODE_TEST_DIR, `code-server-${CODE_SERVER_VERSION}`);
export const CODE_SERVER_ENTRY = path.join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
/** XDG_* and TMPDIR point here so neither npm's postinstalls nor code-server write to ~. */
export const SCRATCH_DIR = path.join(VSCODE_TEST_DIR, 'scratch');
/** One sub-folder per code-server / browser session (fresh profiles, logs). */
export const RUNS_DIR = path.join(VSCODE_TEST_DIR, 'runs');

export const FIXTURE_WORKSPACE = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace');
export const INTEGRATION_ENTRY = path.join(REPO_ROOT, 'out', 'test', 'integration', 'index.js');
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test-artifacts');

export const CHROMIUM_PATH = process.env.PCB_CHROMIUM || '/usr/bin/chromium';
/** Why a browser test or benchmark cannot run, when Chromium is missing; else null. */
export function chromiumMissing(): string | null {
  return fs.existsSync(CHROMIUM_PATH)
    ? null
    : `Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium (or set PCB_CHROMIUM to a Chromium binary)`;
}

/**
 * Walk up from `start` to the directory whose package.json is this extension's manifest.
 * Works both from the compiled out/test/harness and from ts sources run by other tools.
 */
function findRepoRoot(start: string): string {
  let dir = start;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string };
        if (pkg.name === 'parallel-cookbook') return dir;
      } catch {
        // an unreadable package.json is not ours: keep walking up
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the parallel-cookbook repository root above ${start}; set PCB_REPO_ROOT.`);
    dir = parent;
  }
}

/** The environment every child of the harness gets: XDG dirs and TMPDIR under the scratch folder. */
export function scratchEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const dirs = {
    TMPDIR: path.join(SCRATCH_DIR, 'tmp'),
    XDG_CONFIG_HOME: path.join(SCRATCH_DIR, 'xdg', 'config'),
    XDG_DATA_HOME: path.join(SCRATCH_DIR, 'xdg', 'data'),
    XDG_CACHE_HOME: path.join(SCRATCH_DIR, 'xdg', 'cache'),
  };
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
  return { ...base, ...dirs };
}

/** A fresh, uniquely named folder under .vscode-test/runs/ for one session's profiles and logs. */
export function newRunDir(label: string): string {
  fs.mkdirSync(RUNS_DIR, { recursive: true });
  pruneRuns();
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return fs.mkdtempSync(path.join(RUNS_DIR, `${stamp}-${label}-`));
}

/** Folders of failed sessions are kept for inspection; only the newest few are worth keeping. */
const KEEP_RUNS = 10;

function pruneRuns(): void {
  // Names start with an ISO timestamp, so lexical order is chronological.
  const names = fs.readdirSync(RUNS_DIR).sort();
  for (const name of names.slice(0, Math.max(0, names.length - KEEP_RUNS))) {
    fs.rmSync(path.join(RUNS_DIR, name), { recursive: true, force: true });
  }
}
