/**
 * Stopping a run leaves nothing behind: for every recipe, stopped while it runs (and, for the ones
 * that end, after they end by themselves), no process of the run is left in the process table.
 * Processes of a run are found by the PCB_RUN_ID every one of them inherits.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { HostToOwner } from '../../extension/protocol';
import { layoutFromRoot, makeRunRequest } from '../../extension/host/layout';
import { pidsOfRun } from '../../extension/host/processTree';
import { loadCatalog } from '../../extension/host/recipeCatalog';
import { RunHost } from '../../extension/host/runHost';
import { defaultPython } from '../pythonVersions';

const root = path.resolve(__dirname, '..', '..', '..');
const layout = layoutFromRoot(root);
const recipes = loadCatalog(layout.recipesDir);

/** Starts a recipe; resolves once its processes have said hello (it is really running). */
function startRecipe(file: string) {
  const script = path.join(layout.recipesDir, file);
  const host = new RunHost(makeRunRequest(layout, { python: defaultPython(), script, timeoutSec: 60 }), layout.workerScript);
  let runId = '';
  let processes = 0;
  const running = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} did not start within 30 s`)), 30000);
    host.onMessage((m: HostToOwner) => {
      if (m.type === 'started') runId = m.runId;
      if (m.type === 'delta') processes += m.delta.processes.length;
      if ((m.type === 'delta' && processes > 0) || m.type === 'finished' || m.type === 'failed') {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { host, running, runId: () => runId };
}

describe('zero orphans', function () {
  this.timeout(120000);

  before(function () {
    if (!fs.existsSync('/proc/self/environ')) this.skip(); // the check reads /proc (Linux)
  });

  for (const recipe of recipes) {
    it(`${recipe.id}: Stop leaves no process of the run`, async () => {
      const run = startRecipe(recipe.file);
      await run.running;
      assert.ok(run.runId(), 'the run reported its id');
      // Positive control: a recipe that never ends must be visible to the same check before Stop.
      if (recipe.expectsDeadlock) assert.ok(pidsOfRun(run.runId()).length > 0, 'the check sees the running processes');
      const outcome = await run.host.stop('zero-orphan test');
      assert.ok(outcome.ok, !outcome.ok ? outcome.message : '');
      assert.deepStrictEqual(pidsOfRun(run.runId()), [], 'processes of the run still alive after Stop');
    });
  }

  for (const recipe of recipes.filter((r) => !r.expectsDeadlock)) {
    it(`${recipe.id}: ending by itself leaves no process of the run`, async () => {
      const run = startRecipe(recipe.file);
      const outcome = await run.host.outcome;
      assert.ok(outcome.ok && outcome.summary.exitCode === 0, JSON.stringify(outcome.ok ? outcome.summary.exitCode : outcome.message));
      assert.deepStrictEqual(pidsOfRun(run.runId()), [], 'processes of the run still alive after it ended');
    });
  }
});
