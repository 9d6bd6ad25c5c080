/**
 * Reads the extension's settings. A workspace must not choose which binary we execute when it is
 * not trusted, so then only the user-level parallelCookbook.pythonPath counts.
 */
import * as vscode from 'vscode';

export function configuredPythonPath(): string | undefined {
  const config = vscode.workspace.getConfiguration('parallelCookbook');
  if (!vscode.workspace.isTrusted) {
    const user = config.inspect<string>('pythonPath')?.globalValue;
    return user?.trim() || undefined;
  }
  return config.get<string>('pythonPath')?.trim() || undefined;
}
