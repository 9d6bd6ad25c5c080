/**
 * Which Python a run uses, as VS Code sees it: the Python extension's selection when that
 * extension is installed (optional, never required), else our setting, else PATH. Follows the
 * user's changes of selection.
 */
import * as vscode from 'vscode';
import { PythonError, PythonInfo, resolvePython } from '../host/pythonInterpreter';
import { interpreterChoice, PythonEnvironmentsApi, selectedInterpreterPath } from '../host/selectedInterpreter';
import { configuredPythonPath } from './settings';

const PYTHON_EXTENSION_ID = 'ms-python.python';

export class InterpreterService implements vscode.Disposable {
  private api: PythonEnvironmentsApi | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private loading: Promise<void> | null = null;

  /** Loads the Python extension's API once, if that extension is installed. */
  private load(): Promise<void> {
    if (!this.loading) {
      this.loading = (async () => {
        if (!vscode.extensions.getExtension(PYTHON_EXTENSION_ID)) return;
        try {
          const { PythonExtension } = await import('@vscode/python-extension');
          const python = await PythonExtension.api();
          this.api = python.environments;
          this.disposables.push(python.environments.onDidChangeActiveEnvironmentPath(() => undefined /* read fresh on every run */));
        } catch {
          this.api = undefined; // disabled or failing: fall back to the setting
        }
      })();
    }
    return this.loading;
  }

  /** The checked interpreter for a run, or undefined after telling the user what is wrong. */
  async resolve(resource?: vscode.Uri): Promise<PythonInfo | undefined> {
    try {
      return await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Checking the Python interpreter…' }, async () => {
        await this.load();
        const selected = await selectedInterpreterPath(this.api, resource);
        const choice = interpreterChoice(selected, configuredPythonPath(), vscode.workspace.isTrusted);
        return resolvePython(choice.path);
      });
    } catch (err) {
      if (!(err instanceof PythonError)) throw err;
      const actions = this.api ? ['Select Interpreter', 'Open Settings'] : ['Open Settings'];
      const choice = await vscode.window.showErrorMessage(err.message, ...actions);
      if (choice === 'Select Interpreter') void vscode.commands.executeCommand('python.setInterpreter');
      if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'parallelCookbook.pythonPath');
      return undefined;
    }
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}
