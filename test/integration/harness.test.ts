/**
 * Proves the integration harness itself: that these tests really run inside a VS Code 1.100
 * extension host, with the fixture workspace open, the extension under development loaded from
 * this repository, and the harness's environment passed through. Independent of whether the
 * extension's own features work yet.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

// Compiled to out/test/integration/: the repository root is three levels up.
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const FIXTURE_WORKSPACE = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace');
const EXTENSION_ID = 'parallel-cookbook.parallel-cookbook';

describe('integration harness', () => {
  it('runs in the VS Code release the harness started', () => {
    const expected = process.env.PCB_EXPECT_VSCODE_VERSION;
    if (expected) assert.strictEqual(vscode.version, expected);
    // Whatever the backend, it must satisfy the manifest's engines.vscode (^1.100.0).
    const [major, minor] = vscode.version.split('.').map(Number);
    assert.ok(major === 1 && minor >= 100, `vscode.version ${vscode.version} is older than 1.100`);
  });

  it('runs under the backend the harness chose, with its environment passed through', () => {
    const backend = process.env.PCB_VSCODE_BACKEND;
    assert.ok(backend === 'code-server' || backend === 'electron', `PCB_VSCODE_BACKEND=${backend} did not reach the extension host`);
    const expectedUi = backend === 'code-server' ? vscode.UIKind.Web : vscode.UIKind.Desktop;
    assert.strictEqual(vscode.env.uiKind, expectedUi);
  });

  it('has the fixture folder open as the only workspace folder', () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.deepStrictEqual(
      folders.map((f) => f.uri.fsPath),
      [FIXTURE_WORKSPACE],
    );
  });

  it('loaded the extension under development from this repository', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    assert.strictEqual(extension.extensionUri.fsPath, REPO_ROOT);
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.strictEqual(extension.packageJSON.version, manifest.version);
  });

  it('finds and opens the fixture Python file as a python document', async () => {
    const found = await vscode.workspace.findFiles('two_threads.py');
    assert.deepStrictEqual(
      found.map((uri) => uri.fsPath),
      [path.join(FIXTURE_WORKSPACE, 'two_threads.py')],
    );
    const document = await vscode.workspace.openTextDocument(found[0]);
    assert.strictEqual(document.languageId, 'python');
    assert.match(document.getText(), /threading\.Thread\(/);
  });
});
