/**
 * Runs a test program under the tracer through test/tracer/sink.py and gives the decoded trace,
 * one entry per connection (= per process). Jobs share one queue that runs at most two sink
 * runs at a time (the machines have 2 cores), so tests schedule everything up front and await.
 */
import { spawn } from 'child_process';
import * as path from 'path';
import { defaultPython } from '../pythonVersions';

export const REPO = path.resolve(__dirname, '..', '..', '..'); // out/test/tracer -> repo
export const SINK = path.join(REPO, 'test', 'tracer', 'sink.py');
export const PROGRAMS = path.join(REPO, 'test', 'tracer', 'programs');

export interface Rec {
  type: string;
  flags: number;
  thread: number;
  obj: number;
  t: number;
  a: number;
  b: number;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Meta = { m: string; [k: string]: any };

export interface Proc {
  conn: number;
  hello: Meta;
  /** Records and metas in stream order. */
  items: Array<{ rec: Rec } | { meta: Meta }>;
  recs: Rec[];
  metas: Meta[];
  eof: boolean;
  bad: boolean;
}

export interface Trace {
  procs: Proc[];
  rc: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface RunOptions {
  mode?: 'smart' | 'full';
  socket?: 'ok' | 'missing' | 'close' | 'none' | 'stall' | 'slow';
  args?: string[];
  env?: Record<string, string>;
  timeoutS?: number;
}

export function runTraced(python: string, program: string, opts: RunOptions = {}): Promise<Trace> {
  return enqueue(() => runNow(python, program, opts));
}

function runNow(python: string, program: string, opts: RunOptions): Promise<Trace> {
  const args = [SINK, '--python', python, '--timeout', String(opts.timeoutS ?? 60)];
  if (opts.mode) args.push('--mode', opts.mode);
  if (opts.socket) args.push('--socket', opts.socket);
  for (const [k, v] of Object.entries(opts.env ?? {})) args.push('--env', `${k}=${v}`);
  args.push('--', path.join(PROGRAMS, program), ...(opts.args ?? []));
  return new Promise((resolve, reject) => {
    const child = spawn(defaultPython(), args, { cwd: PROGRAMS, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`sink failed (${code}): ${Buffer.concat(err).toString()}`));
        return;
      }
      try {
        resolve(parse(Buffer.concat(out).toString('utf8')));
      } catch (e) {
        reject(e);
      }
    });
  });
}

function parse(text: string): Trace {
  const byConn = new Map<number, Proc>();
  const trace: Trace = { procs: [], rc: null, stdout: '', stderr: '', timedOut: false };
  const proc = (conn: number): Proc => {
    let p = byConn.get(conn);
    if (!p) {
      p = { conn, hello: { m: 'none' }, items: [], recs: [], metas: [], eof: false, bad: false };
      byConn.set(conn, p);
    }
    return p;
  };
  for (const line of text.split('\n')) {
    if (!line) continue;
    const d = JSON.parse(line);
    if (d.done) {
      trace.rc = d.rc;
      trace.stdout = d.stdout;
      trace.stderr = d.stderr;
      trace.timedOut = d.timedOut;
    } else if (d.eof) {
      const p = proc(d.conn);
      p.eof = true;
      p.bad = d.bad;
    } else if (d.meta) {
      const p = proc(d.conn);
      if (d.meta.m === 'hello' && p.hello.m === 'none') p.hello = d.meta;
      p.items.push({ meta: d.meta });
      p.metas.push(d.meta);
    } else if (d.rec) {
      const p = proc(d.conn);
      p.items.push({ rec: d.rec });
      p.recs.push(d.rec);
    }
  }
  trace.procs = [...byConn.values()].sort((a, b) => a.conn - b.conn);
  return trace;
}

// ---- a queue of at most two concurrent runs ------------------------------------------------
const MAX_CONCURRENT = 2;
let running = 0;
const waiting: Array<() => void> = [];

function enqueue<T>(job: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const start = () => {
      running++;
      job()
        .then(resolve, reject)
        .finally(() => {
          running--;
          const next = waiting.shift();
          if (next) next();
        });
    };
    if (running < MAX_CONCURRENT) start();
    else waiting.push(start);
  });
}

// ---- helpers for assertions ----------------------------------------------------------------
export function root(t: Trace): Proc {
  const p = t.procs.find((x) => x.hello.start === 'root');
  if (!p) throw new Error(`no root process in trace; stderr: ${t.stderr}`);
  return p;
}

export function byPid(t: Trace, pid: number): Proc | undefined {
  return t.procs.find((x) => x.hello.pid === pid);
}

export function metasOf(p: Proc, m: string): Meta[] {
  return p.metas.filter((x) => x.m === m);
}

export function recsOf(p: Proc, type: string): Rec[] {
  return p.recs.filter((r) => r.type === type);
}

/** Thread index by name (the last thread meta with that name). */
export function threadIndex(p: Proc, name: string): number {
  const ms = metasOf(p, 'thread').filter((x) => x.name === name);
  if (ms.length === 0) throw new Error(`no thread named ${name}: ${JSON.stringify(metasOf(p, 'thread'))}`);
  return ms[ms.length - 1].thread;
}

export function site(p: Proc, id: number): Meta | undefined {
  return metasOf(p, 'site').find((x) => x.site === id);
}

export function objectsOf(p: Proc, kind: string): Meta[] {
  return metasOf(p, 'object').filter((x) => x.kind === kind);
}

/** Human-readable dump of a trace, for assertion messages. */
export function dump(t: Trace): string {
  const lines: string[] = [];
  for (const p of t.procs) {
    lines.push(`-- conn ${p.conn} pid ${p.hello.pid} start ${p.hello.start} eof ${p.eof} bad ${p.bad}`);
    for (const it of p.items) {
      if ('rec' in it) {
        const r = it.rec;
        lines.push(`  ${r.type} f=${r.flags} th=${r.thread} obj=${r.obj} a=${r.a} b=${r.b}`);
      } else {
        lines.push(`  meta ${JSON.stringify(it.meta)}`);
      }
    }
  }
  lines.push(`rc=${t.rc} stderr=${t.stderr.slice(-2000)}`);
  return lines.join('\n');
}

/** The line number of the `# @marker` comment in a test program. */
export function lineOf(program: string, marker: string): number {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const fs = require('fs') as typeof import('fs');
  const lines = fs.readFileSync(path.join(PROGRAMS, program), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.endsWith(`# @${marker}`));
  if (i < 0) throw new Error(`no marker @${marker} in ${program}`);
  return i + 1;
}

/** The records of object `obj`, in stream order. */
export function recsOfObj(p: Proc, obj: number, type?: string): Rec[] {
  return p.recs.filter((r) => r.obj === obj && (type === undefined || r.type === type));
}

/** The object declared at the `# @marker` line of the program. */
export function objectAt(p: Proc, program: string, marker: string, kind?: string): Meta {
  const line = lineOf(program, marker);
  const o = metasOf(p, 'object').find((m) => m.line === line && (kind === undefined || m.kind === kind));
  if (!o) throw new Error(`no object at ${program}:${line} (@${marker}): ${JSON.stringify(metasOf(p, 'object'))}`);
  return o;
}

/** The line of a site id. */
export function siteLine(p: Proc, id: number): number | undefined {
  return site(p, id)?.line;
}

/** A per-test cache of runs, so each (python, program, options) runs once, scheduled early. */
export class Runs {
  private readonly runs = new Map<string, Promise<Trace>>();
  get(python: string, program: string, opts: RunOptions = {}): Promise<Trace> {
    const key = `${python}|${program}|${JSON.stringify(opts)}`;
    let r = this.runs.get(key);
    if (!r) {
      r = runTraced(python, program, opts);
      r.catch(() => undefined); // awaited (and so reported) by the test that needs it
      this.runs.set(key, r);
    }
    return r;
  }
}
