"""multiprocessing's primitives: Lock, RLock, Semaphore, BoundedSemaphore, Condition, Event,
Barrier, Queue, JoinableQueue, SimpleQueue, Pipe connections, and the locks of Value/Array.

Identity across processes: every traced object's meta has a `key` that names the same kernel
object in every process (the semaphore's name, or its creator pid + handle under fork; the inode
of a pipe). The host matches objects of different processes by key.

Which objects a child traces: the user's objects reach a spawn/forkserver child pickled inside
the Process object, indistinguishable from the Queue's internal locks that travel the same way.
So the parent attaches the keys of its traced objects to the Process object (an extra attribute
in its __dict__: a child without the tracer unpickles it unchanged), unpickled objects wait in
`_pending`, and the child's _bootstrap (mp_process) adopts those whose key the parent traced.
A forked child inherits the traced objects themselves (sites.after_fork_child declares them).

Cross-process locks record every acquire and release in both modes: the holder of a lock held by
another process can only be known from those records, and these locks are rarely hot.
"""
import os
import sys
import _thread
from _weakref import ref as weakref_ref

from . import channel, sites, threads
from .schema import RecordType, WaitKind, WaitResult
from .threads import wraps

# Bound once: the per-message paths below call no tracer function they can do without (each
# Python call is ~1-2k instructions, several per message before).
_record = channel.record
_record_at = channel.record_at
_monof = channel._monof  # timestamps as floats: record_at compares them with floats (see channel)
_T0S = channel._T0S
_idx = threads.index_of  # _idx[_gid()] is threads.current() without the call
_gid = _thread.get_ident
_lasti_get = sites.by_lasti.get  # site id of a user frame's call, by (id(code), f_lasti)
_id = id
_site_miss = sites.site_miss
_I32 = 0x7FFFFFFF  # the counters only grow: clamping them is min(seq, _I32)
_PUT, _GET = RecordType.Put, RecordType.Get
# A Put's record is written out as channel.record_at does (as locks.py does for holds): the
# call cost each message ~600 instructions of the ~14,000 the tracer adds to it (3.12).
_pack = channel._pack
_ext = channel.buf.extend
_spill = channel.spill
_clamp = channel.clamp32
_getframe = sys._getframe
_CONTEXT_PY = os.sep + os.path.join('multiprocessing', 'context.py')
_SYNC_PY = os.sep + os.path.join('multiprocessing', 'synchronize.py')

_traced_keys = {}  # key -> weakref of the traced object (this process's user objects)
_pending = []  # (weakref, kind, key, trace function) of objects unpickled in a child
_adopted = set()  # keys the parent told us about


def mp_user_frame(depth=1):
    """The user frame that called a multiprocessing constructor, looking through the context
    module's forwarding functions (mp.Lock() -> context.Lock() -> synchronize.Lock())."""
    try:
        f = _getframe(depth + 1)
    except ValueError:
        return None
    while f is not None and f.f_code.co_filename.endswith(_CONTEXT_PY):
        f = f.f_back
    if f is None or not sites.is_user_code(f.f_code):
        return None
    return f


def _readable(conn):
    """Whether a read on conn returns at once (data or EOF), i.e. whether a get/recv will not
    wait: one poll(2) on a poll object cached on the connection. Connection.poll() goes
    through the selectors module, ~10x the cost, and a get(False) first takes the queue's
    lock too; on a ping-pong of small messages that doubled the time per message. A closed
    connection is "readable": the read raises the usual error."""
    try:
        p = conn._pcb_poll
    except AttributeError:
        if conn._handle is None:
            return True
        import select  # here: most traced processes never need it
        if not hasattr(select, 'poll'):
            return conn.poll()
        p = conn._pcb_poll = select.poll()
        p.register(conn.fileno(), select.POLLIN)
    try:
        return p.poll(0)
    except RuntimeError:
        # A poll object refuses a second caller while one polls (it lets the GIL go): another
        # thread is checking this connection right now. Ask with a poll object of our own.
        import select
        p = select.poll()
        p.register(conn.fileno(), select.POLLIN)
        return p.poll(0)


def _caller_site():
    """Site id of the frame that called the traced operation calling this (cached per call site
    when that frame is user code: sites.site_here walks the stack each time). 0 when the
    operation was called straight from C (a raw thread's target, an atexit callback): there is
    no frame above it."""
    try:
        f = _getframe(2)
    except ValueError:
        return 0
    return _lasti_get((_id(f.f_code), f.f_lasti)) or _site_miss(f)


def fd_key(conn):
    st = os.fstat(conn.fileno())
    return 'ino:%d:%d' % (st.st_dev, st.st_ino)


def _sem_key(semlock_obj):
    sl = semlock_obj._semlock
    if sl.name:
        return 'sem:' + sl.name
    # fork context: the semaphore is unnamed; its handle is the same address in forked children
    key = semlock_obj.__dict__.get('_pcb_key')
    return key or 'sem:%d:%x' % (os.getpid(), sl.handle)


def _declare(obj, kind, f, key, **extra):
    oid = sites.new_object(obj, kind, f, key=key, **extra)
    obj._pcb_id = oid
    obj._pcb_key = key
    if key:
        _traced_keys[key] = weakref_ref(obj)
    return oid


def keys_for_child():
    return [k for k, ref in list(_traced_keys.items()) if ref() is not None]


def adopt_keys(keys):
    """In a child: trace the unpickled objects whose key the parent traced."""
    _adopted.update(keys)
    for ref, kind, key, trace in _pending:
        obj = ref()
        if obj is not None and key in _adopted and not obj.__dict__.get('_pcb_id'):
            trace(obj, kind, None, key)
    del _pending[:]


def _unpickled(obj, kind, key, trace):
    if key in _adopted:
        trace(obj, kind, None, key)  # a later unpickle of an object we know is traced
    else:
        try:
            _pending.append((weakref_ref(obj), kind, key, trace))
        except TypeError:
            pass


# ---- SemLock: Lock, RLock, Semaphore, BoundedSemaphore ----------------------------------------
_SEM_KINDS = ('Semaphore', 'BoundedSemaphore')


def _trace_semlock(obj, kind, f, key=None, name=None):
    if key is None:
        key = _sem_key(obj)
    extra = {'name': name} if name else {}
    if kind in _SEM_KINDS:
        try:
            extra['value'] = obj._semlock._get_value()
        except Exception:
            pass
    # the instance attributes acquire/release (bound C methods) hide the class's traced ones
    obj.__dict__.pop('acquire', None)
    obj.__dict__.pop('release', None)
    obj._pcb_kind = kind
    _declare(obj, kind, f, key, **extra)
    return obj


def _sem_value(obj, me):
    try:
        _record(RecordType.SemaphoreValue, 0, me, obj._pcb_id, _clamp(obj._semlock._get_value()))
    except Exception:
        pass  # sem_getvalue is missing on macOS


def patch_synchronize(m):
    SL = m.SemLock
    SL._pcb_id = 0
    o_setstate = SL.__setstate__
    o_enter, o_exit = SL.__enter__, SL.__exit__

    for cls, kind in ((m.Lock, 'Lock'), (m.RLock, 'RLock'), (m.Semaphore, 'Semaphore'),
                      (m.BoundedSemaphore, 'BoundedSemaphore')):
        _patch_semlock_init(cls, kind)

    def acquire(self, block=True, timeout=None):
        # only traced instances get here: the others keep their C acquire as an attribute
        sl = self._semlock
        me = _idx[_gid()]
        oid = self._pcb_id
        kind = self._pcb_kind
        outer = kind != 'RLock' or not sl._is_mine()
        if sl.acquire(False):
            ok = True
            if outer and kind not in _SEM_KINDS:
                _record(RecordType.Acquire, 0, me, oid, _caller_site())
        elif not block or timeout == 0:
            return sl.acquire(block, timeout)
        else:
            _record(RecordType.WaitBegin, WaitKind.Acquire, me, oid, _caller_site(), 0)
            ok = False
            try:
                ok = sl.acquire(True, timeout)
            finally:
                _record(RecordType.WaitEnd, WaitResult.Ok if ok else
                        (WaitResult.Failed if sys.exc_info()[0] else WaitResult.TimedOut), me, oid)
        if ok and kind in _SEM_KINDS:
            _sem_value(self, me)
        return ok

    def release(self):
        sl = self._semlock
        kind = self._pcb_kind
        t = (_monof() - _T0S) * 1e9  # before the release: hold spans never overlap
        sl.release()
        me = _idx[_gid()]
        if kind in _SEM_KINDS:
            _sem_value(self, me)
        elif kind != 'RLock' or not sl._is_mine():
            _record_at(t, RecordType.Release, 0, me, self._pcb_id, _caller_site())

    # Every SemLock's `with` comes here (special methods are looked up on the class), the
    # stdlib's own included (mp.Queue.get holds its read lock in one): an untraced one goes
    # straight to the C method, as the original does, without the original's frame on top.
    def __enter__(self):
        if not self._pcb_id:
            return self._semlock.__enter__()
        return acquire(self)

    def __exit__(self, *args):
        if not self._pcb_id:
            return self._semlock.__exit__(*args)
        return release(self)

    def __setstate__(self, state):
        o_setstate(self, state)
        try:
            kind = next((k for c, k in ((m.RLock, 'RLock'), (m.Lock, 'Lock'),
                                        (m.BoundedSemaphore, 'BoundedSemaphore'),
                                        (m.Semaphore, 'Semaphore')) if isinstance(self, c)), None)
            if kind is not None:
                _unpickled(self, kind, _sem_key(self), _trace_semlock)
        except Exception:
            pass

    SL.acquire = acquire  # the class had none: instances got bound C methods in _make_methods
    SL.release = release
    SL.__enter__ = wraps(o_enter, __enter__)
    SL.__exit__ = wraps(o_exit, __exit__)
    SL.__setstate__ = wraps(o_setstate, __setstate__)
    sites.extra_internal.update({acquire.__code__, release.__code__, __enter__.__code__,
                                 __exit__.__code__})
    _patch_condition(m)
    _patch_event(m)
    _patch_barrier(m)


def _patch_semlock_init(cls, kind):
    o_init = cls.__init__

    def __init__(self, *args, **kwargs):
        f = mp_user_frame(1)
        o_init(self, *args, **kwargs)
        if f is not None:
            if self._semlock.name is None:  # fork context: fix the key now (see _sem_key)
                self._pcb_key = 'sem:%d:%x' % (os.getpid(), self._semlock.handle)
            _trace_semlock(self, kind, f)

    cls.__init__ = wraps(o_init, __init__)
    sites.extra_internal.add(__init__.__code__)


# ---- Condition, Event, Barrier ---------------------------------------------------------------
def _trace_condition(obj, kind, f, key=None):
    lock = obj._lock
    if key is None:
        key = 'cond:' + _sem_key(lock)
    return _declare(obj, 'Condition', f, key, lock=lock.__dict__.get('_pcb_id'))


def _patch_condition(m):
    C = m.Condition
    C._pcb_id = 0
    o_init, o_wait, o_notify, o_notify_all, o_setstate = (C.__init__, C.wait, C.notify,
                                                          C.notify_all, C.__setstate__)

    def __init__(self, lock=None, *, ctx):
        f = mp_user_frame(1)
        if f is not None and lock is None:
            lock = _trace_semlock(ctx.RLock(), 'RLock', f)  # its own lock is the user's too
        o_init(self, lock, ctx=ctx)
        if f is not None:
            _trace_condition(self, 'Condition', f)

    def wait(self, timeout=None):
        oid = self._pcb_id
        if not oid:
            return o_wait(self, timeout)
        me = _idx[_gid()]
        _record(RecordType.WaitBegin, WaitKind.Condition, me, oid, _caller_site())
        ok = False
        try:
            ok = o_wait(self, timeout)
            return ok
        finally:
            _record(RecordType.WaitEnd, WaitResult.Ok if ok else
                    (WaitResult.Failed if sys.exc_info()[0] else WaitResult.TimedOut), me, oid)

    def _waiters(self):
        try:
            return max(0, self._sleeping_count._semlock._get_value()
                       - self._woken_count._semlock._get_value())
        except Exception:
            return 0

    def notify(self, n=1):
        if self._pcb_id:
            _record(RecordType.Notify, 0, _idx[_gid()], self._pcb_id,
                    _clamp(min(n, _waiters(self))))
        return o_notify(self, n)

    def notify_all(self):
        if not self._pcb_id:
            return o_notify_all(self)
        _record(RecordType.Notify, 1, _idx[_gid()], self._pcb_id, _clamp(_waiters(self)))
        return o_notify(self, sys.maxsize)

    def __setstate__(self, state):
        o_setstate(self, state)
        try:
            _unpickled(self, 'Condition', 'cond:' + _sem_key(self._lock), _trace_condition)
        except Exception:
            pass

    C.__init__ = wraps(o_init, __init__)
    C.wait = wraps(o_wait, wait)
    C.notify = wraps(o_notify, notify)
    C.notify_all = wraps(o_notify_all, notify_all)
    C.__setstate__ = wraps(o_setstate, __setstate__)
    sites.extra_internal.update({__init__.__code__, wait.__code__})


def _trace_event(obj, kind, f, key=None):
    return _declare(obj, 'Event', f, key or 'event:' + _sem_key(obj._flag))


def _patch_event(m):
    E = m.Event
    E._pcb_id = 0
    o_init, o_set, o_clear, o_wait = E.__init__, E.set, E.clear, E.wait
    o_setstate = E.__dict__.get('__setstate__')

    def __init__(self, *, ctx):
        f = mp_user_frame(1)
        o_init(self, ctx=ctx)
        if f is not None:
            _trace_event(self, 'Event', f)

    def set(self):
        oid = self._pcb_id
        if not oid:
            return o_set(self)
        t = (_monof() - _T0S) * 1e9  # before it takes effect, with its duration (see sync.py)
        o_set(self)
        channel.record_since(t, RecordType.EventSet, 0, _idx[_gid()], oid)

    def clear(self):
        if self._pcb_id:
            _record(RecordType.EventClear, 0, _idx[_gid()], self._pcb_id)
        return o_clear(self)

    def wait(self, timeout=None):
        oid = self._pcb_id
        if not oid or self.is_set():
            return o_wait(self, timeout)
        t = (_monof() - _T0S) * 1e9  # before a last look (see sync.py's Event.wait)
        if self.is_set():
            return o_wait(self, timeout)
        me = _idx[_gid()]
        _record_at(t, RecordType.WaitBegin, WaitKind.Event, me, oid, _caller_site())
        ok = False
        try:
            ok = o_wait(self, timeout)
            return ok
        finally:
            _record(RecordType.WaitEnd, WaitResult.Ok if ok else
                    (WaitResult.Failed if sys.exc_info()[0] else WaitResult.TimedOut), me, oid)

    E.__init__ = wraps(o_init, __init__)
    E.set = wraps(o_set, set)
    E.clear = wraps(o_clear, clear)
    E.wait = wraps(o_wait, wait)
    if o_setstate is None:
        def __setstate__(self, state):
            self.__dict__.update(state)
            self.__dict__.pop('_pcb_id', None)  # the parent's id means nothing here
            try:
                _unpickled(self, 'Event', 'event:' + _sem_key(self._flag), _trace_event)
            except Exception:
                pass
        E.__setstate__ = __setstate__
    sites.extra_internal.update({__init__.__code__, wait.__code__})


def _trace_barrier(obj, kind, f, key=None):
    return _declare(obj, 'Barrier', f, key or 'barrier:' + _sem_key(obj._cond._lock),
                    parties=obj._parties)


def _patch_barrier(m):
    B = m.Barrier  # a threading.Barrier: its wait() is already traced when _pcb_id is set
    o_init, o_setstate = B.__init__, B.__setstate__

    def __init__(self, parties, action=None, timeout=None, *, ctx):
        f = mp_user_frame(1)
        o_init(self, parties, action, timeout, ctx=ctx)
        if f is not None:
            _trace_barrier(self, 'Barrier', f)

    def __setstate__(self, state):
        o_setstate(self, state)
        if '_pcb_id' in self.__dict__:
            del self.__dict__['_pcb_id']
        try:
            _unpickled(self, 'Barrier', 'barrier:' + _sem_key(self._cond._lock), _trace_barrier)
        except Exception:
            pass

    B.__init__ = wraps(o_init, __init__)
    B.__setstate__ = wraps(o_setstate, __setstate__)
    sites.extra_internal.add(__init__.__code__)


# ---- Queue, JoinableQueue, SimpleQueue ---------------------------------------------------------
def _trace_queue(obj, kind, f, key=None):
    obj._pcb_puts = obj._pcb_gets = 0
    return _declare(obj, kind, f, key or fd_key(obj._reader))


def patch_queues(m):
    import queue as _queue_mod
    Empty, Full = _queue_mod.Empty, _queue_mod.Full
    for cls, kind in ((m.Queue, 'Queue'), (m.JoinableQueue, 'JoinableQueue'),
                      (m.SimpleQueue, 'SimpleQueue')):
        cls._pcb_id = 0
        _patch_mp_queue_init(cls, kind)

    Q = m.Queue
    o_put, o_get = Q.put, Q.get

    def put(self, obj, block=True, timeout=None):
        oid = self._pcb_id
        if not oid:
            return o_put(self, obj, block, timeout)
        # Stamped before the item can be in the queue: the feeder thread may send it, and a
        # reader get it and record that, before put() returns here. put -> get never goes back.
        t = (_monof() - _T0S) * 1e9
        if block and self._maxsize > 0:
            try:
                o_put(self, obj, False)
            except Full:
                me = _idx[_gid()]
                _record(RecordType.WaitBegin, WaitKind.QueuePut, me, oid, _caller_site())
                end = WaitResult.Failed
                try:
                    t = (_monof() - _T0S) * 1e9
                    o_put(self, obj, True, timeout)
                    end = WaitResult.Ok
                except Full:
                    end = WaitResult.TimedOut
                    raise
                finally:
                    _record(RecordType.WaitEnd, end, me, oid)
        else:
            o_put(self, obj, block, timeout)
        seq = self._pcb_puts = self._pcb_puts + 1
        data = _pack(_PUT, 0, _idx[_gid()], oid, t, -1, seq if seq < _I32 else _I32)
        if t < channel._next_check:
            _ext(data)
        else:
            _spill(data, t)

    def get(self, block=True, timeout=None):
        oid = self._pcb_id
        if not oid:
            return o_get(self, block, timeout)
        if not block or self._closed:
            ready = True
        else:
            try:
                ready = self._reader._pcb_poll.poll(0)  # _readable() without the call
            except (AttributeError, RuntimeError):  # not made yet; in use by another thread
                ready = _readable(self._reader)
        if ready:
            item = o_get(self, block, timeout)  # no wait (or the original raises)
        else:
            me = _idx[_gid()]
            _record(RecordType.WaitBegin, WaitKind.QueueGet, me, oid, _caller_site())
            end = WaitResult.Failed
            try:
                item = o_get(self, True, timeout)
                end = WaitResult.Ok
            except Empty:
                end = WaitResult.TimedOut
                raise
            finally:
                _record(RecordType.WaitEnd, end, me, oid)
        seq = self._pcb_gets = self._pcb_gets + 1
        _record(_GET, 0, _idx[_gid()], oid, -1, seq if seq < _I32 else _I32)
        return item

    Q.put = wraps(o_put, put)
    Q.get = wraps(o_get, get)
    JQ = m.JoinableQueue
    o_jput, o_join = JQ.put, JQ.join

    def jput(self, obj, block=True, timeout=None):
        if not self._pcb_id:
            return o_jput(self, obj, block, timeout)
        t = (_monof() - _T0S) * 1e9  # before the item can reach a reader (see Queue.put)
        o_jput(self, obj, block, timeout)
        seq = self._pcb_puts = self._pcb_puts + 1
        _record_at(t, _PUT, 0, _idx[_gid()], self._pcb_id, -1, seq if seq < _I32 else _I32)

    def join(self):
        oid = self._pcb_id
        if not oid:
            return o_join(self)
        me = _idx[_gid()]
        _record(RecordType.WaitBegin, WaitKind.Join, me, oid, _caller_site())
        ok = False
        try:
            o_join(self)
            ok = True
        finally:
            _record(RecordType.WaitEnd, WaitResult.Ok if ok else WaitResult.Failed, me, oid)

    JQ.put = wraps(o_jput, jput)
    JQ.join = wraps(o_join, join)

    SQ = m.SimpleQueue
    o_sput, o_sget = SQ.put, SQ.get

    def sput(self, obj):
        if not self._pcb_id:
            return o_sput(self, obj)
        t = (_monof() - _T0S) * 1e9  # before the item can reach a reader: put -> get never goes back in time
        o_sput(self, obj)
        seq = self._pcb_puts = self._pcb_puts + 1
        _record_at(t, _PUT, 0, _idx[_gid()], self._pcb_id, -1, seq if seq < _I32 else _I32)

    def sget(self):
        oid = self._pcb_id
        if not oid:
            return o_sget(self)
        if not _readable(self._reader):
            me = _idx[_gid()]
            _record(RecordType.WaitBegin, WaitKind.QueueGet, me, oid, _caller_site())
            ok = False
            try:
                item = o_sget(self)
                ok = True
            finally:
                _record(RecordType.WaitEnd, WaitResult.Ok if ok else WaitResult.Failed, me, oid)
        else:
            item = o_sget(self)
        seq = self._pcb_gets = self._pcb_gets + 1
        _record(_GET, 0, _idx[_gid()], oid, -1, seq if seq < _I32 else _I32)
        return item

    SQ.put = wraps(o_sput, sput)
    SQ.get = wraps(o_sget, sget)
    sites.extra_internal.update({put.__code__, get.__code__, jput.__code__, join.__code__,
                                 sput.__code__, sget.__code__})


def _patch_mp_queue_init(cls, kind):
    o_init = cls.__dict__['__init__']
    o_setstate = cls.__dict__['__setstate__']

    def __init__(self, *args, **kwargs):
        f = mp_user_frame(1)
        o_init(self, *args, **kwargs)
        if f is not None and type(self) is cls:
            _trace_queue(self, kind, f)

    def __setstate__(self, state):
        o_setstate(self, state)
        if type(self) is cls:
            try:
                _unpickled(self, kind, fd_key(self._reader), _trace_queue)
            except Exception:
                pass

    cls.__init__ = wraps(o_init, __init__)
    cls.__setstate__ = wraps(o_setstate, __setstate__)
    sites.extra_internal.add(__init__.__code__)


# ---- Pipe -------------------------------------------------------------------------------------
def conn_key(c):
    """A Pipe end's key: the inode of its socket (duplex) or of its pipe plus the direction
    (a one-way Pipe's two ends share one inode)."""
    key = fd_key(c)
    if c.readable and not c.writable:
        return key + ':r'
    if c.writable and not c.readable:
        return key + ':w'
    return key


def _trace_conn(obj, kind, f, key=None, peer=None):
    obj._pcb_sends = obj._pcb_recvs = 0
    extra = {'peer': peer} if peer else {}
    return _declare(obj, 'Pipe', f, key or conn_key(obj), **extra)


def patch_connection(m):
    o_pipe = m.Pipe
    CB = m._ConnectionBase
    CB._pcb_id = 0
    o_send, o_recv = CB.send, CB.recv

    def Pipe(duplex=True):
        c1, c2 = o_pipe(duplex)
        f = mp_user_frame(1)
        if f is not None:
            k1, k2 = conn_key(c1), conn_key(c2)
            _trace_conn(c1, 'Pipe', f, k1, k2)  # each end names the other as its peer
            _trace_conn(c2, 'Pipe', f, k2, k1)
        return c1, c2

    def send(self, obj):
        if not self._pcb_id:
            return o_send(self, obj)
        t = (_monof() - _T0S) * 1e9  # before the peer can receive it: send -> recv never goes back in time
        o_send(self, obj)
        seq = self._pcb_sends = self._pcb_sends + 1
        data = _pack(_PUT, 0, _idx[_gid()], self._pcb_id, t, -1, seq if seq < _I32 else _I32)
        if t < channel._next_check:
            _ext(data)
        else:
            _spill(data, t)

    def recv(self):
        oid = self._pcb_id
        if not oid:
            return o_recv(self)
        try:
            ready = self._pcb_poll.poll(0)  # _readable() without the call
        except (AttributeError, RuntimeError):  # not made yet; in use by another thread
            ready = _readable(self)
        if not ready:
            me = _idx[_gid()]
            _record(RecordType.WaitBegin, WaitKind.PipeRecv, me, oid, _caller_site())
            ok = False
            try:
                item = o_recv(self)
                ok = True
            finally:
                _record(RecordType.WaitEnd, WaitResult.Ok if ok else WaitResult.Failed, me, oid)
        else:
            item = o_recv(self)
        seq = self._pcb_recvs = self._pcb_recvs + 1
        _record(_GET, 0, _idx[_gid()], oid, -1, seq if seq < _I32 else _I32)
        return item

    m.Pipe = wraps(o_pipe, Pipe)
    CB.send = wraps(o_send, send)
    CB.recv = wraps(o_recv, recv)
    sites.extra_internal.update({Pipe.__code__, send.__code__, recv.__code__})
    o_rebuild = getattr(m, 'rebuild_connection', None)
    if o_rebuild is not None:  # POSIX: a Connection unpickled in a child
        def rebuild_connection(*args):
            c = o_rebuild(*args)
            try:
                _unpickled(c, 'Pipe', conn_key(c), _trace_conn)
            except Exception:
                pass
            return c
        m.rebuild_connection = wraps(o_rebuild, rebuild_connection)


# ---- Value / Array ------------------------------------------------------------------------------
def patch_sharedctypes(m):
    for name in ('Value', 'Array'):
        o = getattr(m, name)
        setattr(m, name, _shared_factory(o, name))


def _shared_factory(o, name):
    def factory(*args, **kwargs):
        f = mp_user_frame(1)
        obj = o(*args, **kwargs)
        if f is not None and kwargs.get('lock', True) is not False:
            lock = getattr(obj, '_lock', None)
            sync = sys.modules.get('multiprocessing.synchronize')
            if sync is not None and isinstance(lock, sync.SemLock) and not lock._pcb_id:
                kind = 'RLock' if isinstance(lock, sync.RLock) else 'Lock'
                _trace_semlock(lock, kind, f, name='%s lock' % name)
        return obj
    return wraps(o, factory)


def install(hooks):
    hooks.on_import('multiprocessing.synchronize', patch_synchronize)
    hooks.on_import('multiprocessing.queues', patch_queues)
    hooks.on_import('multiprocessing.connection', patch_connection)
    hooks.on_import('multiprocessing.sharedctypes', patch_sharedctypes)
