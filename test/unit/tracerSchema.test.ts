/**
 * extension/tracer/pcb_tracer/schema.py mirrors extension/host/traceSchema.ts: every number and
 * name must agree (parsed from the TypeScript source, so the test also catches a TS addition that
 * the Python side forgot).
 */
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { defaultPython } from '../pythonVersions';

const REPO = path.resolve(__dirname, '..', '..', '..');
const TS = fs.readFileSync(path.join(REPO, 'extension', 'host', 'traceSchema.ts'), 'utf8');

/** `export const Name = { A: 1, // comment ... } as const;` -> {A: 1} */
function tsObject(name: string): Record<string, number | string> {
  const m = new RegExp(`export const ${name} = \\{([\\s\\S]*?)\\} as const;`).exec(TS);
  assert.ok(m, `${name} not found in traceSchema.ts`);
  const body = m![1].replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  const out: Record<string, number | string> = {};
  for (const e of body.matchAll(/(\w+)\s*:\s*('[^']*'|-?\d+)/g)) {
    out[e[1]] = e[2].startsWith("'") ? e[2].slice(1, -1) : Number(e[2]);
  }
  return out;
}

function tsConst(name: string): number {
  const m = new RegExp(`export const ${name} = ([^;]+);`).exec(TS);
  assert.ok(m, `${name} not found`);
  return Function(`return (${m![1]})`)() as number;
}

function tsMetaKinds(): string[] {
  return [...TS.matchAll(/\bm: '(\w+)';/g)].map((m) => m[1]);
}

function tsStartMethods(): string[] {
  const m = /export type StartMethod = ([^;]+);/.exec(TS);
  return [...m![1].matchAll(/'(\w+)'/g)].map((x) => x[1]);
}

function python(): Record<string, unknown> {
  const code = `
import json, sys
sys.path.insert(0, ${JSON.stringify(path.join(REPO, 'extension', 'tracer'))})
from pcb_tracer import schema as s
def ns(c): return {k: v for k, v in vars(c).items() if not k.startswith('_')}
print(json.dumps({'RecordType': ns(s.RecordType), 'WaitKind': ns(s.WaitKind), 'WaitResult': ns(s.WaitResult),
  'TraceEnv': ns(s.TraceEnv), 'MetaKind': sorted(ns(s.MetaKind).values()), 'START_METHODS': list(s.START_METHODS),
  'SCHEMA_VERSION': s.SCHEMA_VERSION, 'FIXED_RECORD_BYTES': s.FIXED_RECORD_BYTES, 'RECORD_SIZE': s.RECORD.size,
  'META_HEADER_BYTES': s.META_HEADER_BYTES, 'META_HEADER_SIZE': s.META_HEADER.size, 'MAX_META_BYTES': s.MAX_META_BYTES,
  'RECORD_FORMAT': s.RECORD.format if isinstance(s.RECORD.format, str) else s.RECORD.format.decode()}))
`;
  return JSON.parse(execFileSync(defaultPython(), ['-c', code], { encoding: 'utf8' }));
}

describe('tracer schema: schema.py agrees with traceSchema.ts', () => {
  const py = python();
  for (const name of ['RecordType', 'WaitKind', 'WaitResult', 'TraceEnv']) {
    it(`${name} has the same names and values`, () => {
      assert.deepStrictEqual(py[name], tsObject(name));
    });
  }
  it('has the same meta kinds', () => {
    assert.deepStrictEqual(py.MetaKind, [...new Set(tsMetaKinds())].sort());
  });
  it('has the same start methods', () => {
    assert.deepStrictEqual(py.START_METHODS, tsStartMethods());
  });
  it('has the same version and sizes, and the packed layout matches the documented offsets', () => {
    assert.strictEqual(py.SCHEMA_VERSION, tsConst('SCHEMA_VERSION'));
    assert.strictEqual(py.FIXED_RECORD_BYTES, tsConst('FIXED_RECORD_BYTES'));
    assert.strictEqual(py.RECORD_SIZE, tsConst('FIXED_RECORD_BYTES'));
    assert.strictEqual(py.META_HEADER_BYTES, tsConst('META_HEADER_BYTES'));
    assert.strictEqual(py.META_HEADER_SIZE, tsConst('META_HEADER_BYTES'));
    assert.strictEqual(py.MAX_META_BYTES, tsConst('MAX_META_BYTES'));
    assert.strictEqual(py.RECORD_FORMAT, '<BBHIdii');
  });
});
