/**
 * Restricted mode (run by the harness with workspace trust on: PCB_WORKSPACE_TRUST=1). Built-in
 * recipes run on the user-level interpreter; workspace code and a workspace-chosen interpreter do not.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ParallelCookbookApi } from '../../extension/vscode/extension';

describe('untrusted workspace', function () {
  this.timeout(60000);

  before(function () {
    if (vscode.workspace.isTrusted) this.skip(); // only meaningful in restricted mode
  });

  async function api(): Promise<ParallelCookbookApi> {
    return vscode.extensions.getExtension<ParallelCookbookApi>('parallel-cookbook.parallel-cookbook')!.activate();
  }

  it('refuses Run File with Timeline on a workspace file', async () => {
    const a = await api();
    const before = a.runs().length;
    const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'threads_and_processes.py');
    const result = await vscode.commands.executeCommand<string | undefined>('parallelCookbook.runFile', uri);
    assert.strictEqual(result, undefined);
    assert.strictEqual(a.runs().length, before, 'no run started');
  });

  it('still runs a built-in recipe, ignoring a workspace-level pythonPath', async () => {
    const a = await api();
    const config = vscode.workspace.getConfiguration('parallelCookbook');
    await config.update('pythonPath', '/workspace/chose/this/python', vscode.ConfigurationTarget.Workspace);
    try {
      const runId = await vscode.commands.executeCommand<string>('parallelCookbook.runRecipe', 'defining-a-thread');
      assert.ok(runId, 'the recipe started');
      const outcome = await a.whenFinished(runId);
      assert.ok(outcome.ok, !outcome.ok ? outcome.message : '');
      assert.strictEqual(outcome.summary.exitCode, 0);
    } finally {
      await config.update('pythonPath', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
