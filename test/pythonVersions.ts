/**
 * The CPython interpreters the tests run against: every 3.8–3.13 under `$(pyenv root)/versions`.
 * A version that is absent is reported (by `reportMissing`), never faked.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const SUPPORTED_MINORS = ['3.8', '3.9', '3.10', '3.11', '3.12', '3.13'];

export interface InstalledPython {
  minor: string; // "3.11"
  version: string; // "3.11.7"
  executable: string;
}

function pyenvRoot(): string | null {
  if (process.env.PYENV_ROOT) return process.env.PYENV_ROOT;
  try {
    return execFileSync('pyenv', ['root'], { encoding: 'utf8' }).trim();
  } catch {
    const guess = path.join(os.homedir(), '.pyenv');
    return fs.existsSync(guess) ? guess : null;
  }
}

let cached: InstalledPython[] | null = null;

/** Installed interpreters, one per supported minor version (the newest patch release). */
export function installedPythons(): InstalledPython[] {
  if (cached) return cached;
  const root = pyenvRoot();
  const found = new Map<string, InstalledPython>();
  const dir = root ? path.join(root, 'versions') : null;
  if (dir && fs.existsSync(dir)) {
    for (const version of fs.readdirSync(dir).sort(byVersion)) {
      const m = /^(\d+\.\d+)\.\d+$/.exec(version);
      if (!m || !SUPPORTED_MINORS.includes(m[1])) continue;
      const executable = path.join(dir, version, 'bin', 'python3');
      if (fs.existsSync(executable)) found.set(m[1], { minor: m[1], version, executable });
    }
  }
  cached = SUPPORTED_MINORS.filter((v) => found.has(v)).map((v) => found.get(v)!);
  return cached;
}

export function missingMinors(): string[] {
  const have = new Set(installedPythons().map((p) => p.minor));
  return SUPPORTED_MINORS.filter((v) => !have.has(v));
}

/** Prints, once, which supported versions are missing so a test log shows it plainly. */
let reported = false;
export function reportMissing(): void {
  if (reported) return;
  reported = true;
  const missing = missingMinors();
  if (missing.length > 0) console.log(`    (Python ${missing.join(', ')} not installed here: not tested)`);
}

/** The interpreter most tests use when one version is enough: the newest installed, else python3. */
export function defaultPython(): string {
  const all = installedPythons();
  return all.length > 0 ? all[all.length - 1].executable : 'python3';
}

function byVersion(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
