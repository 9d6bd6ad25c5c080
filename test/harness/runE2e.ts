/**
 * `npm run test:e2e`: every out/test/e2e/*.e2e.js, in name order, sequentially (2 cores, and
 * Chromium + code-server peak near 1.8 GB), against one code-server. Each module exports `test`.
 * PCB_E2E_GREP=<substring> keeps only the files whose name contains it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { finish, reportFatal } from './cleanup';
import { E2eTest, runE2eTests } from './e2eSession';
import { HarnessError } from './log';
import { REPO_ROOT } from './paths';

const E2E_DIR = path.join(REPO_ROOT, 'out', 'test', 'e2e');

function loadTests(): E2eTest[] {
  if (!fs.existsSync(E2E_DIR)) throw new HarnessError(`${E2E_DIR} does not exist: compile the tests first with \`npx tsc -p .\``);
  const grep = process.env.PCB_E2E_GREP;
  const files = fs
    .readdirSync(E2E_DIR)
    .filter((name) => name.endsWith('.e2e.js') && (!grep || name.includes(grep)))
    .sort();
  if (files.length === 0) throw new HarnessError(`No *.e2e.js in ${E2E_DIR}${grep ? ` matching PCB_E2E_GREP=${grep}` : ''}`);
  return files.map((name) => {
    const mod = require(path.join(E2E_DIR, name)) as { test?: E2eTest };
    if (!mod.test) throw new HarnessError(`${name} does not export \`test\` (an E2eTest)`);
    return mod.test;
  });
}

void Promise.resolve()
  .then(() => runE2eTests(loadTests()))
  .catch(reportFatal)
  .then(finish);
