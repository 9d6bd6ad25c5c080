"""threading.Lock and threading.RLock, traced.

The user's locks (created from user code) become small wrappers around a raw lock; locks that
the standard library makes for itself stay raw and untraced.

smart mode (default), per acquire:
  fast path   try-acquire, count it, remember the owner (for WaitBegin.b): no record, and for
              `with lock:` no Python frame either (see SmartLock);
  contention  yield the GIL a few times first (see _yield_then_block), and only if the lock is
              still taken: WaitBegin(Acquire, site, holder) ... WaitEnd, and the release that
              wakes a waiter is recorded too (Release). Counters go out as LockStats.
full mode: a Lock's `with` block is one Hold record, written at its end (see FullLock); an
              explicit acquire() is an Acquire with its site, a release() a Release with its
              site; RLocks write Acquire and Release records for every operation.

Invariant tested: in smart mode, LockStats.b (contended) == the number of WaitBegin(Acquire)
records of that lock, and LockStats.a counts every successful acquire.
"""
import itertools
from _operator import is_not as _is_not  # (True, anything but True) -> True: what `with lock as x` gets
import sys
import _thread
import time
from _collections import deque
from _weakref import ref as weakref_ref  # not `weakref`: its import costs each process ~1 ms

from . import channel, schema, sites, threads
from .schema import RecordType, WaitKind, WaitResult

_gid = _thread.get_ident
_raw_lock = _thread.allocate_lock
_sleep = time.sleep  # the original: time.sleep gets patched
_index_get = threads.index_of.get
_current = threads.current
_record = channel.record
_record_at = channel.record_at
_site_here = sites.site_here
_lasti_get = sites.by_lasti.get  # (id(code), f_lasti) of a user frame -> its site id
_id = id
_site_miss = sites.site_miss
_getframe = sys._getframe
_ext = channel.buf.extend
_pack_hold = schema.HOLD_RECORD.pack
_spill = channel.spill
_T0S = channel._T0S  # the same origin in seconds, for float timestamps from time.monotonic()
_monof = time.monotonic
_WAIT_BEGIN, _WAIT_END = RecordType.WaitBegin, RecordType.WaitEnd
_ACQUIRE, _RELEASE, _HOLD = RecordType.Acquire, RecordType.Release, RecordType.Hold
_KIND_ACQUIRE = WaitKind.Acquire
_OK, _TIMED_OUT, _FAILED = WaitResult.Ok, WaitResult.TimedOut, WaitResult.Failed
YIELDS = (0, 1e-05, 1e-04)  # measured: blocking becomes rare on 3.8-3.13 (see _yield_then_block)
_NOT_TAKEN = itertools.repeat(False)

counted = {}  # obj id -> weakref of every wrapper that keeps counters (read by the flusher)


def _noting(attempts, dq):
    """The __next__ of a chain of C iterators: the next of `attempts` (acquire results, True or
    False) and, when it is True, get_ident() appended to `dq` (the owner), all in one C call.
    Python code between taking a lock and noting its owner lets a thread switch fall in between:
    a waiter would then read the previous owner as the holder (itself, when two threads share
    the lock), and the trace would show the wait held up by a thread that does not hold the
    lock, or the host lose the real holder's hold (see _Base._contended)."""
    noted = map(_is_not, itertools.repeat(True), map(dq.append, itertools.starmap(_gid, itertools.repeat(()))))
    return map(next, map({True: noted, False: _NOT_TAKEN}.__getitem__, attempts)).__next__


def _note_after(results, dq):
    """The next of `results` (a call that either succeeds or raises: an RLock's
    _acquire_restore), then get_ident() appended to `dq`, in one C call (see _noting)."""
    return next(map(_is_not, results, map(dq.append, itertools.starmap(_gid, ((),)))))


def _yield_then_block(take, timeout):
    """Acquire after a failed try-acquire. A Python-level wrapper adds points where the GIL can
    switch *inside* the user's critical section (our __enter__ runs after the real acquire), so
    the holder may just have been preempted. Blocking now would hand the lock over through the
    OS on every release (a lock convoy: 5-8x slower). Yielding the GIL lets the holder finish,
    as it would have without us. sleep(0) alone is not always enough (3.8 often takes the GIL
    straight back), so the later attempts sleep for real, briefly. `take` try-acquires and
    notes the owner (see _noting). Returns True when acquired without blocking."""
    if timeout < 0 or timeout > 0.001:
        for pause in YIELDS:
            _sleep(pause)
            if take():
                return True
    return False


def _is_locked(raw):
    # _thread.RLock has no locked() before Python 3.14: its repr says "<locked ..." or
    # "<unlocked ...". Only the contended path asks.
    try:
        return raw.locked()
    except AttributeError:
        return not repr(raw).startswith('<unlocked')


def _held_once(raw):
    """The calling thread, which owns the _thread.RLock, holds it once: its release frees it.
    _recursion_count() is 3.12+; before, the repr says "count=N". Only the contended path asks."""
    try:
        return raw._recursion_count() == 1
    except AttributeError:
        r = repr(raw)
        i = r.find(' count=')
        return i >= 0 and r[i + 7:].split(' ', 1)[0] == '1'


def _block(lk, timeout):
    # Not in signals.critical: a thread blocked here must stay interruptible (Ctrl-C).
    if timeout < 0:
        return lk._blocking()()
    return _noting(map(lk._l.acquire, (True,), (timeout,)), lk._dq)()


def critical_codes():
    """Code objects during which a signal handler must not run (see signals.py): everything
    here that runs while the lock may be held, except the blocking wait itself."""
    codes = set()
    for v in list(globals().values()):
        if isinstance(v, type) and issubclass(v, _Base):
            for f in vars(v).values():
                if hasattr(f, '__code__') and f.__name__ not in ('__del__', '__repr__'):
                    codes.add(f.__code__)
    codes.add(_yield_then_block.__code__)
    codes.add(_ContendedPath.__missing__.__code__)
    return codes


class _Base(object):
    __slots__ = ('_l', '_id', '_n', '_nc', '_s', '_dq', '_take', '_blk', '_wq', '_r', '__weakref__')
    _smart = False  # smart locks may release without a record (see SmartLock)

    def __init__(self, raw, oid):
        self._l = raw
        self._id = oid
        self._n = 0  # successful acquisitions
        self._nc = 0  # of which contended (each one has a WaitBegin record)
        self._s = -1  # _n when LockStats last went out
        # get_ident() of the last two acquirers: [-1] is the holder while the lock is taken,
        # noted in the same C call as the acquire (see _noting); [-2] the one before it.
        self._dq = deque((0, 0), maxlen=2)
        # try-acquire, and acquire without a timeout, each noting the owner (see _noting):
        # made on first need, ~1 KB of iterators each
        self._take = self._blk = None
        self._wq = []  # thread indices blocked on this lock right now (list ops are atomic)
        self._r = 0  # recorded releases (lets a waiter see whether its wake was recorded)

    # -- the slow paths shared by both modes --
    def _contended(self, timeout):
        """0: not acquired (timed out); 1: acquired while yielding, nothing recorded;
        2: acquired after a recorded wait (WaitBegin/WaitEnd).
        The owner is noted with the acquire itself; the caller counts the acquisition."""
        raw = self._l
        t_begin = (_monof() - _T0S) * 1e9  # the wait began before the yields
        if _yield_then_block(self._taker(), timeout):
            return 1
        me = _current()
        # Locked first, then the owner: whoever that names held the lock after t_begin (owners
        # are noted with the acquire itself), even if it has let go since.
        locked = _is_locked(raw)
        owner = self._owner()
        holder = _index_get(owner, -1) + 1 if locked else 0
        site = _site_here(2)
        wq = self._wq
        wq.append(me)
        self._waiting(True)
        releases = self._r
        _record_at(t_begin, _WAIT_BEGIN, _KIND_ACQUIRE, me, self._id, site, holder)
        ok = False
        try:
            ok = _block(self, timeout)
        finally:
            t = (_monof() - _T0S) * 1e9
            wq.remove(me)
            if not wq:
                self._waiting(False)
            if ok and self._r == releases and self._smart:
                # The release that woke us did not record (its `with` had looked up the fast
                # path before we swapped it): record it on the releaser's behalf, so its hold ends
                # where our wait does. The releaser is the acquirer before us (_block noted us),
                # not necessarily the holder our WaitBegin named: others may have held it in
                # between. (The releaser may have exited since: its index is gone, and its
                # ThreadExit ended its holds.)
                last = self._dq[-2]
                last = holder - 1 if holder and last == owner else _index_get(last)
                if last is not None and last != me:
                    _record_at(t - 1, _RELEASE, 0, last, self._id, 0)
            _record_at(t, _WAIT_END, _OK if ok else
                       (_TIMED_OUT if sys.exc_info()[0] is None else _FAILED), me, self._id)
        if not ok:
            return 0
        self._nc += 1
        return 2

    def _owner(self):
        """get_ident() of the last acquirer: the holder while the lock is taken."""
        return self._dq[-1]

    def _taker(self):
        take = self._take
        if take is None:
            take = self._take = _noting(itertools.starmap(self._l.acquire, itertools.repeat((False,))), self._dq)
        return take

    def _blocking(self):
        blk = self._blk
        if blk is None:
            blk = self._blk = _noting(itertools.starmap(self._l.acquire, itertools.repeat(())), self._dq)
        return blk

    def _total(self):
        """Successful acquisitions so far."""
        return self._n

    def _waiting(self, on):
        """Smart locks switch their release path (see SmartLock); full ones always record."""

    def _tick(self, before):
        """The flusher's look at this lock, once a tick (see flush_stats)."""
        if self._total() != self._s:
            emit_stats(self)

    def _release_recorded(self, site):
        raw = self._l
        if not raw.locked():
            raw.release()  # raises the usual RuntimeError, with nothing recorded
        t = (_monof() - _T0S) * 1e9  # before the release: hold spans never overlap
        # Counted before the release: a waiter it wakes may run before this thread goes on, and
        # must see the release as recorded, or it records one itself (see _contended): two
        # Releases, the second closing an old hold of this thread's far too late.
        self._r += 1
        raw.release()
        _record_at(t, _RELEASE, 0, _current(), self._id, site)

    def locked(self):
        return self._l.locked()

    def _at_fork_reinit(self):
        self._l._at_fork_reinit()
        del self._wq[:]
        self._waiting(False)

    # No __getattr__ fallback to the raw lock: defining one routes *every* attribute access of
    # the hot path through a slower lookup (~500 instructions per `with`, measured with
    # callgrind). The raw lock's other public/private API is delegated explicitly instead.
    def _recursion_count(self):  # RLock, 3.12+
        return self._l._recursion_count()

    def acquire_lock(self, *args, **kwargs):  # old aliases of the C lock
        return self.acquire(*args, **kwargs)

    def release_lock(self):
        return self.release()

    def locked_lock(self):
        return self._l.locked()

    def __reduce_ex__(self, protocol):
        raise TypeError("cannot pickle '%s' object" % type(self._l).__name__)

    def __repr__(self):
        return '<%s traced as object %d>' % (repr(self._l)[1:-1], self._id)

    def __del__(self):
        # final counters of a lock that dies between two flusher ticks
        try:
            if self._total() != self._s:
                emit_stats(self)
        except Exception:
            pass


def emit_stats(lk):
    if not lk._smart:
        return  # full mode: the Acquire/WaitEnd records are the counts
    n = lk._total()
    lk._s = n
    channel.vital(RecordType.LockStats, 0, 0, lk._id, channel.clamp32(n), channel.clamp32(lk._nc))


def flush_stats():
    """Flusher tick: LockStats for every counted lock whose counters moved (smart mode); an
    Acquire for every `with` hold that has lasted a tick and not ended (full mode, FullLock)."""
    before = _monof() - channel.FLUSH_INTERVAL_S
    for ref in list(counted.values()):
        lk = ref()
        if lk is not None:
            lk._tick(before)


def reset_after_fork():
    """A forked child starts counting from zero: the parent reports its own counts."""
    for ref in list(counted.values()):
        lk = ref()
        if lk is not None:
            lk._n = lk._nc = 0
            lk._n = -lk._total()  # SmartLock's C counter cannot be reset: start below it
            lk._s = -1
            if lk._wq:  # threads that were waiting do not exist in the child
                del lk._wq[:]
                lk._waiting(False)


# ---- smart mode -----------------------------------------------------------------------------
class _EnterVia(type):
    """SmartLock keeps __enter__/__exit__ in per-instance slots (below). `with` looks them up on
    the instance's type and gets the slot's value; generic code that calls them through the
    class, `type(cm).__enter__(cm)` (contextlib.ExitStack, unittest's enterContext), would get
    the bare slot descriptor, which is not callable. These class-level properties take
    precedence for that lookup only, and call the instance's own."""
    __enter__ = property(lambda cls: _call_enter)
    __exit__ = property(lambda cls: _call_exit)


def _call_enter(cm):
    return cm.__enter__()


def _call_exit(cm, t, v, tb):
    return cm.__exit__(t, v, tb)


class _ContendedPath(dict):
    """{True: True}, looked up with the result of a try-acquire: True is the fast path, in C;
    False is missing, so __missing__ runs the contended acquire, in Python."""
    __slots__ = ('_lock', '_raw')

    def __missing__(self, _key):
        lk = self._lock()
        if lk is None:  # the wrapper is gone (a temporary in `with make_lock():`): just wait
            self._raw.acquire()
        else:
            lk._contended(-1)
        return True


_TIMES = sys.maxsize  # a SmartLock's owner iterator runs this many times: it never runs out


def _count_of(times):
    """How many times a SmartLock's owner iterator has run: its acquisitions on the C path.
    The repeat() that drives it counts down for us, so the hot path needs no counter of its own."""
    return _TIMES - times.__length_hint__()


class SmartLock(_Base, metaclass=_EnterVia):
    """`with lock:` runs no Python code at all on the fast path. __enter__ is a slot holding
    the __next__ of a chain of C iterators that, per call, try-acquires the raw lock, looks the
    result up in a _ContendedPath (whose __missing__ is the contended path), then stores
    get_ident() in a one-item deque (the owner). The repeat() that drives the owner step counts
    down once per acquisition: that is the counter (see _count_of; an itertools.count beside it
    cost 20-30 ns more per `with` on 3.12/3.13).
    __exit__ and release are slots holding the raw lock's own C methods. A Python __enter__,
    even a tiny one, costs one interpreter frame per `with` (measured with callgrind: the
    chain costs a third of that) and adds GIL switch points inside the critical section. While
    a thread is blocked on the lock __exit__/release hold recording versions instead
    (_waiting). Explicit acquire() calls stay in Python and count in _n."""
    __slots__ = ('__enter__', '__exit__', 'release', '_c')
    _smart = True

    def __init__(self, raw, oid):
        _Base.__init__(self, raw, oid)
        self.__exit__ = raw.__exit__
        self.release = raw.release
        self._c = times = itertools.repeat((), _TIMES)
        dq = self._dq
        path = _ContendedPath({True: True})
        path._lock = weakref_ref(self)
        path._raw = raw
        acquired = map(path.__getitem__, itertools.starmap(raw.acquire, itertools.repeat((False,))))
        owner = map(dq.append, itertools.starmap(_gid, times))
        # map() advances its iterators in order: nothing is counted when the acquire raises.
        # is_not(True, None) is True: what `with lock as x` gets from a plain Lock.
        self.__enter__ = map(_is_not, acquired, owner).__next__

    def _total(self):
        return self._n + _count_of(self._c)

    def _waiting(self, on):
        if on:
            self.__exit__ = self._exit_recorded
            self.release = self._release_recorded_0
        else:
            raw = self._l
            self.__exit__ = raw.__exit__
            self.release = raw.release

    def acquire(self, blocking=True, timeout=-1):
        if blocking and timeout == -1:
            return self.__enter__()  # the C path, counted there
        if self._taker()():
            self._n += 1
            return True
        if not blocking or timeout == 0:
            return self._l.acquire(blocking, timeout)  # False, or the usual ValueError
        if self._contended(timeout) == 0:
            return False
        self._n += 1
        return True

    def _exit_recorded(self, t, v, tb):
        self._release_recorded(0)  # someone waits: this release ends a recorded wait

    def _release_recorded_0(self):
        self._release_recorded(0)

    # Condition(lock) uses these when present (they keep its probing out of the counters)
    def _is_owned(self):
        return self._l.locked()

    def _release_save(self):
        self.release()

    def _acquire_restore(self, _state):
        # The woken Condition waiter takes its lock back; its Condition wait is still open,
        # so this is not a separate recorded wait.
        self._blocking()()
        self._n += 1


class SmartRLock(SmartLock):
    __slots__ = ()

    def _release_recorded(self, site):
        t = (_monof() - _T0S) * 1e9
        raw = self._l
        last = raw._is_owned() and _held_once(raw)  # this release frees the lock
        if last:
            self._r += 1  # before the release (see _Base._release_recorded)
        raw.release()  # raises if not owned, with nothing recorded
        if last:
            _record_at(t, _RELEASE, 0, _current(), self._id, site)

    def _is_owned(self):
        return self._l._is_owned()

    def _release_save(self):
        t = (_monof() - _T0S) * 1e9
        recorded = bool(self._wq) and self._l._is_owned()
        if recorded:
            self._r += 1  # before the release (see _Base._release_recorded)
        state = self._l._release_save()
        if recorded:
            _record_at(t, _RELEASE, 0, _current(), self._id, 0)
        return state

    def _acquire_restore(self, state):
        _note_after(map(self._l._acquire_restore, (state,)), self._dq)
        self._n += 1


# ---- full mode ------------------------------------------------------------------------------
class _FullBase(_Base):
    """What both full-mode locks share: an explicit acquire() writes an Acquire with its site, an
    explicit release() a Release with its site, and the recorded wait of a contended acquire
    begins the hold by itself (no Acquire after it; the Acquire and WaitEnd records are the
    count). The per-record work is inlined and allocation-light: the timestamp is float
    arithmetic on time.monotonic() (the same clock as monotonic_ns(); big-int subtraction and
    conversion cost more), and the acquire's site comes from a one-entry cache on the lock (its
    last caller's code object and instruction offset, compared by identity) before the shared
    dict (whose keys need hashing a code object)."""
    __slots__ = ('_sc', '_sl', '_si', '_tq')

    def __init__(self, raw, oid):
        _Base.__init__(self, raw, oid)
        self._sc = None  # code, f_lasti and site id of the last acquire's caller
        self._sl = -1
        self._si = 0
        self._taker()  # made now, not on first need: acquire() takes it on its fast path
        # When the current hold began (time.monotonic()), if no record says so yet: a `with`
        # block's hold is written whole at its end (FullLock); None once an Acquire or a wait
        # has begun the hold in the trace.
        self._tq = deque((None,), maxlen=1)

    def _took_after_wait(self):
        self._tq.append(None)

    def _site(self, f):
        code = f.f_code
        lasti = f.f_lasti
        sid = _lasti_get((_id(code), lasti))
        if sid is None:
            sid = _site_miss(f)
        if _lasti_get((_id(code), lasti)) == sid:  # a user frame: cacheable
            self._sc, self._sl, self._si = code, lasti, sid
        return sid

    def _acquired(self):
        self._tq.append(None)
        try:
            f = _getframe(2)  # the acquire's caller
        except ValueError:  # none: the acquire was called straight from C (an atexit callback)
            sid = 0
        else:
            sid = self._si if f.f_code is self._sc and f.f_lasti == self._sl else self._site(f)
        _record(_ACQUIRE, 0, _current(), self._id, sid)

    def acquire(self, blocking=True, timeout=-1):
        if self._take():
            self._acquired()
            return True
        if not blocking or timeout == 0:
            return self._l.acquire(blocking, timeout)
        r = self._contended(timeout)
        if r == 1:  # got it while yielding: an acquire like any other
            self._acquired()
        elif r == 2:
            self._took_after_wait()
        return r != 0

    def release(self):
        try:
            f = _getframe(1)
        except ValueError:  # called straight from C (an atexit callback): no caller's line
            return self._release_recorded(0)
        sid = _lasti_get((_id(f.f_code), f.f_lasti))
        self._release_recorded(_site_miss(f) if sid is None else sid)

    def _is_owned(self):
        return self._l.locked()

    def _release_save(self):
        self._release_recorded(0)

    def _acquire_restore(self, _state):
        self._blocking()()
        self._tq.append(None)
        _record(_ACQUIRE, 0, _current(), self._id, 0)


class FullLock(_FullBase, metaclass=_EnterVia):
    """`with lock:` writes one record, a Hold, at the end of the block: half the records of an
    Acquire plus a Release, and no Python frame at the start. __enter__ is a chain of C
    iterators, as in SmartLock: try-acquire, the contended path (a _ContendedPath) on a miss,
    then the owner and the time the hold began go into one-item deques that __exit__ reads."""
    __slots__ = ('__enter__', '__exit__', '_rel', '_pub')

    def __init__(self, raw, oid):
        _FullBase.__init__(self, raw, oid)
        self._rel = raw.release
        self._pub = None  # the start of the last hold _tick published
        path = _ContendedPath({True: True})
        path._lock = weakref_ref(self)
        path._raw = raw
        acquired = map(path.__getitem__, itertools.starmap(raw.acquire, itertools.repeat((False,))))
        owner = map(self._dq.append, itertools.starmap(_gid, itertools.repeat(())))
        began = map(self._tq.append, itertools.starmap(_monof, itertools.repeat(())))
        # map() advances its iterators in order: the hold begins once the acquire has succeeded
        self.__enter__ = map(_is_not, acquired, zip(owner, began)).__next__
        self.__exit__ = self._exit_hold

    def _exit_hold(self, t, v, tb):
        t1 = self._tq[0]  # read before the release: the next holder overwrites it
        t2 = _monof()  # before the release: hold spans never overlap
        self._rel()  # an unlocked lock raises here, before anything is recorded
        th = _index_get(_gid())
        if th is None or t1 is None:
            return self._end_slow(t1, t2)
        t = (t1 - _T0S) * 1e9
        data = _pack_hold(_HOLD, 0, th, self._id, t, 0, (t2 - t1) * 1e9)
        if t < channel._next_check:  # see channel.record
            _ext(data)
        else:
            _spill(data, t)

    def _tick(self, before):
        """A hold is written when it ends; one that began before `before` and goes on is shown
        now, as an Acquire with flags 2 (its Hold will end it). Runs on the flusher thread, so
        the lock may change hands between any two lines: a hold that ended meanwhile is at
        worst published late, and the host ignores an Acquire older than the lock's last
        release."""
        t1 = self._tq[0]
        if t1 is None or t1 > before or t1 is self._pub or not self._l.locked():
            return
        th = _index_get(self._dq[-1])
        if th is None or self._tq[0] is not t1:
            return  # it changed hands (or a thread we never saw holds it): next tick
        self._pub = t1
        _record_at((t1 - _T0S) * 1e9, _ACQUIRE, 2, th, self._id, 0)

    def _end_slow(self, t1, t2):
        """The end of a hold off the hot path: one that an Acquire or a wait began (write a
        Release), one ended by release(), or one of a thread not yet known to the tracer."""
        th = _current()
        if t1 is None:
            _record_at((t2 - _T0S) * 1e9, _RELEASE, 0, th, self._id, 0)
        else:
            t = (t1 - _T0S) * 1e9
            _spill(_pack_hold(_HOLD, 0, th, self._id, t, 0, (t2 - t1) * 1e9), t)

    def _release_recorded(self, site):
        t1 = self._tq[0]
        if t1 is None:
            return _FullBase._release_recorded(self, site)
        raw = self._l
        if not raw.locked():
            raw.release()  # raises the usual RuntimeError, with nothing recorded
        t2 = _monof()
        self._r += 1  # before the release (see _Base._release_recorded)
        raw.release()
        self._end_slow(t1, t2)


class FullRLock(_FullBase):
    """The outermost acquire/release of a re-entered RLock make the hold span; a re-entrant
    acquire is recorded with flags 1 so acquisition totals stay exact."""
    __slots__ = ()

    def acquire(self, blocking=True, timeout=-1):
        raw = self._l
        if raw._is_owned():  # re-entered: counted (flags 1), no new hold
            raw.acquire()
            _record(_ACQUIRE, 1, _current(), self._id, 0)
            return True
        if self._take():
            self._acquired()
            return True
        if not blocking or timeout == 0:
            return raw.acquire(blocking, timeout)
        r = self._contended(timeout)
        if r == 1:
            self._acquired()
        elif r == 2:
            self._took_after_wait()
        return r != 0

    def __enter__(self):
        raw = self._l
        if raw._is_owned():
            raw.acquire()
            _record(_ACQUIRE, 1, _current(), self._id, 0)
            return True
        if self._take():
            self._acquired()
            return True
        if self._contended(-1) == 1:
            self._acquired()
        else:
            self._took_after_wait()
        return True

    def __exit__(self, t, v, tb):
        self._release_recorded(0)

    def _release_recorded(self, site):
        t = (_monof() - _T0S) * 1e9
        raw = self._l
        raw.release()  # raises if not owned, with nothing recorded
        if not raw._is_owned():
            _record_at(t, _RELEASE, 0, _current(), self._id, site)

    def _is_owned(self):
        return self._l._is_owned()

    def _release_save(self):
        t = (_monof() - _T0S) * 1e9
        state = self._l._release_save()
        _record_at(t, _RELEASE, 0, _current(), self._id, 0)
        return state

    def _acquire_restore(self, state):
        _note_after(map(self._l._acquire_restore, (state,)), self._dq)
        _record(_ACQUIRE, 0, _current(), self._id, 0)
