/**
 * Where the shipped parts are, relative to the extension's root folder. The bundles live in
 * dist/, so both the extension and the CLI find the root as dist/..
 */
import * as path from 'path';
import { RunRequest, TraceMode } from '../protocol';

export interface InstallLayout {
  root: string;
  workerScript: string;
  tracerDir: string;
  recipesDir: string;
}

export function layoutFromRoot(root: string): InstallLayout {
  return {
    root,
    workerScript: path.join(root, 'dist', 'workerHost.js'),
    tracerDir: path.join(root, 'extension', 'tracer'),
    recipesDir: path.join(root, 'recipes'),
  };
}

export const DEFAULT_MAX_OUTPUT_BYTES = 8 * 1024 * 1024;

export interface RunOptions {
  python: string;
  script: string;
  args?: string[];
  cwd?: string;
  mode?: TraceMode;
  timeoutSec?: number;
  stopOnDeadlock?: boolean;
  maxOutputBytes?: number;
  env?: Record<string, string>;
}

export function makeRunRequest(layout: InstallLayout, o: RunOptions): RunRequest {
  return {
    python: o.python,
    // -u: unbuffered output, so the terminal shows prints as they happen.
    args: ['-u', o.script, ...(o.args ?? [])],
    cwd: o.cwd ?? path.dirname(o.script),
    tracerDir: layout.tracerDir,
    mode: o.mode ?? 'smart',
    env: o.env,
    timeoutSec: o.timeoutSec ?? 0,
    stopOnDeadlock: o.stopOnDeadlock ?? false,
    maxOutputBytes: o.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
  };
}
