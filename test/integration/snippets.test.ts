/**
 * The snippet library inside a real VS Code: snippets are inserted by name with
 * `editor.action.insertSnippet` into new untitled Python documents, and the result is compared
 * with what test/unit/snippetExpand.ts predicts (the expander the unit tests compile and run):
 * the text, then every tab stop's selections in order while jumping through the snippet, then
 * the final cursor. One fragment is inserted at an indented line to check the re-indentation.
 */
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import { expandSnippet } from '../unit/snippetExpand';
import { SnippetEntry, readSnippets } from '../unit/snippetsTable';

const EXTENSION_ID = 'parallel-cookbook.parallel-cookbook';
const WAIT_MS = 10_000;

/** The snippets as the installed extension ships them (not the copy next to the tests). */
function shippedSnippets(): SnippetEntry[] {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is installed`);
  const contributed = (ext.packageJSON.contributes?.snippets ?? []) as { language: string; path: string }[];
  const python = contributed.find((c) => c.language === 'python');
  assert.ok(python, 'package.json contributes Python snippets');
  return readSnippets(path.join(ext.extensionPath, python.path));
}

/**
 * Resolves once `probe` holds, re-checking on every document or selection change; rejects with
 * `what` after WAIT_MS. The workbench applies edits and selections asynchronously relative to
 * the extension host (remotely, with code-server), so the command's promise is not enough.
 */
function waitUntil(probe: () => boolean, what: () => string): Promise<void> {
  if (probe()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const subscriptions: vscode.Disposable[] = [];
    const done = (err?: Error) => {
      clearTimeout(timer);
      subscriptions.forEach((d) => d.dispose());
      if (err) reject(err);
      else resolve();
    };
    const check = () => {
      if (probe()) done();
    };
    subscriptions.push(
      vscode.workspace.onDidChangeTextDocument(check),
      vscode.window.onDidChangeTextEditorSelection(check),
    );
    const timer = setTimeout(() => (probe() ? done() : done(new Error(`timed out: ${what()}`))), WAIT_MS);
  });
}

async function newPythonEditor(content = ''): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ language: 'python', content });
  return vscode.window.showTextDocument(doc);
}

/** Offsets of the editor's selections as [start, end] pairs, in document order. */
function selectionOffsets(editor: vscode.TextEditor): Array<[number, number]> {
  return editor.selections
    .map((s): [number, number] => [editor.document.offsetAt(s.start), editor.document.offsetAt(s.end)])
    .sort((a, b) => a[0] - b[0]);
}

describe('Snippets in VS Code (editor.action.insertSnippet)', function () {
  this.timeout(60_000);
  let snippets: Map<string, SnippetEntry>;

  before(() => {
    snippets = new Map(shippedSnippets().map((s) => [s.name, s]));
  });

  afterEach(async () => {
    // Untitled documents: revert so closing never asks to save.
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  // A snippet with mirrored tab stops, one with a choice (the first option is inserted), and
  // one whose tab stops nest inside each other.
  for (const name of ['Lock protecting shared state', 'Start method with get_context', 'ThreadPoolExecutor with as_completed']) {
    it(`${name}: inserts the expected text, visits the tab stops in order, ends in the worker body`, async () => {
      const snippet = snippets.get(name);
      assert.ok(snippet, `snippet "${name}" is shipped`);
      const expected = expandSnippet(snippet.body);
      const editor = await newPythonEditor();
      const doc = editor.document;

      await vscode.commands.executeCommand('editor.action.insertSnippet', { langId: 'python', name });
      await waitUntil(
        () => doc.getText() === expected.text,
        () => `inserted text\n${doc.getText()}\n--- expected\n${expected.text}`,
      );

      // Tab stop k selects every occurrence of k (mirrors are edited together), then $0.
      const indexes = [...new Set(expected.tabstops.map((t) => t.index).filter((i) => i > 0))].sort((a, b) => a - b);
      for (const [step, index] of [...indexes, 0].entries()) {
        if (step > 0) await vscode.commands.executeCommand('jumpToNextSnippetPlaceholder');
        const want = expected.tabstops
          .filter((t) => t.index === index)
          .map((t): [number, number] => [t.offset, t.offset + t.length]);
        await waitUntil(
          () => JSON.stringify(selectionOffsets(editor)) === JSON.stringify(want),
          () => `tab stop ${index}: selections ${JSON.stringify(selectionOffsets(editor))}, expected ${JSON.stringify(want)}`,
        );
      }
      const cursorLine = doc.lineAt(editor.selection.active.line).text;
      assert.ok(/^ {4,}\S/.test(cursorLine), `the final cursor ends an indented line: "${cursorLine}"`);
      assert.strictEqual(doc.getText(), expected.text, 'jumping changed nothing');
    });
  }

  it('with lock block: inserted at an indented line, every line keeps that indentation', async () => {
    const name = 'with lock block';
    const snippet = snippets.get(name);
    assert.ok(snippet, `snippet "${name}" is shipped`);
    const editor = await newPythonEditor('def update():\n    ');
    const doc = editor.document;
    const end = doc.lineAt(1).range.end;
    editor.selection = new vscode.Selection(end, end);

    await vscode.commands.executeCommand('editor.action.insertSnippet', { langId: 'python', name });
    // VS Code prefixes every line after the first with the indentation of the insertion line.
    const body = expandSnippet(snippet.body).text.replace(/\n/g, '\n    ');
    const expected = `def update():\n    ${body}`;
    await waitUntil(
      () => doc.getText() === expected,
      () => `inserted text\n${doc.getText()}\n--- expected\n${expected}`,
    );
    assert.strictEqual(doc.getText(), 'def update():\n    with lock:\n        pass');
  });
});
