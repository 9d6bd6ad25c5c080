/**
 * `npm run bench`: every benchmark, side by side in one run, on this machine. Prints the figures,
 * writes bench/results.json and BENCHMARKS.md (with the command that produced them).
 * Benchmarks measure; they never fail on a number (tests don't time anything).
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RunSummary } from '../extension/protocol';
import { chromiumMissing } from '../test/harness/paths';
import { installedPythons } from '../test/pythonVersions';

const root = path.resolve(__dirname, '..', '..');
const COMMAND = 'npm run bench';

interface Section {
  title: string;
  command: string;
  figures: Record<string, unknown>;
  notes?: string[];
}

function log(message: string): void {
  console.log(`[bench] ${message}`);
}

function tmpFile(name: string): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pcb-bench-')), name);
}

function decode(): Section {
  const command = 'node --expose-gc out/bench/decodeBench.js';
  log(`worker host decoding: ${command}`);
  const out = execFileSync(process.execPath, ['--expose-gc', path.join(root, 'out', 'bench', 'decodeBench.js')], { encoding: 'utf8' });
  return { title: 'Worker host: decode and model (synthetic full-mode stream, 4M records, median of 5)', command, figures: JSON.parse(out) };
}

interface OverheadFile {
  results: Record<string, Record<string, { wall: number; ratio: number; pairedQuartiles?: [number, number] | null }>>;
}

/** Runs a Python benchmark of bench/ (it runs every installed Python itself) and reads its --json file. */
function pythonBench<T>(script: string, args: string[]): T | null {
  const out = tmpFile('result.json');
  const pythons = installedPythons();
  const runner = pythons.length ? pythons[pythons.length - 1].executable : 'python3';
  const r = spawnSync(runner, [path.join(root, 'bench', script), ...args, '--json', out], {
    encoding: 'utf8',
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: 40 * 60 * 1000,
  });
  return r.status === 0 && fs.existsSync(out) ? (JSON.parse(fs.readFileSync(out, 'utf8')) as T) : null;
}

/** Runs bench/tracer_overhead.py (traced and plain interleaved, per installed Python). */
function overheadRun(args: string[]): OverheadFile | null {
  return pythonBench<OverheadFile>('tracer_overhead.py', args);
}

function ratios(file: OverheadFile | null, mode: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [version, modes] of Object.entries(file?.results ?? {})) if (modes[mode]) out[version] = modes[mode].ratio;
  return out;
}

/** Per Python, "p25..p75" of the single runs' traced / plain ratios: the noise around a median. */
function spreads(file: OverheadFile | null, mode: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [version, modes] of Object.entries(file?.results ?? {})) {
    const q = modes[mode]?.pairedQuartiles;
    if (q) out[version] = `${q[0]}..${q[1]}`;
  }
  return out;
}

/**
 * The plain 2-thread lock loop sometimes falls into a lock convoy of its own (the releasing
 * thread keeps the GIL and takes the lock back while the woken one waits): its wall time then
 * doubles or triples and the ratio falls below 1. Say so next to the figure.
 */
function convoyNotes(file: OverheadFile | null): string[] {
  const notes: string[] = [];
  for (const [version, modes] of Object.entries(file?.results ?? {})) {
    const smart = modes.smart;
    if (smart && smart.ratio < 0.9) {
      notes.push(
        `Python ${version}: the plain run fell into a lock convoy (plain ${modes.plain.wall} s, smart ${smart.wall} s): ` +
          'its ratios show the tracer avoiding the convoy, not its cost; the instruction counts below do',
      );
    }
  }
  return notes;
}

const LOCK_RUNS = '15';
const CONTENDED_RUNS = '5';
const MP_RUNS = '31';

function tracerOverhead(): Section {
  const lockCommand = `python3 bench/tracer_overhead.py --runs ${LOCK_RUNS} --modes smart,full`;
  const contendedCommand = `python3 bench/tracer_overhead.py --runs ${CONTENDED_RUNS} --modes smart,full --count 100000 --workload bench/tracer_workload_contended.py`;
  const mpCommand = `python3 bench/tracer_overhead.py --runs ${MP_RUNS} --modes smart --workload bench/tracer_workload_mp.py`;
  log(`tracer overhead on the lock recipe (every installed Python; minutes): ${lockCommand}`);
  const lock = overheadRun(['--runs', LOCK_RUNS, '--modes', 'smart,full']);
  log(`tracer overhead on the contended lock recipe: ${contendedCommand}`);
  const contended = overheadRun([
    '--runs', CONTENDED_RUNS, '--modes', 'smart,full', '--count', '100000',
    '--workload', path.join(root, 'bench', 'tracer_workload_contended.py'),
  ]);
  log(`tracer overhead on the multiprocessing recipe: ${mpCommand}`);
  const mp = overheadRun(['--runs', MP_RUNS, '--modes', 'smart', '--workload', path.join(root, 'bench', 'tracer_workload_mp.py')]);
  const installed = installedPythons().map((p) => p.minor);
  const missing = ['3.8', '3.9', '3.10', '3.11', '3.12', '3.13'].filter((v) => !installed.includes(v));
  const notes = missing.length ? [`not installed here, not measured: Python ${missing.join(', ')}`] : [];
  if (!lock || !contended || !mp) notes.push('a tracer benchmark failed: see its output above');
  notes.push(...convoyNotes(lock));
  notes.push(
    'Contended variant: in the plain run a thread that finds the lock taken blocks in the OS, and the release hands the lock over ' +
      'through it (a convoy, by design of this variant); the tracer first yields the GIL a few times, which often lets the holder ' +
      'finish, so its ratio can fall below 1. A wait that still blocks is recorded (WaitBegin, WaitEnd and the release that ended it).',
  );
  return {
    title:
      `Tracer overhead: traced wall / plain wall of the whole process, interleaved, per Python, median of ${LOCK_RUNS} runs (lock recipe: two threads trading the GIL, each run's wall varies by +-20%), of ${CONTENDED_RUNS} (contended variant) and of ${MP_RUNS} (multiprocessing recipe: a 0.3-0.5 s run of ~10 processes, so the noisier: tracerOverheadMultiprocessingRunQuartiles shows how far single runs stray). ` +
      "Lock recipe: the seed's 2 threads x 1,000,000 `with lock`; contended variant: 2 threads x 100,000 `with lock`, every tenth critical section releasing the GIL (time.sleep(0)); multiprocessing recipe: Process, Queue, Pipe, Pool, executors, Manager",
    command: `${lockCommand}; ${contendedCommand}; ${mpCommand}`,
    figures: {
      tracerOverheadSmart: ratios(lock, 'smart'),
      tracerOverheadFull: ratios(lock, 'full'),
      tracerOverheadSmartContended: ratios(contended, 'smart'),
      tracerOverheadFullContended: ratios(contended, 'full'),
      tracerOverheadMultiprocessing: ratios(mp, 'smart'),
      // not a goal: how far single runs stray from the median above (a run paired with the plain run before it)
      tracerOverheadMultiprocessingRunQuartiles: spreads(mp, 'smart'),
      raw: { lock: lock?.results ?? null, contended: contended?.results ?? null, multiprocessing: mp?.results ?? null },
    },
    notes,
  };
}

/** The same tracer cost in instructions (callgrind, one thread): unmoved by the machine's load. */
function tracerInstructions(): Section {
  const command = 'python3 bench/tracer_instructions.py --modes smart,full';
  log(`tracer cost in instructions (callgrind; minutes): ${command}`);
  const file = pythonBench<{ results: Record<string, Record<string, number>> }>('tracer_instructions.py', ['--modes', 'smart,full']);
  const results = file?.results ?? {};
  const pick = (mode: string) => Object.fromEntries(Object.entries(results).map(([v, row]) => [v, row[mode]]));
  return {
    title: 'Tracer cost in instructions: callgrind, one thread of the lock loop, traced / plain instructions per `with lock:` iteration (start-up cancelled out); not a goal, a load-independent view of the wall ratios above',
    command,
    figures: { tracerInstructionRatioSmart: pick('smart'), tracerInstructionRatioFull: pick('full'), raw: results },
    notes: Object.keys(results).length ? [] : ['valgrind is not installed here (or the run failed): no instruction counts'],
  };
}

/** The multiprocessing workload's cost per operation in instructions: what its wall ratio is made of. */
function tracerOperationInstructions(): Section {
  const command = 'python3 bench/tracer_instructions.py --operations';
  log(`tracer cost per multiprocessing operation in instructions (callgrind; minutes): ${command}`);
  const file = pythonBench<{ results: Record<string, Record<string, { plain: number; smart: number; ratio: number }>> }>('tracer_instructions.py', ['--operations']);
  const results = file?.results ?? {};
  return {
    title:
      'Tracer cost per operation of the multiprocessing workload in instructions: callgrind, the process that runs it, plain -> smart instructions per operation (start-up cancelled out; see bench/tracer_workload_mp_ops.py); not a goal, where tracerOverheadMultiprocessing comes from',
    command,
    figures: { tracerInstructionsPerMpOperation: results },
    notes: Object.keys(results).length ? [] : ['valgrind is not installed here (or the run failed): no instruction counts'],
  };
}

function liveLag(): Section {
  const summaryFile = tmpFile('summary.json');
  const workload = path.join(root, 'bench', 'tracer_workload_lock.py');
  const command = 'node dist/cli.js trace --mode full --summary s.json -- bench/tracer_workload_lock.py';
  log(`live lag under the 1M lock recipe in full mode: ${command}`);
  const lags: number[] = [];
  const hostLags: number[] = [];
  let summary: RunSummary | null = null;
  for (let i = 0; i < 3; i++) {
    const r = spawnSync(process.execPath, [path.join(root, 'dist', 'cli.js'), 'trace', '--mode', 'full', '--summary', summaryFile, '--', workload], { encoding: 'utf8', timeout: 300000 });
    if (r.status !== 0) return { title: 'Live lag', command, figures: {}, notes: [`failed: ${r.stderr.slice(0, 300)}`] };
    summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8')) as RunSummary;
    lags.push(summary.liveLagMs.p99);
    hostLags.push(summary.liveLagMs.hostP99);
  }
  lags.sort((a, b) => a - b);
  hostLags.sort((a, b) => a - b);
  return {
    title: 'Live lag: time of the oldest record in a delta (for a Hold: its end, when it is written) -> delta posted, full mode, 1M lock recipe (median of 3 runs)',
    command,
    figures: {
      liveLagMsP99: lags[1],
      liveLagMsP50: summary!.liveLagMs.p50,
      // The part spent in the host: bytes arrived on the channel -> delta posted.
      hostLagMsP99: hostLags[1],
      records: summary!.records.total,
      dropped: summary!.records.dropped,
    },
  };
}

function render(): Section | null {
  const script = path.join(root, 'out', 'bench', 'renderBench.js');
  if (!fs.existsSync(script)) return null;
  const command = 'node out/bench/renderBench.js';
  const missing = chromiumMissing();
  if (missing) return { title: 'Timeline webview', command, figures: {}, notes: [`not measured: ${missing}`] };
  log(`timeline rendering in headless Chromium: ${command}`);
  const r = spawnSync(process.execPath, [script, '--json'], { encoding: 'utf8', timeout: 15 * 60 * 1000 });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return { title: 'Timeline webview in headless Chromium (real bundle, axis and labels drawn)', command, figures: JSON.parse(last) };
  } catch {
    return { title: 'Timeline webview', command, figures: {}, notes: [`failed: ${r.stderr.slice(0, 300)}`] };
  }
}

/** The goals the issues set, checked against what was measured (worst case over Pythons). */
const GOALS: { name: string; goal: string; ok?: (v: number) => boolean; worse: 'max' | 'min' }[] = [
  { name: 'tracerOverheadSmart', goal: '<= 1.3 (never above 1.5)', ok: (v) => v <= 1.3, worse: 'max' },
  // #3 asks for the contended variant to be measured, and sets no goal for it
  { name: 'tracerOverheadSmartContended', goal: 'measured, no goal', worse: 'max' },
  { name: 'tracerOverheadFullContended', goal: 'measured, no goal', worse: 'max' },
  { name: 'tracerOverheadMultiprocessing', goal: '<= 1.15', ok: (v) => v <= 1.15, worse: 'max' },
  { name: 'tracerOverheadFull', goal: '<= 4', ok: (v) => v <= 4, worse: 'max' },
  { name: 'decodeRecordsPerSec', goal: '>= 20,000,000', ok: (v) => v >= 2e7, worse: 'min' },
  { name: 'hostBytesPerRecord', goal: '<= 40', ok: (v) => v <= 40, worse: 'max' },
  { name: 'liveLagMsP99', goal: '<= 50', ok: (v) => v <= 50, worse: 'max' },
  { name: 'timelineFrameMsMedian1M', goal: '<= 10', ok: (v) => v <= 10, worse: 'max' },
  { name: 'timelineFrameMsMedian4M', goal: '<= 16', ok: (v) => v <= 16, worse: 'max' },
  { name: 'timelineHeapMB1M', goal: '<= 150', ok: (v) => v <= 150, worse: 'max' },
  { name: 'timelineLiveLagMsP95', goal: '<= 50', ok: (v) => v <= 50, worse: 'max' },
  { name: 'timelineFirstPaintMs', goal: '<= 300', ok: (v) => v <= 300, worse: 'max' },
];

function goalTable(sections: Section[]): string[] {
  const figures: Record<string, unknown> = Object.assign({}, ...sections.map((s) => s.figures));
  const rows = ['| figure | measured | goal | met |', '|---|---|---|---|'];
  for (const g of GOALS) {
    const v = figures[g.name];
    let shown: string;
    let value: number;
    if (typeof v === 'number') {
      value = v;
      shown = String(v);
    } else if (v && typeof v === 'object' && Object.keys(v).length > 0) {
      const per = Object.entries(v as Record<string, number>);
      value = g.worse === 'max' ? Math.max(...per.map(([, x]) => x)) : Math.min(...per.map(([, x]) => x));
      shown = per.map(([k, x]) => `${k}: ${x}`).join(', ');
    } else continue;
    const met = g.ok ? (g.ok(value) ? 'yes' : '**no**') : '-';
    rows.push(`| \`${g.name}\` | ${shown} | ${g.goal} | ${met} |`);
  }
  return rows;
}

function markdown(sections: Section[], when: string, load: number | undefined): string {
  const lines = [
    '# Benchmarks',
    '',
    `Latest figures, produced by \`${COMMAND}\` on ${when} (${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average before the run ${load === undefined ? 'not recorded' : load.toFixed(2)}).`,
    'Each figure is a ratio or a rate measured side by side in the same run; `bench/results.json` has the raw numbers.',
    '',
    ...goalTable(sections),
    '',
  ];
  for (const s of sections) {
    lines.push(`## ${s.title}`, '', `Command: \`${s.command}\``, '', '```json', JSON.stringify(s.figures, null, 2), '```', '');
    for (const n of s.notes ?? []) lines.push(`- ${n}`);
    if (s.notes?.length) lines.push('');
  }
  return lines.join('\n');
}

function main(): void {
  const only = process.argv.slice(2);
  if (only.includes('--rewrite')) {
    // Regenerate BENCHMARKS.md from bench/results.json without measuring again.
    const saved = JSON.parse(fs.readFileSync(path.join(root, 'bench', 'results.json'), 'utf8')) as { when: string; load?: number; sections: Section[] };
    fs.writeFileSync(path.join(root, 'BENCHMARKS.md'), markdown(saved.sections, saved.when, saved.load));
    return;
  }
  const want = (name: string) => only.length === 0 || only.includes(name);
  const load = os.loadavg()[0]; // other work on the machine skews every figure: say how much there was
  const sections: Section[] = [];
  if (want('decode')) sections.push(decode());
  if (want('lag')) sections.push(liveLag());
  if (want('render')) {
    const r = render();
    if (r) sections.push(r);
  }
  if (want('tracer')) sections.push(tracerOverhead());
  if (want('instructions')) sections.push(tracerInstructions());
  if (want('operations')) sections.push(tracerOperationInstructions());
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  for (const s of sections) console.log([`\n${s.title}`, JSON.stringify(s.figures, null, 2), ...(s.notes ?? []).map((n) => `- ${n}`)].join('\n'));
  if (only.length === 0) {
    fs.writeFileSync(path.join(root, 'bench', 'results.json'), JSON.stringify({ when, load, command: COMMAND, sections }, null, 2) + '\n');
    fs.writeFileSync(path.join(root, 'BENCHMARKS.md'), markdown(sections, when, load));
    log('wrote bench/results.json and BENCHMARKS.md');
  }
}

main();
