/**
 * Decodes one connection's byte stream (see traceSchema.ts) into calls on a RecordSink.
 * Fixed records are read straight from a DataView with no per-record allocation: this is the
 * hot path of the worker host. Chunks may split records anywhere; the tail is carried over.
 */
import {
  FIXED_RECORD_BYTES,
  MAX_META_BYTES,
  META_HEADER_BYTES,
  MetaRecord,
  RecordType,
} from './traceSchema';

export interface RecordSink {
  record(type: number, flags: number, thread: number, obj: number, t: number, a: number, b: number): void;
  meta(meta: MetaRecord): void;
  /** The stream broke the schema; the decoder ignores the rest of this connection. */
  malformed(reason: string): void;
}

const MAX_FIXED_TYPE = 126;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export class TraceStreamDecoder {
  private carry: Uint8Array | null = null;
  private broken = false;
  /** Fixed and meta records decoded so far. */
  count = 0;

  constructor(private readonly sink: RecordSink) {}

  get isBroken(): boolean {
    return this.broken;
  }

  push(chunk: Uint8Array): void {
    if (this.broken || chunk.length === 0) return;
    let bytes = chunk;
    if (this.carry) {
      const joined = new Uint8Array(this.carry.length + chunk.length);
      joined.set(this.carry, 0);
      joined.set(chunk, this.carry.length);
      bytes = joined;
      this.carry = null;
    }
    const consumed = this.decode(bytes);
    if (!this.broken && consumed < bytes.length) this.carry = bytes.slice(consumed);
  }

  /** The connection closed: a partial record left over is a truncated record. */
  end(): void {
    if (!this.broken && this.carry && this.carry.length > 0) {
      this.fail(`truncated record at end of stream (${this.carry.length} bytes)`);
    }
    this.carry = null;
  }

  private decode(bytes: Uint8Array): number {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const sink = this.sink;
    const length = bytes.length;
    let off = 0;
    let count = 0;
    while (off < length) {
      const type = bytes[off];
      if (type === RecordType.Meta) {
        if (off + META_HEADER_BYTES > length) break;
        const n = view.getUint32(off + 4, true);
        if (bytes[off + 1] !== 0 || bytes[off + 2] !== 0 || bytes[off + 3] !== 0 || n > MAX_META_BYTES) {
          this.fail(`bad meta header at byte ${off}`);
          return off;
        }
        if (off + META_HEADER_BYTES + n > length) break;
        const meta = this.parseMeta(bytes.subarray(off + META_HEADER_BYTES, off + META_HEADER_BYTES + n));
        if (meta === null) return off;
        count++;
        sink.meta(meta);
        off += META_HEADER_BYTES + n;
        continue;
      }
      if (type === 0 || type > MAX_FIXED_TYPE) {
        this.fail(`unknown record type ${type} at byte ${off}`);
        return off;
      }
      if (off + FIXED_RECORD_BYTES > length) break;
      count++;
      sink.record(
        type,
        bytes[off + 1],
        view.getUint16(off + 2, true),
        view.getUint32(off + 4, true),
        view.getFloat64(off + 8, true),
        view.getInt32(off + 16, true),
        view.getInt32(off + 20, true),
      );
      off += FIXED_RECORD_BYTES;
    }
    this.count += count;
    return off;
  }

  private parseMeta(json: Uint8Array): MetaRecord | null {
    let value: unknown;
    try {
      value = JSON.parse(utf8.decode(json));
    } catch {
      this.fail('meta record is not valid UTF-8 JSON');
      return null;
    }
    if (typeof value !== 'object' || value === null || typeof (value as { m?: unknown }).m !== 'string') {
      this.fail('meta record without a kind');
      return null;
    }
    return value as MetaRecord;
  }

  private fail(reason: string): void {
    this.broken = true;
    this.carry = null;
    this.sink.malformed(reason);
  }
}

/** Encoders used by tests and benchmarks to produce streams exactly as the tracer does. */
export function encodeFixed(
  type: number,
  flags: number,
  thread: number,
  obj: number,
  t: number,
  a: number,
  b: number,
): Uint8Array {
  const out = new Uint8Array(FIXED_RECORD_BYTES);
  const view = new DataView(out.buffer);
  view.setUint8(0, type);
  view.setUint8(1, flags);
  view.setUint16(2, thread, true);
  view.setUint32(4, obj, true);
  view.setFloat64(8, t, true);
  view.setInt32(16, a, true);
  view.setInt32(20, b, true);
  return out;
}

export function encodeMeta(meta: MetaRecord | Record<string, unknown>): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(meta));
  const out = new Uint8Array(META_HEADER_BYTES + json.length);
  new DataView(out.buffer).setUint32(4, json.length, true);
  out[0] = RecordType.Meta;
  out.set(json, META_HEADER_BYTES);
  return out;
}
