"""The threading primitives: Lock and RLock factories, Condition, Semaphore, BoundedSemaphore,
Event, Barrier; and time.sleep.

Only objects created by user code are traced (sites.created_by_user): the Condition inside an
Event, the locks inside a Queue, Condition's per-wait waiter locks (made by _allocate_lock, which
we never replace) all stay raw. Untraced instances carry _pcb_id == 0 (a class attribute); those
of Condition, Event and the semaphores keep their plain class (only __init__ is wrapped), while a
traced one gets a subclass whose methods record.
"""
import sys
import _thread
import time
from _weakref import ref as weakref_ref

from . import channel, locks, sites, threads
from .schema import RecordType, WaitKind, WaitResult
from .threads import wraps

_record = channel.record
_record_at = channel.record_at
_current = threads.current
_site_here = sites.site_here
_created_by_user = sites.created_by_user
_internal_get = sites._internal_codes.get  # by id(code) (see sites)
_id = id
_getframe = sys._getframe
_monof = channel._monof  # float timestamps (see channel.record_at)
_T0S = channel._T0S
_WAIT_BEGIN, _WAIT_END = RecordType.WaitBegin, RecordType.WaitEnd
_OK, _TIMED_OUT, _FAILED = WaitResult.Ok, WaitResult.TimedOut, WaitResult.Failed

_lock_cls = locks.SmartLock
_rlock_cls = locks.SmartRLock
_raw_rlock = None
_full = False  # full mode: semaphores record their acquires and releases too (hold spans)
_traced_classes = {}  # a class -> its traced subclass (the user's Conditions, Events, Semaphores)


def _end_result(ok):
    """WaitEnd flags at the end of a wait: Ok/TimedOut, or Failed when an exception leaves it."""
    if sys.exc_info()[0] is not None:
        return _FAILED
    return _OK if ok else _TIMED_OUT


def new_lock(f, kind='Lock', raw=None):
    """A traced lock wrapper for a user frame f (the creation site)."""
    if kind == 'RLock':
        lk = _rlock_cls(raw if raw is not None else _raw_rlock(), 0)
    else:
        lk = _lock_cls(raw if raw is not None else _thread.allocate_lock(), 0)
    lk._id = oid = sites.new_object(lk, kind, f)
    locks.counted[oid] = weakref_ref(lk, lambda _r, oid=oid: locks.counted.pop(oid, None))
    return lk


def patch_threading(threading, mode):
    global _lock_cls, _rlock_cls, _raw_rlock, _full
    if mode == 'full':
        _lock_cls, _rlock_cls = locks.FullLock, locks.FullRLock
        _full = True
    _raw_rlock = threading._CRLock or threading._PyRLock
    LockType = _thread.LockType

    class _LockMeta(type):
        # 3.13 made threading.Lock a class: isinstance(x, threading.Lock) must keep working
        def __instancecheck__(cls, obj):
            return isinstance(obj, (LockType, locks._Base))

    class Lock(metaclass=_LockMeta):
        def __new__(cls, *args, **kwargs):
            f = _created_by_user(1)
            if f is None:
                return _thread.allocate_lock(*args, **kwargs)
            return new_lock(f, 'Lock')

    def RLock(*args, **kwargs):
        f = _created_by_user(1)
        if f is None:
            return _raw_rlock(*args, **kwargs)
        return new_lock(f, 'RLock')

    # picklable by the public names: multiprocessing's SyncManager registry holds
    # threading.Lock/RLock and is pickled to spawn/forkserver manager processes
    for o, n in ((Lock, 'Lock'), (RLock, 'RLock')):
        o.__module__, o.__qualname__, o.__name__ = 'threading', n, n
    Lock.__doc__ = getattr(threading.Lock, '__doc__', None)
    RLock.__doc__ = threading.RLock.__doc__
    threading.Lock = Lock
    threading.RLock = RLock
    sites.extra_internal.update({Lock.__new__.__code__, RLock.__code__})

    _patch_condition(threading.Condition)
    _patch_event(threading.Event)
    _patch_semaphore(threading.Semaphore, 'Semaphore')
    _patch_semaphore(threading.BoundedSemaphore, 'BoundedSemaphore')
    _patch_barrier(threading)


def _user_frame_or_none(f):
    """f when it is user code (the caller of a wrapped constructor), else None: what
    sites.created_by_user does, for a frame the caller already has."""
    code = f.f_code
    internal = _internal_get(_id(code))
    if internal is None:
        internal = sites._classify(code)
    return None if internal else f


def _patch_condition(C):
    """Only the user's Conditions pay for tracing: the stdlib makes its own (one per Future, two
    per queue.Queue) and keeps the plain class, whose wait/notify run no wrapper at all. A traced
    instance gets a subclass of its class (see _traced_condition) after its __init__."""
    o_init = C.__init__
    C._pcb_id = 0

    def __init__(self, lock=None):
        # _user_frame_or_none written out: every Future makes a Condition
        try:
            f = _getframe(1)
            internal = _internal_get(_id(f.f_code))
        except ValueError:  # called straight from C: not the user's
            f, internal = None, True
        if internal is None:
            internal = sites._classify(f.f_code)
        if internal:
            # the stdlib's: its own lock is a raw RLock, without asking our RLock factory to look
            # at the frames again
            return o_init(self, _raw_rlock() if lock is None else lock)
        if lock is None:
            lock = new_lock(f, 'RLock')  # the Condition's own lock: user-visible, so traced
        o_init(self, lock)
        self.__class__ = _traced_condition(type(self))
        self._pcb_id = sites.new_object(self, 'Condition', f, lock=getattr(lock, '_id', None))

    C.__init__ = wraps(o_init, __init__)
    sites.extra_internal.add(__init__.__code__)


def _traced_condition(cls):
    """cls with wait/notify/notify_all that record (same names as cls: repr and errors read as
    usual)."""
    traced = _traced_classes.get(cls)
    if traced is not None:
        return traced
    o_wait, o_notify, o_notify_all = cls.wait, cls.notify, cls.notify_all

    def wait(self, timeout=None):
        if not self._is_owned():
            return o_wait(self, timeout)  # the original raises
        oid = self._pcb_id
        me = _current()
        _record(_WAIT_BEGIN, WaitKind.Condition, me, oid, _site_here(1))
        ok = False
        try:
            ok = o_wait(self, timeout)
            return ok
        finally:
            _record(_WAIT_END, _end_result(ok), me, oid)

    def notify(self, n=1):
        if self._is_owned():
            _record(RecordType.Notify, 0, _current(), self._pcb_id,
                    channel.clamp32(min(n, len(self._waiters))))
        return o_notify(self, n)

    def notify_all(self):
        if not self._is_owned():
            return o_notify_all(self)
        n = len(self._waiters)
        _record(RecordType.Notify, 1, _current(), self._pcb_id, channel.clamp32(n))
        return o_notify(self, n)  # what notify_all does, without a second Notify record

    members = {'wait': wraps(o_wait, wait), 'notify': wraps(o_notify, notify),
               'notify_all': wraps(o_notify_all, notify_all)}
    if getattr(cls, 'notifyAll', None) is o_notify_all:  # 3.8/3.9: a plain alias of notify_all
        members['notifyAll'] = members['notify_all']
    members.update(__module__=cls.__module__, __qualname__=cls.__qualname__, __doc__=cls.__doc__)
    traced = _traced_classes[cls] = type(cls.__name__, (cls,), members)
    return traced


def _patch_event(E):
    """As Condition: the stdlib's Events (one per Thread, started and waited on by start())
    keep the plain class; a traced instance gets a subclass (see _traced_event)."""
    o_init = E.__init__
    E._pcb_id = 0

    def __init__(self, *args, **kwargs):
        try:
            f = _user_frame_or_none(_getframe(1))
        except ValueError:  # called straight from C: not the user's
            f = None
        o_init(self, *args, **kwargs)
        if f is not None:
            self.__class__ = _traced_event(type(self))
            self._pcb_id = sites.new_object(self, 'Event', f)

    E.__init__ = wraps(o_init, __init__)
    sites.extra_internal.add(__init__.__code__)


def _traced_event(cls):
    traced = _traced_classes.get(cls)
    if traced is not None:
        return traced
    o_set, o_clear, o_wait = cls.set, cls.clear, cls.wait

    def set(self):
        # Stamped before the set takes effect (a waiter woken by it must not come first), with
        # how long the set took: a wait that began meanwhile may be woken by it (see the schema).
        t = (_monof() - _T0S) * 1e9
        o_set(self)
        channel.record_since(t, RecordType.EventSet, 0, _current(), self._pcb_id)

    def clear(self):
        _record(RecordType.EventClear, 0, _current(), self._pcb_id)
        return o_clear(self)

    def wait(self, timeout=None):
        if self._flag:
            return o_wait(self, timeout)  # set already: no wait
        # Stamped before a last look at the flag: a set that wakes this wait then ends after the
        # wait's begin, which is how the host pairs them (see set).
        t = (_monof() - _T0S) * 1e9
        if self._flag:
            return o_wait(self, timeout)
        oid = self._pcb_id
        me = _current()
        _record_at(t, _WAIT_BEGIN, WaitKind.Event, me, oid, _site_here(1))
        ok = False
        try:
            ok = o_wait(self, timeout)
            return ok
        finally:
            _record(_WAIT_END, _end_result(ok), me, oid)

    members = {'set': wraps(o_set, set), 'clear': wraps(o_clear, clear),
               'wait': wraps(o_wait, wait)}
    members.update(__module__=cls.__module__, __qualname__=cls.__qualname__, __doc__=cls.__doc__)
    traced = _traced_classes[cls] = type(cls.__name__, (cls,), members)
    return traced


def _patch_semaphore(S, kind):
    """Semaphores: every value change is a SemaphoreValue record (the timeline draws the count);
    a blocking acquire that cannot proceed at once is a recorded Acquire wait.

    Only the user's semaphores pay for it: the stdlib makes its own (one per
    ThreadPoolExecutor, taken on every submit) and those keep their plain class. A traced
    instance gets a subclass of its class (see _traced_class) after its __init__."""
    o_init = S.__init__
    if '_pcb_id' not in S.__dict__:
        S._pcb_id = 0

    def __init__(self, value=1, *args, **kwargs):
        f = _created_by_user(1)
        o_init(self, value, *args, **kwargs)
        if f is not None and not self._pcb_id:
            self.__class__ = _traced_class(type(self))
            self._pcb_id = sites.new_object(self, kind, f, value=value)
            _record(RecordType.SemaphoreValue, 0, _current(), self._pcb_id,
                    channel.clamp32(self._value))

    S.__init__ = wraps(o_init, __init__)
    sites.extra_internal.add(__init__.__code__)


def _traced_class(cls):
    """cls with the tracing parts: `_value` as a property whose setter records the new value
    (it runs while acquire/release hold the semaphore's internal lock, so the records follow
    the real order: reading the value after the call would race with the next acquirer), and
    an acquire that records the wait when it cannot proceed at once; in full mode, every
    acquire and release too (the hold spans). Same names as cls, so repr() and error messages
    read as usual."""
    traced = _traced_classes.get(cls)
    if traced is not None:
        return traced
    base_acquire = cls.acquire

    def get_value(self):
        return self.__dict__['_value']

    def set_value(self, v):
        self.__dict__['_value'] = v
        _record(RecordType.SemaphoreValue, 0, _current(), self._pcb_id, channel.clamp32(v))

    def acquire(self, blocking=True, timeout=None):
        if not blocking or timeout == 0:
            ok = base_acquire(self, blocking, timeout)
        elif base_acquire(self, False):
            ok = True
        else:
            # Stamped before a last try: the release that lets this wait end is then recorded
            # after its begin (a release between the first try and a later stamp would not be).
            t = (_monof() - _T0S) * 1e9
            ok = base_acquire(self, False)
            if not ok:
                oid = self._pcb_id
                me = _current()
                _record_at(t, _WAIT_BEGIN, WaitKind.Acquire, me, oid, _site_here(1))
                try:
                    ok = base_acquire(self, True, timeout)
                finally:
                    _record(_WAIT_END, _end_result(ok), me, oid)
        if ok and _full:
            _record(RecordType.Acquire, 0, _current(), self._pcb_id, _site_here(1))
        return ok

    acquire = wraps(base_acquire, acquire)
    members = {'_value': property(get_value, set_value), 'acquire': acquire, '__enter__': acquire}
    if _full:
        base_release = cls.release

        def release(self, *args, **kwargs):
            t = (_monof() - _T0S) * 1e9
            base_release(self, *args, **kwargs)  # a BoundedSemaphore may raise: nothing recorded
            _record_at(t, RecordType.Release, 0, _current(), self._pcb_id, _site_here(1))

        members['release'] = wraps(base_release, release)
        sites.extra_internal.add(release.__code__)
    members.update(__module__=cls.__module__, __qualname__=cls.__qualname__, __doc__=cls.__doc__)
    traced = type(cls.__name__, (cls,), members)
    sites.extra_internal.add(acquire.__code__)
    _traced_classes[cls] = traced
    return traced


def _patch_barrier(threading):
    B = threading.Barrier
    o_init, o_wait = B.__init__, B.wait
    B._pcb_id = 0

    def __init__(self, parties, action=None, timeout=None):
        f = _created_by_user(1)
        o_init(self, parties, action, timeout)
        if f is not None:
            self._pcb_id = sites.new_object(self, 'Barrier', f, parties=parties)

    def wait(self, timeout=None):
        oid = self._pcb_id
        if not oid:
            return o_wait(self, timeout)
        me = _current()
        _record(_WAIT_BEGIN, WaitKind.Barrier, me, oid, _site_here(1))
        ok = False
        try:
            r = o_wait(self, timeout)
            ok = True
            return r
        finally:
            _record(_WAIT_END, _OK if ok else _FAILED, me, oid)  # BrokenBarrierError: Failed

    B.__init__ = wraps(o_init, __init__)
    B.wait = wraps(o_wait, wait)
    sites.extra_internal.add(__init__.__code__)


def patch_sleep():
    o_sleep = time.sleep
    getframe = sys._getframe
    is_user = sites.is_user_code

    def sleep(secs):
        try:
            f = getframe(1) if secs > 0 else None
        except TypeError:
            f = None  # not a number: the original raises its own error
        if f is None or not is_user(f.f_code):
            return o_sleep(secs)  # sleep(0) is a yield; the stdlib's polling sleeps are noise
        me = _current()
        _record(_WAIT_BEGIN, WaitKind.Sleep, me, 0, sites.site_of(f),
                channel.clamp32(int(min(secs, 2147.0) * 1e6)))
        ok = False
        try:
            o_sleep(secs)
            ok = True
        finally:
            _record(_WAIT_END, _OK if ok else _FAILED, me, 0)

    time.sleep = wraps(o_sleep, sleep)
