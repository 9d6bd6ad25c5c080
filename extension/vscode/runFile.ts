/**
 * Run File with Timeline: the user's own Python file, saved first (an untitled editor goes
 * through a temporary file), its folder as working directory, arguments from a setting.
 * Refused in an untrusted workspace: running its code is exactly what trust is about.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { RunManager } from './runManager';
import { runSettings } from './settings';

/** True (after telling the user why, without waiting for an answer) when the workspace is untrusted. */
export function refuseUntrusted(what: string): boolean {
  if (vscode.workspace.isTrusted) return false;
  void vscode.window
    .showWarningMessage(`${what} needs a trusted workspace: it runs code from this workspace. Built-in recipes still run.`, 'Manage Workspace Trust')
    .then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
    });
  return true;
}

export async function runFileWithTimeline(runs: RunManager, uri?: vscode.Uri): Promise<string | undefined> {
  if (refuseUntrusted('Run File with Timeline')) return undefined;
  const doc = await documentFor(uri);
  if (!doc) {
    void vscode.window.showErrorMessage('Open a Python file to run it with the timeline.');
    return undefined;
  }
  if (doc.languageId !== 'python' && !doc.fileName.endsWith('.py')) {
    void vscode.window.showErrorMessage(`${path.basename(doc.fileName)} is not a Python file.`);
    return undefined;
  }
  let file: string;
  let cwd: string;
  if (doc.isUntitled) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pcb-untitled-'));
    file = path.join(dir, 'untitled.py');
    fs.writeFileSync(file, doc.getText());
    cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? dir;
  } else {
    if (doc.isDirty && !(await doc.save())) {
      void vscode.window.showErrorMessage(`Could not save ${path.basename(doc.fileName)}; not running it.`);
      return undefined;
    }
    if (doc.uri.scheme !== 'file') {
      void vscode.window.showErrorMessage('Only files on disk can be run with the timeline.');
      return undefined;
    }
    file = doc.uri.fsPath;
    cwd = path.dirname(file);
  }
  const title = doc.isUntitled ? 'Untitled' : path.basename(file);
  return runs.runFile(file, title, runSettings(doc.uri).runArgs, cwd, doc.uri);
}

async function documentFor(uri?: vscode.Uri): Promise<vscode.TextDocument | undefined> {
  if (uri instanceof vscode.Uri) {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    return open ?? vscode.workspace.openTextDocument(uri);
  }
  return vscode.window.activeTextEditor?.document;
}

/** A CodeLens "Run with Timeline" above `if __name__ == "__main__":`. */
export class MainGuardCodeLens implements vscode.CodeLensProvider {
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const lenses: vscode.CodeLens[] = [];
    const pattern = /^if\s+__name__\s*==\s*(['"])__main__\1\s*:/;
    for (let i = 0; i < doc.lineCount; i++) {
      if (pattern.test(doc.lineAt(i).text)) {
        lenses.push(
          new vscode.CodeLens(doc.lineAt(i).range, {
            title: '$(pulse) Run with Timeline',
            command: 'parallelCookbook.runFile',
            arguments: [doc.uri],
          }),
        );
      }
    }
    return lenses;
  }
}
