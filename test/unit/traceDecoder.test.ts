import * as assert from 'assert';
import { encodeFixed, encodeMeta, RecordSink, TraceStreamDecoder } from '../../extension/host/traceDecoder';
import { MetaRecord, RecordType } from '../../extension/host/traceSchema';

class CollectingSink implements RecordSink {
  records: number[][] = [];
  metas: MetaRecord[] = [];
  problems: string[] = [];
  record(type: number, flags: number, thread: number, obj: number, t: number, a: number, b: number): void {
    this.records.push([type, flags, thread, obj, t, a, b]);
  }
  meta(meta: MetaRecord): void {
    this.metas.push(meta);
  }
  malformed(reason: string): void {
    this.problems.push(reason);
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

const hello = { m: 'hello', v: 1, pid: 42, ppid: 1, start: 'root', python: '3.11.7', exe: 'py', argv: [], name: 'MainProcess', mode: 'smart', t: 5 };
const stream = concat([
  encodeMeta(hello),
  encodeMeta({ m: 'thread', thread: 1, ident: 99, native: 1001, name: 'worker-é', daemon: false }),
  encodeFixed(RecordType.ThreadStart, 0, 1, 0, 1234.5, 0, 0),
  encodeFixed(RecordType.WaitBegin, 1, 1, 7, 2_000_000_000_123, -5, 2147483647),
  encodeFixed(RecordType.ThreadExit, 0, 65535, 4294967295, 3e12, 0, -1),
]);

describe('TraceStreamDecoder', () => {
  it('decodes fixed and meta records with every field intact', () => {
    const sink = new CollectingSink();
    const d = new TraceStreamDecoder(sink);
    d.push(stream);
    d.end();
    assert.deepStrictEqual(sink.problems, []);
    assert.strictEqual(sink.metas.length, 2);
    assert.deepStrictEqual(sink.metas[0], hello);
    assert.strictEqual((sink.metas[1] as { name: string }).name, 'worker-é');
    assert.deepStrictEqual(sink.records, [
      [RecordType.ThreadStart, 0, 1, 0, 1234.5, 0, 0],
      [RecordType.WaitBegin, 1, 1, 7, 2_000_000_000_123, -5, 2147483647],
      [RecordType.ThreadExit, 0, 65535, 4294967295, 3e12, 0, -1],
    ]);
    assert.strictEqual(d.count, 5);
  });

  it('gives the same result whatever the chunking, down to one byte at a time', () => {
    const whole = new CollectingSink();
    new TraceStreamDecoder(whole).push(stream);
    for (const size of [1, 3, 7, 23, 24, 25, 64]) {
      const sink = new CollectingSink();
      const d = new TraceStreamDecoder(sink);
      for (let i = 0; i < stream.length; i += size) d.push(stream.subarray(i, i + size));
      d.end();
      assert.deepStrictEqual(sink.records, whole.records, `chunk size ${size}`);
      assert.deepStrictEqual(sink.metas, whole.metas, `chunk size ${size}`);
      assert.deepStrictEqual(sink.problems, []);
    }
  });

  it('reports a record cut off by the end of the stream as truncated', () => {
    const sink = new CollectingSink();
    const d = new TraceStreamDecoder(sink);
    d.push(stream.subarray(0, stream.length - 5));
    d.end();
    assert.strictEqual(sink.records.length, 2);
    assert.strictEqual(sink.problems.length, 1);
    assert.match(sink.problems[0], /truncated/);
  });

  it('counts garbage as malformed once and ignores the rest of that connection', () => {
    const sink = new CollectingSink();
    const d = new TraceStreamDecoder(sink);
    d.push(concat([encodeMeta(hello), new Uint8Array([200, 1, 2, 3]), encodeFixed(RecordType.ThreadStart, 0, 0, 0, 1, 0, 0)]));
    d.push(encodeFixed(RecordType.ThreadStart, 0, 0, 0, 2, 0, 0));
    d.end();
    assert.strictEqual(sink.metas.length, 1);
    assert.strictEqual(sink.records.length, 0);
    assert.strictEqual(sink.problems.length, 1);
    assert.ok(d.isBroken);
  });

  it('rejects a meta record that is not JSON or has no kind', () => {
    for (const body of ['{not json', '[1,2]', '{"x":1}']) {
      const json = new TextEncoder().encode(body);
      const bad = new Uint8Array(8 + json.length);
      bad[0] = RecordType.Meta;
      new DataView(bad.buffer).setUint32(4, json.length, true);
      bad.set(json, 8);
      const sink = new CollectingSink();
      new TraceStreamDecoder(sink).push(bad);
      assert.strictEqual(sink.problems.length, 1, body);
      assert.strictEqual(sink.metas.length, 0, body);
    }
  });
});
