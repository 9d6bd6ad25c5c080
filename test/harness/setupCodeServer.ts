/**
 * `npm run setup:code-server`: install code-server offline into .vscode-test/ (no start).
 * Idempotent; CI can run it as its own step so its time is measured apart from the tests.
 */
import { ensureCodeServer } from './codeServerInstall';
import { step } from './log';
import { reportFatal } from './cleanup';

ensureCodeServer()
  .then((entry) => step(`ready: node ${entry}`))
  .catch((err) => {
    process.exitCode = reportFatal(err);
  });
