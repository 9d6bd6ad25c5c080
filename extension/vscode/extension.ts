/**
 * Activation: registers the commands. Everything heavy (running, decoding, modelling) happens in
 * the worker host; this layer only wires VS Code's UI to it.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { RunSummary } from '../protocol';
import { layoutFromRoot, makeRunRequest } from '../host/layout';
import { PythonError, PythonInfo, resolvePython } from '../host/pythonInterpreter';
import { CatalogError, findRecipe, loadCatalog, Recipe } from '../host/recipeCatalog';
import { pickRecipe, rememberRecipe } from './recipePicker';
import { configuredPythonPath } from './settings';
import { TracedRun } from './tracedRun';

/** What activate() returns: used by the integration tests, handy for other extensions. */
export interface ParallelCookbookApi {
  /** The runs of this session, oldest first. */
  runs(): readonly { id: string; title: string; running: boolean; hasOpenPanel: boolean }[];
  /** Resolves with the summary when the run ends (or with an error message). */
  whenFinished(runId: string): Promise<{ ok: true; summary: RunSummary } | { ok: false; message: string }>;
}

export function activate(context: vscode.ExtensionContext): ParallelCookbookApi {
  const layout = layoutFromRoot(context.extensionPath);
  const runs: { id: string; run: TracedRun }[] = [];
  let nextRun = 1;
  const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 50);
  status.command = 'parallelCookbook.stopRun';
  context.subscriptions.push(status);

  const refreshStatus = () => {
    const active = runs.filter((r) => r.run.running);
    if (active.length === 0) return status.hide();
    const last = active[active.length - 1].run;
    status.text = `$(pulse) ${last.title} · Python ${last.header.python}${active.length > 1 ? ` (+${active.length - 1})` : ''}`;
    status.tooltip = 'Parallel Cookbook: a run is active. Click to stop it.';
    status.show();
  };

  async function interpreter(): Promise<PythonInfo | undefined> {
    try {
      return await resolvePython(configuredPythonPath());
    } catch (err) {
      if (!(err instanceof PythonError)) throw err;
      const choice = await vscode.window.showErrorMessage(err.message, 'Open Settings');
      if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'parallelCookbook.pythonPath');
      return undefined;
    }
  }

  function recipes(): Recipe[] | undefined {
    try {
      return loadCatalog(layout.recipesDir);
    } catch (err) {
      void vscode.window.showErrorMessage(err instanceof CatalogError ? err.message : String(err));
      return undefined;
    }
  }

  async function runRecipe(recipeId?: unknown): Promise<string | undefined> {
    const all = recipes();
    if (!all) return undefined;
    const recipe = typeof recipeId === 'string' ? findRecipe(all, recipeId) : await pickRecipe(all, context.globalState);
    if (typeof recipeId === 'string' && !recipe) {
      void vscode.window.showErrorMessage(`No recipe with id "${recipeId}".`);
      return undefined;
    }
    if (!recipe) return undefined;
    await rememberRecipe(context.globalState, recipe.id);
    const python = await interpreter();
    if (!python) return undefined;
    const script = path.join(layout.recipesDir, recipe.file);
    const request = makeRunRequest(layout, { python: python.executable, script, cwd: path.dirname(script) });
    const id = `run-${nextRun++}`;
    const header = { runId: id, title: recipe.title, lookFor: recipe.lookFor, python: python.version, command: `python ${recipe.file}` };
    const run = new TracedRun(header, request, layout.workerScript, context.extensionUri);
    runs.push({ id, run });
    run.showPanel();
    run.showTerminal();
    refreshStatus();
    void run.outcome.then((outcome) => {
      refreshStatus();
      if (!outcome.ok) {
        void vscode.window.showErrorMessage(`${recipe.title}: ${outcome.message}`);
      } else if (outcome.summary.exitCode !== 0 && !outcome.summary.stopped) {
        const s = outcome.summary;
        const how = s.exitCode !== null ? `exited with code ${s.exitCode}` : `was killed by ${s.signal ?? 'a signal'}`;
        void vscode.window.showWarningMessage(`${recipe.title} ${how}. Its output is in the terminal.`);
      }
    });
    return id;
  }

  async function stopRun(): Promise<void> {
    const active = runs.filter((r) => r.run.running);
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
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Stopping ${target.run.title}…` },
      () => target.run.stop(),
    );
    refreshStatus();
  }

  function showTimeline(): void {
    const last = runs[runs.length - 1];
    if (!last) {
      void vscode.window.showInformationMessage('Parallel Cookbook: nothing has run yet. Run a recipe first.', 'Run Recipe…').then((c) => {
        if (c) void vscode.commands.executeCommand('parallelCookbook.runRecipe');
      });
      return;
    }
    last.run.showPanel();
  }

  context.subscriptions.push(
    vscode.commands.registerCommand('parallelCookbook.runRecipe', runRecipe),
    vscode.commands.registerCommand('parallelCookbook.stopRun', stopRun),
    vscode.commands.registerCommand('parallelCookbook.showTimeline', showTimeline),
    { dispose: () => runs.forEach((r) => r.run.dispose()) },
  );

  return {
    runs: () => runs.map((r) => ({ id: r.id, title: r.run.title, running: r.run.running, hasOpenPanel: r.run.hasOpenPanel })),
    whenFinished: (runId) => {
      const entry = runs.find((r) => r.id === runId);
      return entry ? entry.run.outcome : Promise.resolve({ ok: false, message: `no run ${runId}` });
    },
  };
}

export function deactivate(): void {
  // Runs are disposed through context.subscriptions.
}
