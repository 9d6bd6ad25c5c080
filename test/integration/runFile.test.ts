/**
 * The user's own programs in a real extension host: Run File with Timeline, the CodeLens, an
 * untitled editor, Export Trace, the walkthrough. Trusted workspace (the default harness run).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ChromeTrace } from '../../extension/host/chromeTrace';
import type { ParallelCookbookApi } from '../../extension/vscode/extension';
import { validateChromeTrace } from '../support/chromeTraceFormat';

const EXTENSION_ID = 'parallel-cookbook.parallel-cookbook';

async function api(): Promise<ParallelCookbookApi> {
  return vscode.extensions.getExtension<ParallelCookbookApi>(EXTENSION_ID)!.activate();
}

function fixture(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the fixture workspace is open');
  return vscode.Uri.joinPath(folder.uri, name);
}

describe('Run File with Timeline', function () {
  this.timeout(60000);

  before(function () {
    if (!vscode.workspace.isTrusted) this.skip(); // the untrusted suite covers that case
  });

  it('runs a workspace file with threads and a child process, in its folder', async () => {
    const a = await api();
    const uri = fixture('threads_and_processes.py');
    const runId = await vscode.commands.executeCommand<string>('parallelCookbook.runFile', uri);
    assert.ok(runId, 'a run started');
    const outcome = await a.whenFinished(runId);
    assert.ok(outcome.ok, !outcome.ok ? outcome.message : '');
    const s = outcome.summary;
    assert.strictEqual(s.exitCode, 0);
    assert.strictEqual(s.processes.length, 2, JSON.stringify(s.processes));
    const names = s.threads.map((t) => t.name);
    for (const n of ['MainThread', 'fixture-worker-0', 'fixture-worker-1']) assert.ok(names.includes(n), `${n} in ${names.join(', ')}`);
    assert.ok(vscode.window.terminals.some((t) => t.name === 'threads_and_processes.py'), 'a terminal named after the file');
  });

  it('offers "Run with Timeline" above the main guard', async () => {
    const uri = fixture('threads_and_processes.py');
    await vscode.window.showTextDocument(uri);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    const ours = lenses.filter((l) => l.command?.command === 'parallelCookbook.runFile');
    assert.strictEqual(ours.length, 1);
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.match(doc.lineAt(ours[0].range.start.line).text, /^if __name__ == "__main__":/);
  });

  it('runs an untitled editor through a temporary file', async () => {
    const a = await api();
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: 'import threading\nt = threading.Thread(target=print, args=("hi",), name="untitled-worker")\nt.start(); t.join()\n' });
    await vscode.window.showTextDocument(doc);
    const runId = await vscode.commands.executeCommand<string>('parallelCookbook.runFile');
    assert.ok(runId);
    const outcome = await a.whenFinished(runId);
    assert.ok(outcome.ok && outcome.summary.exitCode === 0);
    assert.ok(outcome.ok && outcome.summary.threads.some((t) => t.name === 'untitled-worker'));
  });

  it('exports the last run as a Chrome trace that validates and re-reads', async () => {
    const target = vscode.Uri.file(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pcb-export-')), 'run.trace.json'));
    const written = await vscode.commands.executeCommand<vscode.Uri>('parallelCookbook.exportTrace', target);
    assert.strictEqual(written?.fsPath, target.fsPath);
    const trace = JSON.parse(fs.readFileSync(target.fsPath, 'utf8')) as ChromeTrace;
    assert.deepStrictEqual(validateChromeTrace(trace), []);
    assert.ok(trace.traceEvents.some((e) => e.ph === 'M' && e.args?.name === 'untitled-worker'));
  });

  it('contributes a three-step walkthrough that opens', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const walkthroughs = ext.packageJSON.contributes.walkthroughs as { id: string; steps: { id: string; media: { markdown?: string } }[] }[];
    assert.strictEqual(walkthroughs.length, 1);
    assert.deepStrictEqual(walkthroughs[0].steps.map((s) => s.id), ['runRecipe', 'insertSnippet', 'runFile']);
    for (const step of walkthroughs[0].steps) assert.ok(fs.existsSync(path.join(ext.extensionPath, step.media.markdown!)), step.id);
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#${walkthroughs[0].id}`, false);
  });
});
