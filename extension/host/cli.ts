/**
 * Command line over the worker host (dist/cli.js), for headless use and tests:
 *   cli recipes [--json]
 *   cli run <recipe-id> [options]
 *   cli trace [options] -- script.py [args...]
 * Options: --python PATH, --summary FILE, --timeout SECONDS, --mode smart|full, --stop-on-deadlock.
 * The program's output goes to our stdout/stderr; our stdin goes to the program.
 * Exit code: the program's (128+n if killed by signal n), 3 when stopped on a deadlock, 2 on errors.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RunSummary, TraceMode } from '../protocol';
import { layoutFromRoot, makeRunRequest } from './layout';
import { toChromeTrace } from './chromeTrace';
import { PythonError, resolvePython } from './pythonInterpreter';
import { CatalogError, findRecipe, loadCatalog } from './recipeCatalog';
import { RunHost } from './runHost';
import { RunRecording } from './runRecording';

const USAGE = `Usage:
  parallel-cookbook recipes [--json]
  parallel-cookbook run <recipe-id> [options]
  parallel-cookbook trace [options] -- script.py [args...]
Options:
  --python PATH         Python 3.8+ interpreter (default: python3, then python)
  --summary FILE        write the run summary as JSON
  --chrome-trace FILE   write the trace in Chrome Trace Event format (opens in Perfetto, chrome://tracing)
  --timeout SECONDS     stop the run after this long
  --mode smart|full     smart (default): contended waits and counters; full: every operation
  --stop-on-deadlock    stop the run when a deadlock is detected and exit with code 3`;

class UsageError extends Error {}

interface Options {
  python?: string;
  summary?: string;
  chromeTrace?: string;
  timeoutSec: number;
  mode: TraceMode;
  stopOnDeadlock: boolean;
  json: boolean;
  positional: string[];
  passthrough: string[];
}

function parseArgs(argv: string[]): Options {
  const o: Options = { timeoutSec: 0, mode: 'smart', stopOnDeadlock: false, json: false, positional: [], passthrough: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--') {
      o.passthrough = argv.slice(i + 1);
      break;
    } else if (a === '--python') o.python = value();
    else if (a === '--summary') o.summary = value();
    else if (a === '--chrome-trace') o.chromeTrace = value();
    else if (a === '--timeout') {
      o.timeoutSec = Number(value());
      if (!(o.timeoutSec > 0)) throw new UsageError('--timeout needs a positive number of seconds');
    } else if (a === '--mode') {
      const m = value();
      if (m !== 'smart' && m !== 'full') throw new UsageError('--mode is smart or full');
      o.mode = m;
    } else if (a === '--stop-on-deadlock') o.stopOnDeadlock = true;
    else if (a === '--json') o.json = true;
    else if (a === '--help' || a === '-h') throw new UsageError('');
    else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
    else o.positional.push(a);
  }
  return o;
}

async function main(argv: string[]): Promise<number> {
  const layout = layoutFromRoot(path.resolve(__dirname, '..'));
  const [command, ...rest] = argv;
  const o = parseArgs(rest);
  switch (command) {
    case 'recipes': {
      const recipes = loadCatalog(layout.recipesDir);
      if (o.json) {
        const list = recipes.map((r) => ({ id: r.id, title: r.title, section: r.section, file: path.join(layout.recipesDir, r.file) }));
        process.stdout.write(JSON.stringify(list, null, 2) + '\n');
      } else {
        for (const r of recipes) process.stdout.write(`${r.id.padEnd(48)} ${r.section.padEnd(16)} ${r.title}\n`);
      }
      return 0;
    }
    case 'run': {
      const id = o.positional[0];
      if (!id) throw new UsageError('run needs a recipe id (see `recipes`)');
      const recipe = findRecipe(loadCatalog(layout.recipesDir), id);
      if (!recipe) throw new UsageError(`no recipe "${id}" (see \`recipes\`)`);
      return trace(layout, o, path.join(layout.recipesDir, recipe.file), o.positional.slice(1).concat(o.passthrough));
    }
    case 'trace': {
      const [script, ...args] = o.passthrough.length > 0 ? o.passthrough : o.positional;
      if (!script) throw new UsageError('trace needs a script: trace [options] -- script.py [args...]');
      if (!fs.existsSync(script)) throw new UsageError(`no such script: ${script}`);
      return trace(layout, o, path.resolve(script), args);
    }
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(USAGE + '\n');
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

async function trace(layout: ReturnType<typeof layoutFromRoot>, o: Options, script: string, args: string[]): Promise<number> {
  const python = await resolvePython(o.python);
  const request = makeRunRequest(layout, {
    python: python.executable,
    script,
    args,
    cwd: process.cwd(),
    mode: o.mode,
    timeoutSec: o.timeoutSec,
    stopOnDeadlock: o.stopOnDeadlock,
  });
  const host = new RunHost(request, layout.workerScript);
  const recording = o.chromeTrace ? new RunRecording() : null;
  host.onMessage((m) => {
    if (m.type === 'delta') recording?.add(m.delta);
    else if (m.type === 'output') (m.stream === 'stdout' ? process.stdout : process.stderr).write(m.data);
    else if (m.type === 'notice') process.stderr.write(`[parallel-cookbook] ${m.message}\n`);
  });
  const onData = (d: Buffer) => host.writeStdin(d.toString('utf8'));
  const onEnd = () => host.endStdin();
  process.stdin.on('data', onData);
  process.stdin.on('end', onEnd);
  process.stdin.on('error', onEnd);
  const onSignal = () => void host.stop('interrupted');
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const outcome = await host.outcome;
  process.stdin.off('data', onData);
  process.stdin.pause();
  if (!outcome.ok) {
    process.stderr.write(`parallel-cookbook: ${outcome.message}\n`);
    return 2;
  }
  const s = outcome.summary;
  if (o.summary) fs.writeFileSync(o.summary, JSON.stringify(s, null, 2) + os.EOL);
  if (o.chromeTrace && recording) fs.writeFileSync(o.chromeTrace, JSON.stringify(toChromeTrace(recording, path.basename(script))));
  reportEnd(s);
  if (s.deadlocks.length > 0 && o.stopOnDeadlock) return 3;
  if (s.exitCode !== null) return s.exitCode;
  const n = s.signal ? os.constants.signals[s.signal as NodeJS.Signals] : undefined;
  return n ? 128 + n : 1;
}

function reportEnd(s: RunSummary): void {
  const how = s.exitCode !== null ? `exit code ${s.exitCode}` : s.signal ? `killed by ${s.signal}` : 'ended';
  const notes: string[] = [];
  if (s.deadlocks.length > 0) notes.push(`deadlock: ${s.deadlocks.map((d) => d.threads.join(' -> ')).join('; ')}`);
  if (s.records.dropped > 0) notes.push(`${s.records.dropped} trace records dropped`);
  if (s.records.malformed > 0) notes.push(`${s.records.malformed} malformed trace records ignored`);
  if (s.stopped || s.exitCode !== 0 || notes.length > 0) {
    process.stderr.write(`[parallel-cookbook] ${s.stopped ? 'stopped, ' : ''}${how}${notes.length ? '; ' + notes.join('; ') : ''}\n`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof UsageError) {
      if (err.message) process.stderr.write(`parallel-cookbook: ${err.message}\n\n`);
      process.stderr.write(USAGE + '\n');
      process.exit(err.message ? 2 : 0);
    }
    if (err instanceof PythonError || err instanceof CatalogError) {
      process.stderr.write(`parallel-cookbook: ${err.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`parallel-cookbook: unexpected error: ${(err as Error).stack ?? err}\n`);
    process.exit(2);
  },
);
