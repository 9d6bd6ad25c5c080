/**
 * Activation: registers the commands and views. Everything heavy (running, decoding, modelling)
 * happens in the worker host; this layer only wires VS Code's UI to it.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { RunSummary } from '../protocol';
import { layoutFromRoot } from '../host/layout';
import { CatalogError, findRecipe, loadCatalog, Recipe } from '../host/recipeCatalog';
import { pickRecipe, rememberRecipe } from './recipePicker';
import { recipeIdOf, RecipeTreeProvider } from './recipeTree';
import { RunManager } from './runManager';
import { MainGuardCodeLens, runFileWithTimeline } from './runFile';

/** What activate() returns: used by the integration tests, handy for other extensions. */
export interface ParallelCookbookApi {
  /** The runs of this session, oldest first. */
  runs(): readonly { id: string; title: string; running: boolean; hasOpenPanel: boolean }[];
  /** Resolves with the summary when the run ends (or with an error message). */
  whenFinished(runId: string): Promise<{ ok: true; summary: RunSummary } | { ok: false; message: string }>;
}

export function activate(context: vscode.ExtensionContext): ParallelCookbookApi {
  const layout = layoutFromRoot(context.extensionPath);
  const runs = new RunManager(layout, context.extensionUri);
  context.subscriptions.push(runs);

  let catalog: Recipe[] | null = null;
  function recipes(): Recipe[] {
    if (!catalog) {
      try {
        catalog = loadCatalog(layout.recipesDir);
      } catch (err) {
        void vscode.window.showErrorMessage(err instanceof CatalogError ? err.message : String(err));
        return [];
      }
    }
    return catalog;
  }
  const recipeFile = (r: Recipe) => path.join(layout.recipesDir, r.file);
  // Lets the editor title offer "Run Recipe" on the cookbook's own files.
  void vscode.commands.executeCommand('setContext', 'parallelCookbook.recipeFiles', recipes().map(recipeFile));

  /** The recipe an argument names, or the user's pick. */
  async function chooseRecipe(arg: unknown, title: string): Promise<Recipe | undefined> {
    const id = recipeIdOf(arg);
    if (id === undefined) return pickRecipe(recipes(), context.globalState, title);
    const recipe = findRecipe(recipes(), id);
    if (!recipe) void vscode.window.showErrorMessage(`No recipe with id "${id}".`);
    return recipe;
  }

  async function runRecipe(arg?: unknown): Promise<string | undefined> {
    const recipe = await chooseRecipe(arg, 'Parallel Cookbook: Run Recipe');
    if (!recipe) return undefined;
    await rememberRecipe(context.globalState, recipe.id);
    return runs.runRecipe(recipe);
  }

  async function openRecipeSource(arg?: unknown): Promise<vscode.TextEditor | undefined> {
    const recipe = await chooseRecipe(arg, 'Parallel Cookbook: Open Recipe Source');
    if (!recipe) return undefined;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(recipeFile(recipe)));
    return vscode.window.showTextDocument(doc, { preview: false });
  }

  /** Editor-title button on a recipe file: run the recipe it belongs to. */
  async function runRecipeFile(uri?: vscode.Uri): Promise<string | undefined> {
    const file = (uri ?? vscode.window.activeTextEditor?.document.uri)?.fsPath;
    const recipe = recipes().find((r) => recipeFile(r) === file);
    if (!recipe) {
      void vscode.window.showErrorMessage('This file is not one of the cookbook recipes.');
      return undefined;
    }
    return runRecipe(recipe.id);
  }

  async function saveRecipeCopy(arg?: unknown): Promise<vscode.Uri | undefined> {
    let recipe: Recipe | undefined;
    if (arg instanceof vscode.Uri) recipe = recipes().find((r) => recipeFile(r) === arg.fsPath);
    else recipe = await chooseRecipe(arg, 'Parallel Cookbook: Save Recipe Copy to Workspace');
    if (!recipe) return undefined;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const suggested = folder ? vscode.Uri.joinPath(folder, path.basename(recipe.file)) : undefined;
    const target = await vscode.window.showSaveDialog({ defaultUri: suggested, filters: { Python: ['py'] }, title: `Save a copy of "${recipe.title}"` });
    if (!target) return undefined;
    await vscode.workspace.fs.writeFile(target, fs.readFileSync(recipeFile(recipe)));
    // A recipe may use a helper file next to it (the exec recipe does): copy those too.
    const helpers = path.join(layout.recipesDir, 'helpers');
    if (fs.existsSync(helpers) && fs.readFileSync(recipeFile(recipe), 'utf8').includes('helpers')) {
      const dest = vscode.Uri.joinPath(target, '..', 'helpers');
      for (const name of fs.readdirSync(helpers)) await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(dest, name), fs.readFileSync(path.join(helpers, name)));
    }
    await vscode.window.showTextDocument(target, { preview: false });
    return target;
  }

  async function exportTrace(target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const last = runs.last();
    if (!last) {
      void vscode.window.showInformationMessage('Parallel Cookbook: nothing to export yet. Run a recipe or a file first.');
      return undefined;
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `${last.run.title.replace(/[^\w.-]+/g, '-')}.trace.json`;
    const uri =
      target instanceof vscode.Uri
        ? target
        : await vscode.window.showSaveDialog({
            defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
            filters: { 'Chrome Trace (Perfetto)': ['json'] },
            title: 'Export the run as a Chrome Trace (opens in Perfetto and chrome://tracing)',
          });
    if (!uri) return undefined;
    await vscode.workspace.fs.writeFile(uri, Buffer.from(last.run.chromeTraceJson(), 'utf8'));
    if (!(target instanceof vscode.Uri)) void vscode.window.showInformationMessage(`Trace exported to ${uri.fsPath}. Open it at ui.perfetto.dev or chrome://tracing.`);
    return uri;
  }

  context.subscriptions.push(
    vscode.commands.registerCommand('parallelCookbook.runFile', (uri?: vscode.Uri) => runFileWithTimeline(runs, uri)),
    vscode.commands.registerCommand('parallelCookbook.exportTrace', exportTrace),
    vscode.commands.registerCommand('parallelCookbook.newPythonFile', async () =>
      vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'python', content: '' })),
    ),
    vscode.languages.registerCodeLensProvider({ language: 'python', scheme: 'file' }, new MainGuardCodeLens()),
    vscode.languages.registerCodeLensProvider({ language: 'python', scheme: 'untitled' }, new MainGuardCodeLens()),
    vscode.commands.registerCommand('parallelCookbook.runRecipe', runRecipe),
    vscode.commands.registerCommand('parallelCookbook.stopRun', () => runs.stopRun()),
    vscode.commands.registerCommand('parallelCookbook.showTimeline', () => runs.showTimeline()),
    vscode.commands.registerCommand('parallelCookbook.openRecipeSource', openRecipeSource),
    vscode.commands.registerCommand('parallelCookbook.runRecipeFile', runRecipeFile),
    vscode.commands.registerCommand('parallelCookbook.saveRecipeCopy', saveRecipeCopy),
    vscode.window.registerTreeDataProvider('parallelCookbook.recipes', new RecipeTreeProvider(recipes)),
  );

  return {
    runs: () => runs.all().map((r) => ({ id: r.id, title: r.run.title, running: r.run.running, hasOpenPanel: r.run.hasOpenPanel })),
    whenFinished: (runId) => runs.find(runId)?.run.outcome ?? Promise.resolve({ ok: false, message: `no run ${runId}` }),
  };
}

export function deactivate(): void {
  // Runs are stopped through context.subscriptions.
}
