/**
 * Keeps the session's runs: starts one for a recipe or a file, shows which is active in the status
 * bar, stops them, and reopens their timelines.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { RunHeader } from '../protocol';
import { InstallLayout, makeRunRequest } from '../host/layout';
import { Recipe } from '../host/recipeCatalog';
import { InterpreterService } from './interpreter';
import { runSettings } from './settings';
import { TracedRun } from './tracedRun';

export interface RunEntry {
  id: string;
  run: TracedRun;
}

export class RunManager implements vscode.Disposable {
  private readonly runs: RunEntry[] = [];
  private nextRun = 1;
  private readonly status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 50);
  private readonly interpreters = new InterpreterService();

  constructor(
    private readonly layout: InstallLayout,
    private readonly extensionUri: vscode.Uri,
  ) {
    this.status.command = 'parallelCookbook.stopRun';
  }

  all(): readonly RunEntry[] {
    return this.runs;
  }

  find(id: string): RunEntry | undefined {
    return this.runs.find((r) => r.id === id);
  }

  /** Runs a recipe of the cookbook. Returns the run id, or undefined if it could not start. */
  runRecipe(recipe: Recipe, file = path.join(this.layout.recipesDir, recipe.file)): Promise<string | undefined> {
    return this.start(file, { title: recipe.title, lookFor: recipe.lookFor }, path.dirname(file), [], undefined);
  }

  /** Runs any Python file (a user's own program), with the interpreter chosen for it. */
  runFile(file: string, title: string, args: string[], cwd: string, resource: vscode.Uri): Promise<string | undefined> {
    return this.start(file, { title, lookFor: '' }, cwd, args, resource);
  }

  private async start(file: string, what: { title: string; lookFor: string }, cwd: string, args: string[], resource: vscode.Uri | undefined): Promise<string | undefined> {
    const python = await this.interpreters.resolve(resource);
    if (!python) return undefined;
    const settings = runSettings(resource);
    const request = makeRunRequest(this.layout, {
      python: python.executable,
      script: file,
      args,
      cwd,
      mode: settings.mode,
      stopOnDeadlock: settings.stopOnDeadlock,
      maxOutputBytes: settings.maxOutputBytes,
    });
    const id = `run-${this.nextRun++}`;
    const header: RunHeader = {
      runId: id,
      title: what.title,
      lookFor: what.lookFor,
      python: python.version,
      command: [`python`, path.basename(file), ...args].join(' '),
      followLive: settings.followLive,
    };
    const run = new TracedRun(header, request, this.layout.workerScript, this.extensionUri);
    this.runs.push({ id, run });
    run.showPanel();
    run.showTerminal();
    this.refreshStatus();
    void run.outcome.then((outcome) => {
      this.refreshStatus();
      if (!outcome.ok) {
        void vscode.window.showErrorMessage(`${what.title}: ${outcome.message}`);
      } else if (outcome.summary.exitCode !== 0 && !outcome.summary.stopped) {
        const s = outcome.summary;
        const how = s.exitCode !== null ? `exited with code ${s.exitCode}` : `was killed by ${s.signal ?? 'a signal'}`;
        void vscode.window.showWarningMessage(`${what.title} ${how}. Its output is in the terminal.`, 'Show Terminal').then((c) => {
          if (c) run.showTerminal();
        });
      }
    });
    return id;
  }

  async stopRun(): Promise<void> {
    const active = this.runs.filter((r) => r.run.running);
    if (active.length === 0) {
      void vscode.window.showInformationMessage('Parallel Cookbook: no run is active.');
      return;
    }
    let target = active[active.length - 1];
    if (active.length > 1) {
      const pick = await vscode.window.showQuickPick(
        active.map((r) => ({ label: r.run.title, description: r.id, entry: r })),
        { title: 'Stop which run?' },
      );
      if (!pick) return;
      target = pick.entry;
    }
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Stopping ${target.run.title}…` }, () =>
      target.run.stop(),
    );
    this.refreshStatus();
  }

  showTimeline(): void {
    const last = this.runs[this.runs.length - 1];
    if (!last) {
      void vscode.window.showInformationMessage('Parallel Cookbook: nothing has run yet. Run a recipe first.', 'Run Recipe…').then((c) => {
        if (c) void vscode.commands.executeCommand('parallelCookbook.runRecipe');
      });
      return;
    }
    last.run.showPanel();
  }

  private refreshStatus(): void {
    const active = this.runs.filter((r) => r.run.running);
    if (active.length === 0) {
      this.status.hide();
      return;
    }
    const last = active[active.length - 1].run;
    this.status.text = `$(pulse) ${last.title} · Python ${last.header.python}${active.length > 1 ? ` (+${active.length - 1})` : ''}`;
    this.status.tooltip = 'Parallel Cookbook: a run is active. Click to stop it.';
    this.status.show();
  }

  /** The run an export or a timeline command is about: the last one. */
  last(): RunEntry | undefined {
    return this.runs[this.runs.length - 1];
  }

  dispose(): void {
    this.runs.forEach((r) => r.run.dispose());
    this.status.dispose();
    this.interpreters.dispose();
  }
}
