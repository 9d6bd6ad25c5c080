/**
 * Entry point of the integration tests, loaded by the extension host (code-server's, through the
 * workbench `payload`, or desktop VS Code's, through --extensionTestsPath). VS Code calls run()
 * and treats a rejection as failure. Suites are every out/test/integration/**\/*.test.js.
 *
 * Environment (inherited from code-server / passed by @vscode/test-electron):
 *   PCB_INTEGRATION_GREP         only run tests whose full title matches (mocha --grep)
 *   PCB_INTEGRATION_RESULT_FILE  write {passes, failures, pending, failedTests} there as JSON,
 *                                so the harness can report counts and catch "0 tests ran"
 */
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export interface IntegrationResult {
  passes: number;
  failures: number;
  pending: number;
  failedTests: string[];
}

function findTestFiles(dir: string): string[] {
  // Node 20's recursive readdir: no glob dependency inside the extension host.
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((rel) => rel.endsWith('.test.js'))
    .map((rel) => path.join(dir, rel))
    .sort();
}

export function run(): Promise<void> {
  const grep = process.env.PCB_INTEGRATION_GREP;
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 60_000,
    reporter: 'spec',
    // The output is relayed through the workbench's log, where ANSI colours would be noise.
    color: false,
    ...(grep ? { grep } : {}),
  });
  const files = findTestFiles(__dirname);
  for (const file of files) mocha.addFile(file);

  return new Promise((resolve, reject) => {
    const failedTests: string[] = [];
    let runner: Mocha.Runner;
    try {
      runner = mocha.run((failures) => {
        const stats = runner.stats ?? { passes: 0, pending: 0 };
        const result: IntegrationResult = { passes: stats.passes, failures, pending: stats.pending, failedTests };
        const resultFile = process.env.PCB_INTEGRATION_RESULT_FILE;
        if (resultFile) fs.writeFileSync(resultFile, JSON.stringify(result, null, 2));
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed.`));
        else if (result.passes === 0) {
          reject(new Error(`No integration test ran (files: ${files.length}${grep ? `, PCB_INTEGRATION_GREP=${grep}` : ''}).`));
        } else resolve();
      });
      runner.on('fail', (test) => failedTests.push(test.fullTitle()));
    } catch (err) {
      // A suite that throws while loading (e.g. a bad import) lands here.
      reject(err);
    }
  });
}
