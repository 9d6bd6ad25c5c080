/**
 * The extension inside a real VS Code extension host (code-server or VS Code desktop).
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ParallelCookbookApi } from '../../extension/vscode/extension';

const EXTENSION_ID = 'parallel-cookbook.parallel-cookbook';

async function api(): Promise<ParallelCookbookApi> {
  const ext = vscode.extensions.getExtension<ParallelCookbookApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is installed`);
  return ext.activate();
}

function timelineTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('parallelCookbook.timeline'));
}

/** The tab model reaches the extension host asynchronously: poll for it. */
async function waitFor<T>(probe: () => T | undefined | false, what: string, timeoutMs = 20000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Parallel Cookbook extension', function () {
  this.timeout(60000);

  it('activates and registers its commands', async () => {
    const a = await api();
    assert.ok(Array.isArray(a.runs()));
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['parallelCookbook.runRecipe', 'parallelCookbook.stopRun', 'parallelCookbook.showTimeline']) {
      assert.ok(commands.includes(id), `${id} is registered`);
    }
  });

  it('Stop Run with nothing running tells the user and does not fail', async () => {
    await vscode.commands.executeCommand('parallelCookbook.stopRun');
  });

  it('Run Recipe opens the timeline panel and a terminal, and the run ends with exit code 0', async () => {
    const a = await api();
    const before = timelineTabs().length;
    const runId = await vscode.commands.executeCommand<string>('parallelCookbook.runRecipe', 'defining-a-thread');
    assert.ok(runId, 'a run started');
    await waitFor(() => timelineTabs().length > before, 'the timeline panel');
    await waitFor(() => vscode.window.terminals.find((t) => t.name === 'Defining a thread'), 'the run terminal');
    const outcome = await a.whenFinished(runId);
    assert.ok(outcome.ok, !outcome.ok ? outcome.message : '');
    assert.strictEqual(outcome.summary.exitCode, 0);
    assert.ok(outcome.summary.threads.length >= 2, 'threads were traced');
    assert.strictEqual(a.runs().find((r) => r.id === runId)?.running, false);
  });

  for (const [id, processes] of [
    ['spawning-a-process', 2],
    ['using-a-process-pool', 5],
  ] as const) {
    it(`Run Recipe "${id}" traces its processes and ends with exit code 0`, async () => {
      const a = await api();
      const runId = await vscode.commands.executeCommand<string>('parallelCookbook.runRecipe', id);
      assert.ok(runId, 'a run started');
      const outcome = await a.whenFinished(runId);
      assert.ok(outcome.ok, !outcome.ok ? outcome.message : '');
      assert.strictEqual(outcome.summary.exitCode, 0);
      assert.ok(outcome.summary.processes.length >= processes, `${outcome.summary.processes.length} processes traced`);
      assert.ok(outcome.summary.processes.every((p) => p.exitCode === 0), JSON.stringify(outcome.summary.processes));
    });
  }

  it('Show Timeline reopens a closed panel for the last run', async () => {
    const a = await api();
    for (const tab of timelineTabs()) await vscode.window.tabGroups.close(tab);
    await waitFor(() => timelineTabs().length === 0 && !a.runs().some((r) => r.hasOpenPanel), 'the panels to close');
    await vscode.commands.executeCommand('parallelCookbook.showTimeline');
    await waitFor(() => timelineTabs().length === 1, 'the reopened panel');
    assert.ok(a.runs()[a.runs().length - 1].hasOpenPanel);
  });

  it('Stop Run ends a recipe that would run forever', async () => {
    const a = await api();
    const runId = await vscode.commands.executeCommand<string>('parallelCookbook.runRecipe', 'lock-order-deadlock');
    if (!runId) return assert.fail('the deadlock recipe did not start');
    // No waiting for the program to get going: a stop must work at any moment, even this early.
    await vscode.commands.executeCommand('parallelCookbook.stopRun');
    const outcome = await a.whenFinished(runId);
    assert.ok(outcome.ok && outcome.summary.stopped, 'the run was stopped');
    assert.strictEqual(a.runs().find((r) => r.id === runId)?.running, false);
  });
});

describe('Recipe sources', function () {
  this.timeout(30000);

  it('Open Recipe Source opens the recipe file in an editor', async () => {
    await api();
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('parallelCookbook.openRecipeSource', 'thread-synchronization-with-a-lock');
    assert.ok(editor, 'an editor opened');
    assert.match(editor.document.uri.fsPath, /recipes[\\/]thread_synchronization_with_a_lock\.py$/);
    assert.match(editor.document.getText(), /threading\.Lock\(\)/);
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.toString(), editor.document.uri.toString());
  });
});
