/**
 * The interpreter chosen in the Python extension (ms-python.python), read through its API
 * (@vscode/python-extension). This module only sees the API's shape, so it is testable in plain
 * Node with a fake; extension/vscode/interpreter.ts hands it the real one when it is installed.
 */

export interface PythonEnvironmentsApi {
  getActiveEnvironmentPath(resource?: unknown): { path: string };
  resolveEnvironment(environment: string | { path: string }): Promise<{ executable: { uri?: { fsPath: string } } } | undefined>;
}

/** The selected interpreter's executable, or undefined when none is selected or it cannot be resolved. */
export async function selectedInterpreterPath(api: PythonEnvironmentsApi | undefined, resource?: unknown): Promise<string | undefined> {
  if (!api) return undefined;
  try {
    const active = api.getActiveEnvironmentPath(resource);
    if (!active?.path) return undefined;
    const resolved = await api.resolveEnvironment(active);
    return resolved?.executable.uri?.fsPath || undefined;
  } catch {
    return undefined; // a broken or still-loading Python extension must not block a run
  }
}

export type InterpreterOrigin = 'python-extension' | 'setting' | 'path';

/**
 * The order of precedence: the Python extension's selection (trusted workspaces only: there, a
 * workspace may have chosen it), then parallelCookbook.pythonPath, then python3/python on PATH.
 */
export function interpreterChoice(selected: string | undefined, configured: string | undefined, trusted: boolean): { path: string | undefined; origin: InterpreterOrigin } {
  if (selected && trusted) return { path: selected, origin: 'python-extension' };
  if (configured?.trim()) return { path: configured.trim(), origin: 'setting' };
  return { path: undefined, origin: 'path' };
}
