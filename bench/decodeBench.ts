/**
 * Worker-host throughput, measured on a synthetic full-mode stream shaped like the tracer's
 * (two threads taking one lock in `with` blocks: one Hold record per hold, as the tracer writes
 * since schema 2):
 * - decodeRecordsPerSec: bytes -> records, decoder only (the sink does nothing);
 * - modelRecordsPerSec: bytes -> records -> lifecycle model -> deltas -> recording;
 * - hostBytesPerRecord: heap kept per record once the whole run is recorded (needs --expose-gc).
 */
import { LifecycleModel } from '../extension/host/lifecycleModel';
import { RunRecording } from '../extension/host/runRecording';
import { encodeFixed, encodeMeta, RecordSink, TraceStreamDecoder } from '../extension/host/traceDecoder';
import { RecordType } from '../extension/host/traceSchema';

const CHUNK = 64 * 1024;

/** Metas, then `holds` Hold records alternating between two threads, cut into 64 KiB chunks. */
export function syntheticStream(holds: number): { chunks: Uint8Array[]; records: number } {
  const head = [
    encodeMeta({ m: 'hello', v: 1, pid: 1000, ppid: 1, start: 'root', python: '3.12.1', exe: 'python3', argv: ['bench.py'], name: 'MainProcess', mode: 'full', t: 0 }),
    encodeMeta({ m: 'thread', thread: 0, ident: 1, native: 1000, name: 'MainThread', daemon: false }),
    encodeMeta({ m: 'thread', thread: 1, ident: 2, native: 1001, name: 'worker-1', daemon: false }),
    encodeMeta({ m: 'object', obj: 1, kind: 'Lock', name: 'lock' }),
  ];
  const records = head.length + 2 + holds;
  const body = new Uint8Array(records * 24 + head.reduce((n, h) => n + h.length, 0));
  let off = 0;
  for (const h of head) {
    body.set(h, off);
    off += h.length;
  }
  for (const thread of [0, 1]) {
    body.set(encodeFixed(RecordType.ThreadStart, 0, thread, 0, 1, 0, 0), off);
    off += 24;
  }
  const view = new DataView(body.buffer);
  let t = 10;
  for (let i = 0; i < holds; i++) {
    view.setUint8(off, RecordType.Hold);
    view.setUint16(off + 2, i & 1, true);
    view.setUint32(off + 4, 1, true);
    view.setFloat64(off + 8, (t += 300), true);
    view.setFloat32(off + 20, 150, true); // the duration, as the tracer packs it
    off += 24;
  }
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < off; i += CHUNK) chunks.push(body.subarray(i, Math.min(off, i + CHUNK)));
  return { chunks, records };
}

const noopSink: RecordSink = { record: () => undefined, meta: () => undefined, malformed: () => undefined };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeIt(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** Decode -> model -> deltas -> recording, as the worker host and its owner do for a whole run. */
function recordWholeRun(chunks: Uint8Array[]): { model: LifecycleModel; recording: RunRecording } {
  const model = new LifecycleModel();
  const recording = new RunRecording();
  const d = new TraceStreamDecoder(model.connect());
  // A delta every 16 chunks: about what 60 deltas a second see at ~4M records/s.
  chunks.forEach((c, i) => {
    d.push(c);
    if (i % 16 === 15) recording.add(model.takeDelta(0));
  });
  recording.add(model.takeDelta(0));
  return { model, recording };
}

export function runDecodeBench(runs = 5, holds = 4_000_000): Record<string, number> {
  const { chunks, records } = syntheticStream(holds);
  const decodeSecs: number[] = [];
  const modelSecs: number[] = [];
  for (let r = 0; r < runs; r++) {
    decodeSecs.push(
      timeIt(() => {
        const d = new TraceStreamDecoder(noopSink);
        for (const c of chunks) d.push(c);
        d.end();
      }),
    );
    modelSecs.push(timeIt(() => recordWholeRun(chunks)));
  }
  const result: Record<string, number> = {
    records,
    decodeRecordsPerSec: Math.round(records / median(decodeSecs)),
    modelRecordsPerSec: Math.round(records / median(modelSecs)),
  };
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    const before = process.memoryUsage().heapUsed;
    const kept = recordWholeRun(chunks);
    gc();
    const after = process.memoryUsage().heapUsed;
    result.hostBytesPerRecord = Math.round(((after - before) / records) * 10) / 10;
    if (kept.recording.holds.obj.length < 0) console.log('unreachable'); // keeps it alive until measured
  }
  return result;
}

if (require.main === module) console.log(JSON.stringify(runDecodeBench(), null, 2));
