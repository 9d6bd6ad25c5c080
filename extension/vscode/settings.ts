/**
 * Reads the extension's settings. A workspace must not choose which binary we execute when it is
 * not trusted, so then only the user-level parallelCookbook.pythonPath counts.
 */
import * as vscode from 'vscode';
import { TraceMode } from '../protocol';
import { DEFAULT_MAX_OUTPUT_BYTES } from '../host/layout';

const section = () => vscode.workspace.getConfiguration('parallelCookbook');

export function configuredPythonPath(): string | undefined {
  const config = section();
  if (!vscode.workspace.isTrusted) {
    const user = config.inspect<string>('pythonPath')?.globalValue;
    return user?.trim() || undefined;
  }
  return config.get<string>('pythonPath')?.trim() || undefined;
}

export interface RunSettings {
  mode: TraceMode;
  stopOnDeadlock: boolean;
  maxOutputBytes: number;
  followLive: boolean;
  runArgs: string[];
}

export function runSettings(resource?: vscode.Uri): RunSettings {
  const c = vscode.workspace.getConfiguration('parallelCookbook', resource);
  const kb = c.get<number>('maxOutputKB');
  const args = c.get<unknown>('runArgs');
  return {
    mode: c.get<string>('traceMode') === 'full' ? 'full' : 'smart',
    stopOnDeadlock: c.get<boolean>('stopOnDeadlock') === true,
    maxOutputBytes: typeof kb === 'number' && kb > 0 ? kb * 1024 : DEFAULT_MAX_OUTPUT_BYTES,
    followLive: c.get<boolean>('followLive') !== false,
    runArgs: Array.isArray(args) ? args.filter((a): a is string => typeof a === 'string') : [],
  };
}
