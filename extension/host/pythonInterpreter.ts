/**
 * Finds and checks the Python interpreter a run uses: it must exist, be Python, and be 3.8 or
 * newer. Each interpreter is checked once per session (the result is cached by path).
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export interface PythonInfo {
  executable: string; // what to spawn (the resolved sys.executable)
  version: string; // "3.11.7"
}

export class PythonError extends Error {}

export const MIN_PYTHON: [number, number] = [3, 8];
const PROBE = "import sys; print('PCB-PY %d.%d.%d %s' % (sys.version_info[0], sys.version_info[1], sys.version_info[2], sys.executable))";

const cache = new Map<string, Promise<PythonInfo>>();

/** The interpreters to try, in order: the configured one only, else python3 then python. */
export function pythonCandidates(configured: string | undefined): string[] {
  const c = configured?.trim();
  return c ? [c] : ['python3', 'python'];
}

export async function resolvePython(configured: string | undefined): Promise<PythonInfo> {
  const candidates = pythonCandidates(configured);
  let lastError: PythonError | null = null;
  for (const candidate of candidates) {
    try {
      return await checkPython(candidate);
    } catch (err) {
      lastError = err instanceof PythonError ? err : new PythonError(String(err));
      // A configured interpreter that fails is final: never silently run another binary.
      if (configured?.trim()) throw lastError;
    }
  }
  throw new PythonError(
    `No Python interpreter found (tried ${candidates.join(', ')} on PATH). Install Python ${MIN_PYTHON.join('.')}+ or set parallelCookbook.pythonPath.`,
  );
}

export function checkPython(executable: string): Promise<PythonInfo> {
  let p = cache.get(executable);
  if (!p) {
    p = probe(executable);
    cache.set(executable, p);
    p.catch(() => cache.delete(executable)); // a fixed install may be retried
  }
  return p;
}

function probe(executable: string): Promise<PythonInfo> {
  if (executable.includes(path.sep) && !fs.existsSync(executable)) {
    return Promise.reject(new PythonError(`The Python interpreter "${executable}" does not exist. Check parallelCookbook.pythonPath.`));
  }
  return new Promise((resolve, reject) => {
    execFile(executable, ['-c', PROBE], { timeout: 15000, env: { ...process.env, PYTHONPATH: '' } }, (err, stdout) => {
      const m = /PCB-PY (\d+)\.(\d+)\.(\d+) (.*)/.exec(stdout ?? '');
      if (!m) {
        const code = (err as NodeJS.ErrnoException | null)?.code;
        if (code === 'ENOENT') return reject(new PythonError(`Python interpreter not found: "${executable}".`));
        if (code === 'EACCES') return reject(new PythonError(`"${executable}" is not executable.`));
        return reject(new PythonError(`"${executable}" is not a working Python interpreter${err ? `: ${firstLine(err.message)}` : ''}.`));
      }
      const [major, minor] = [Number(m[1]), Number(m[2])];
      const version = `${m[1]}.${m[2]}.${m[3]}`;
      if (major < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor < MIN_PYTHON[1])) {
        return reject(new PythonError(`Python ${MIN_PYTHON.join('.')} or newer is required; "${executable}" is Python ${version}.`));
      }
      resolve({ executable: m[4].trim() || executable, version });
    });
  });
}

function firstLine(s: string): string {
  return s.split('\n').find((l) => l.trim()) ?? s;
}
