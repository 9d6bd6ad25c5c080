"""The trace record schema, mirrored from extension/host/traceSchema.ts (the documented source of
truth). test/unit/tracerSchema.test.ts parses both files and checks that every number agrees, so
edit the TypeScript file first and copy the change here.
"""
import struct

SCHEMA_VERSION = 2
FIXED_RECORD_BYTES = 24
META_HEADER_BYTES = 8
MAX_META_BYTES = 1 << 20

# Fixed record: type u8, flags u8, thread u16, obj u32, t f64 (ns since PCB_T0), a i32, b i32.
RECORD = struct.Struct('<BBHIdii')
# Hold: the same 24 bytes, with b the hold's duration in ns as an f32 (see RecordType.Hold).
HOLD_RECORD = struct.Struct('<BBHIdif')
# Meta record header: type u8 (= META), 3 zero bytes, u32 length of the UTF-8 JSON that follows.
META_HEADER = struct.Struct('<B3xI')


class RecordType:
    ProcessExit = 1
    ThreadStart = 2
    ThreadExit = 3
    WaitBegin = 4
    WaitEnd = 5
    Acquire = 6
    Release = 7
    Notify = 8
    EventSet = 9
    EventClear = 10
    Put = 11
    Get = 12
    TaskSubmit = 13
    TaskStart = 14
    TaskEnd = 15
    SemaphoreValue = 16
    ChildExit = 17
    LockStats = 18
    Hold = 19
    Meta = 127


class WaitKind:
    Acquire = 1
    Condition = 2
    Event = 3
    QueueGet = 4
    QueuePut = 5
    Join = 6
    Barrier = 7
    Sleep = 8
    Result = 9
    PipeRecv = 10


class WaitResult:
    Ok = 0
    TimedOut = 1
    Failed = 2


class MetaKind:
    hello = 'hello'
    thread = 'thread'
    rename = 'rename'
    object = 'object'
    site = 'site'
    dropped = 'dropped'
    exception = 'exception'
    exec = 'exec'


START_METHODS = ('root', 'fork', 'spawn', 'forkserver', 'subprocess', 'exec')


class TraceEnv:
    socket = 'PCB_SOCKET'
    t0 = 'PCB_T0'
    mode = 'PCB_MODE'
    runId = 'PCB_RUN_ID'
