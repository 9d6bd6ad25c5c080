"""The channel to the host: a bounded in-memory buffer of encoded records, a background flusher,
and the connection to $PCB_SOCKET.

Rules this module keeps (each one was a real bug in the prototype):
- Only raw `_thread` locks and a raw `_thread` thread: nothing here can be traced, and the
  flusher is invisible to `threading.enumerate()`.
- Writers never wait: a record is appended with one C call (`bytearray.extend`, atomic under the
  GIL), and when the buffer is full the record is counted as dropped instead of blocking the
  program on a slow host. Only the flusher (or an exit/fork path) removes bytes, from the front,
  under `_flock`; since every append is a whole record, the cut is always on a record boundary.
- A broken or missing socket disables output quietly: the program runs as if untraced.
"""
import os
import _thread
import time

from .schema import RECORD, META_HEADER, RecordType, MAX_META_BYTES

_mono = time.monotonic_ns
_monof = time.monotonic  # the same clock in float seconds: cheaper than _mono() - T0 (see record)
_sleep = time.sleep  # saved before time.sleep is patched

# PCB_T0 is the run's CLOCK_MONOTONIC origin, shared by every process of the tree. A process
# started without it (a tracer run by hand) becomes its own origin and passes it on.
try:
    T0 = int(os.environ.get('PCB_T0') or 0)
except ValueError:
    T0 = 0
if not T0:
    T0 = _mono()
    os.environ['PCB_T0'] = str(T0)
_T0S = T0 / 1e9  # T0 in seconds, for float timestamps (exact to ~0.01 ns at any uptime)

FLUSH_INTERVAL_S = 0.010  # the view must be live: the host sees a record at most ~10 ms late
try:  # a knob for the instruction benchmark: under valgrind (~50x slower) ticks stretch alike
    FLUSH_INTERVAL_S = float(os.environ.get('PCB_FLUSH_INTERVAL_S') or FLUSH_INTERVAL_S)
except ValueError:
    pass
# A flusher that found nothing to send at two ticks in a row sleeps this long instead, and the
# first record written meanwhile wakes it (see _append_first): an idle process stops waking 100
# times a second (measured: the ticks of a multiprocessing program's idle workers and servers
# cost it ~6% of its CPU), and records still go out at once. What waits for the next tick then
# is only what the tick itself writes: lock counters (smart mode), and a long `with` hold's
# publication (full mode), both at most IDLE_INTERVAL_S late.
IDLE_INTERVAL_S = 0.1
LIMIT_BYTES = 8 << 20  # ~350k records: past this, fixed records are dropped and counted
try:  # a knob for the tests: a small buffer makes drops deterministic
    LIMIT_BYTES = int(os.environ.get('PCB_BUFFER_BYTES') or LIMIT_BYTES)
except ValueError:
    pass
# Past this many buffered bytes the writer sends them itself (see spill): a program that keeps
# the GIL busy leaves the flusher waiting for it for tens of ms, while its records pile up.
SPILL_BYTES = min(1 << 15, LIMIT_BYTES)
META_LIMIT_BYTES = 2 * LIMIT_BYTES  # metas (rare, vital for decoding) get extra room
# At exit, a host that reads nothing for this long is given up on (its records are lost); one
# that keeps reading, however slowly, gets everything, for up to EXIT_FLUSH_MAX_S.
EXIT_FLUSH_TIMEOUT_S = 2.0
EXIT_FLUSH_MAX_S = 30.0

buf = bytearray()  # never rebound: other modules bind buf.extend
_ext = buf.extend
_pack = RECORD.pack
_hdr = META_HEADER.pack
_flock = _thread.allocate_lock()  # serialises sending; never taken by a writer that must not wait
_wake = _thread.allocate_lock()  # held while the flusher sleeps; released to wake it early
_wake.acquire()
_sock = None
_NOSIGNAL = 0
_DONTWAIT = 0
SEND_CHUNK_BYTES = 1 << 20  # what a writer's spill offers the socket at most
_gen = 0  # flusher generation: a flusher whose generation is stale exits
# Records dropped so far, per thread that dropped them (get_ident() -> count; see dropped()).
# Each thread adds to its own entry only, so no drop goes uncounted: a shared `dropped += 1` lost
# thousands of a multi-threaded flood's drops on 3.8/3.9, which can switch threads between its
# load and its store.
_drops = {}
_dropped_sent = 0
_get_ident = _thread.get_ident
closed = True  # True until connect() succeeds, and again once the channel is broken or closed
tick_hooks = []  # called by the flusher before each flush (smart-mode lock counters)


def now():
    """ns since PCB_T0, as an int: for metas ("t" of the hello). Records are stamped in float
    ns, (_monof() - _T0S) * 1e9, inline: record_at compares its t with a float (see record)."""
    return _mono() - T0


# Writers append inline, without looking at the buffer's size: len(buf) makes an int object and
# cost a record a quarter of its instructions (~600 of ~2200 on 3.12). Instead a writer compares
# the record's timestamp with _next_check and takes spill() once that time has come: at most once
# every CHECK_INTERVAL_NS while all is well; on every record while the buffer is past its limit
# (each record is then counted dropped); and at once after the flusher went idle (the record must
# wake it). Between two checks a writer can add only what it writes in CHECK_INTERVAL_NS.
# A tenth of the flush interval (1 ms): it stretches with it under valgrind (see above).
CHECK_INTERVAL_NS = FLUSH_INTERVAL_S * 1e9 / 10
_CHECK_NOW = float('-inf')  # below any timestamp: the next record takes spill()
_next_check = _CHECK_NOW  # in ns since T0, like record timestamps


def record(typ, flags, thread, obj, a=0, b=0):
    """Append one fixed record, timestamped now. a and b must fit in i32 (callers clamp).
    The timestamp is float arithmetic on time.monotonic(): monotonic_ns() - T0 makes two ints and
    packs one as a double, 287 vs 219 ns per record on 3.12."""
    t = (_monof() - _T0S) * 1e9
    data = _pack(typ, flags, thread, obj, t, a, b)
    if t < _next_check:
        _ext(data)
    else:
        spill(data, t)


def vital(typ, flags, thread, obj, a=0, b=0):
    """A record the model cannot do without (thread/process lifecycle, counters): it gets the
    extra room metas get, so a flood of lock records cannot push it out."""
    t = (_monof() - _T0S) * 1e9
    data = _pack(typ, flags, thread, obj, t, a, b)
    if t < _next_check:
        _ext(data)
    else:
        spill(data, t, META_LIMIT_BYTES)


def record_at(t, typ, flags, thread, obj, a=0, b=0):
    """Append one fixed record with a timestamp taken earlier by the caller (an earlier t only
    puts off the next check: the idle and past-the-limit states are below every t)."""
    data = _pack(typ, flags, thread, obj, t, a, b)
    if t < _next_check:
        _ext(data)
    else:
        spill(data, t)


def record_since(t, typ, flags, thread, obj):
    """Append one fixed record stamped `t`, taken by the caller before an operation it has just
    done, with the operation's duration in ns as `a`: it took effect somewhere in [t, t + a]."""
    record_at(t, typ, flags, thread, obj, clamp32((_monof() - _T0S) * 1e9 - t))


_spill_retry_at = 0  # buffer length at which a writer tries to send again after a full socket
_idle = False  # the flusher is in (or going into) its idle sleep: the first record wakes it


def _append_first(data):
    """The first record into an empty buffer (a meta's; fixed records come through spill()).
    The flusher sets _idle (and _next_check to _CHECK_NOW) and then looks at the buffer; a writer
    appends and then looks at _idle: under the GIL one of them sees the other, so a record never
    waits out an idle sleep. (Where a thread switch falls between a writer's test of
    _next_check and its append, possible before 3.11, one record may wait out an idle interval.)"""
    _ext(data)
    if _idle:
        _wake_flusher()


def spill(data, t, limit=LIMIT_BYTES):
    """The slow path of a writer, once its check is due (see record; t is the record's time):
    append `data` (or count it dropped past `limit`); wake an idle flusher; and
    past SPILL_BYTES, send what the socket takes right now. A writer never waits: if the flusher
    is sending, it sends these bytes too; if the socket is full (the host is slow), the bytes stay
    buffered and this writer tries again only after another SPILL_BYTES, so a stalled host costs
    the program one failed send per SPILL_BYTES."""
    global _spill_retry_at, _next_check, _sent
    n = len(buf)
    if n < SPILL_BYTES:
        _next_check = t + CHECK_INTERVAL_NS
        return _append_first(data)
    if n < limit:
        _ext(data)
    else:
        _count_drop()
    # past the limit every record comes here, to be counted; otherwise check again later
    _next_check = t + CHECK_INTERVAL_NS if n < LIMIT_BYTES else _CHECK_NOW
    if n < _spill_retry_at or closed or not _flock.acquire(False):
        return
    try:
        n = len(buf)
        try:
            # a copy: the bytearray cannot be resized while a send holds a view of it
            sent = _sock.send(buf[:SEND_CHUNK_BYTES], _NOSIGNAL | _DONTWAIT)
        except BlockingIOError:
            sent = 0
        except Exception:
            _disable()
            return
        del buf[:sent]
        _sent += sent
        _spill_retry_at = 0 if sent else n + SPILL_BYTES
        if len(buf) < LIMIT_BYTES:
            _next_check = t + CHECK_INTERVAL_NS
    finally:
        _flock.release()


def meta(d):
    """Append a meta record (a JSON object whose "m" names the kind)."""
    meta_json(to_json(d).encode('utf-8', 'surrogatepass'))


def meta_json(data):
    """Append a meta record already encoded: a JSON object, as UTF-8 bytes."""
    if len(data) > MAX_META_BYTES:
        _count_drop()
        return
    n = len(buf)
    if n >= META_LIMIT_BYTES:
        _count_drop()
        return
    data = _hdr(RecordType.Meta, len(data)) + data
    if n:
        _ext(data)
    else:
        _append_first(data)


def clamp32(v):
    """Clamp an int into the i32 range of the a/b fields (a struct.error must never escape)."""
    return -0x80000000 if v < -0x80000000 else (0x7FFFFFFF if v > 0x7FFFFFFF else int(v))


# A tiny JSON encoder: `import json` costs every traced process ~1-2 ms (it imports re).
_ESC = {i: '\\u%04x' % i for i in range(32)}
_ESC[ord('"')] = '\\"'
_ESC[ord('\\')] = '\\\\'


def to_json(v):
    if isinstance(v, str):
        return '"' + v.translate(_ESC) + '"'
    if v is True:
        return 'true'
    if v is False:
        return 'false'
    if v is None:
        return 'null'
    if isinstance(v, int):
        return str(int(v))
    if isinstance(v, float):
        return repr(v) if v == v and v not in (float('inf'), float('-inf')) else 'null'
    if isinstance(v, (list, tuple)):
        return '[' + ','.join(map(to_json, v)) + ']'
    if isinstance(v, dict):
        return '{' + ','.join(to_json(str(k)) + ':' + to_json(x) for k, x in v.items()) + '}'
    return to_json(repr(v))


# ---- sending ------------------------------------------------------------------------------
def connect():
    """Open this process's own connection. False (and output disabled) when that fails."""
    global _sock, closed
    path = os.environ.get('PCB_SOCKET')
    if not path:
        return False
    try:
        global _NOSIGNAL, _DONTWAIT
        import _socket  # the C module: `socket` would import enum/selectors (slow, and visible)
        s = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
        try:
            s.connect(path)
        except BaseException:
            s.close()
            raise
    except Exception:
        _sock, closed = None, True
        return False
    _NOSIGNAL = getattr(_socket, 'MSG_NOSIGNAL', 0)
    _DONTWAIT = getattr(_socket, 'MSG_DONTWAIT', 0)
    _sock, closed = s, False
    return True


_sent = 0  # bytes sent so far (under _flock): an exit flush tells a slow host from a stuck one
# A blocking send on a Unix socket returns only once all of it is sent: in pieces, so _sent
# moves while a slow host reads a large flush. Not smaller: every send takes the GIL back, which
# costs the flusher up to a switch interval (5 ms) when the program's threads are busy (64 KiB
# pieces raised the live lag's p99 by ~10 ms); one piece takes a host reading 128 KB/s 2 s.
SENDALL_CHUNK_BYTES = 1 << 18


def _sendall(s, data):
    # MSG_NOSIGNAL: a host that went away must give EPIPE, not kill a program that restored
    # SIGPIPE's default action.
    global _sent
    mv = memoryview(data)
    while mv:
        n = s.send(mv[:SENDALL_CHUNK_BYTES], _NOSIGNAL)
        _sent += n
        mv = mv[n:]


def _count_drop():
    g = _get_ident()
    _drops[g] = _drops.get(g, 0) + 1


def dropped():
    """How many records this process has dropped (one C call: no thread switch inside)."""
    return sum(_drops.values())


def _disable():
    global _sock, closed
    closed = True
    s, _sock = _sock, None
    if s is not None:
        try:
            s.close()
        except OSError:
            pass


def _send_locked():
    """Send everything buffered so far. Caller holds _flock."""
    global _dropped_sent, _spill_retry_at
    _spill_retry_at = 0
    n = dropped()
    if n != _dropped_sent and not closed:
        _dropped_sent = n
        meta({'m': 'dropped', 'count': n})
    n = len(buf)
    if not n:
        return
    data = buf[:n]  # a copy: writers keep appending behind index n while we send
    del buf[:n]
    if closed:
        return  # nobody listens: forget the bytes (the program runs as if untraced)
    try:
        _sendall(_sock, data)
    except Exception:
        _disable()


def flush():
    """Non-blocking: if someone else is sending, they will send our bytes too."""
    if _flock.acquire(False):
        try:
            _send_locked()
        finally:
            _flock.release()


def flush_final(timeout=EXIT_FLUSH_TIMEOUT_S):
    """Blocking flush with a bound, for exit paths: the host may have stopped reading. The
    flusher may be in the middle of a long send to a slow host: wait for it as long as its send
    makes progress (the host reads), giving up after `timeout` without any, or
    EXIT_FLUSH_MAX_S in all. Each send of our own gives up after `timeout` without progress."""
    if closed:
        return
    seen = _sent
    give_up_at = _monof() + EXIT_FLUSH_MAX_S
    while not _flock.acquire(True, timeout):
        if _sent == seen or _monof() > give_up_at:
            return  # the flusher is stuck in a send to a host that does not read: give up
        seen = _sent
    try:
        s = _sock
        if s is not None:
            try:
                s.settimeout(timeout)
            except OSError:
                pass
        _send_locked()
        if _sock is not None:
            try:
                _sock.settimeout(None)  # back to blocking for the flusher
            except OSError:
                pass
    finally:
        _flock.release()


def close():
    """Final flush and close; used at exit and before exec."""
    global _gen
    _gen += 1
    _wake_flusher()
    flush_final()
    _disable()


def _wake_flusher():
    try:
        _wake.release()
    except RuntimeError:
        pass  # already released: the flusher is awake anyway


def _flusher(gen):
    global _idle, _next_check
    quiet = 0  # ticks in a row that had nothing to send
    while gen == _gen and not closed:
        idle = False
        if quiet >= 2:
            _idle = True  # before looking at the buffer (see _append_first)
            _next_check = _CHECK_NOW  # the next record takes spill(), which wakes us
            idle = not buf
        # sleeps; returns early when woken
        _wake.acquire(True, max(IDLE_INTERVAL_S, FLUSH_INTERVAL_S) if idle else FLUSH_INTERVAL_S)
        _idle = False
        if gen != _gen:
            break
        try:
            # Only records written since the last tick are activity, not the tick's own: a
            # program whose locks are only ever taken uncontended (smart mode counts them, and
            # the tick sends the counters) lets the flusher idle, and take the GIL from it ten
            # times a second instead of a hundred (measured: 2x the context switches of the
            # untraced 2-thread lock loop, and ~0.2 of its wall ratio, came from those ticks).
            active = bool(buf)
            for hook in tick_hooks:
                hook()
            quiet = 0 if active else quiet + 1
            flush()
        except Exception:
            pass  # the tracer must not die loudly; a broken socket is handled in _send_locked


def start_flusher():
    global _gen
    _gen += 1
    _thread.start_new_thread(_flusher, (_gen,))


def stop_flusher():
    global _gen
    _gen += 1
    _wake_flusher()


# ---- fork ---------------------------------------------------------------------------------
def before_fork():
    """Send what the parent has buffered so the host sees it before the child's first records."""
    if not closed and _flock.acquire(False):
        try:
            _send_locked()
        except Exception:
            pass
        finally:
            _flock.release()


def after_fork_child():
    """The child inherits the parent's buffer (already the parent's to send), its socket (shared
    with the parent: close only our descriptor, never shutdown) and maybe a lock held by a
    thread that no longer exists. Start afresh; the caller reconnects and restarts the flusher."""
    global _flock, _wake, _sock, closed, _dropped_sent, _spill_retry_at, _idle
    global _next_check
    _spill_retry_at = 0
    _idle = False
    _next_check = _CHECK_NOW
    _flock = _thread.allocate_lock()
    _wake = _thread.allocate_lock()
    _wake.acquire()
    del buf[:]
    _drops.clear()
    _dropped_sent = 0
    s, _sock, closed = _sock, None, True
    if s is not None:
        try:
            s.close()
        except OSError:
            pass
