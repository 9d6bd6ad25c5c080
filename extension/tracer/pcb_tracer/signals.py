"""Signal handlers must not run inside the tracer's lock wrappers.

Without us, `with lock: x += 1` gives a signal handler no chance to run between the acquire and
the release (the C lock's __enter__/__exit__ contain no point where Python checks for pending
signals). Our Python-level __enter__/__exit__ do: a handler that takes the same lock would then
deadlock on it, and a KeyboardInterrupt between the acquire and the end of __enter__ would leak
the lock. So every Python-level handler (the default SIGINT one included) runs through
_dispatch: when the interrupted frame is one of the wrapper's critical functions, the signal is
delivered again a moment later instead. Blocking waits are outside the critical set, so Ctrl-C
still interrupts a thread blocked on a lock.
"""
import _signal
import _thread
import time

from .threads import wraps

critical = set()  # code objects during which a handler must not run
safe = set()  # code objects of blocking waits inside critical ones: a handler may run there
_user = {}  # signum -> the handler the program installed (as signal.getsignal reports it)
_sleep = time.sleep


def _redeliver_later(signum, delay):
    """From a raw thread, a moment later (not from the handler itself: it would run again at
    once, nested in itself, while the wrapper below is still critical). interrupt_main(signum)
    (3.10+) marks the signal pending without an OS signal and does nothing if the program has
    meanwhile set SIG_DFL/SIG_IGN, so a re-delivered SIGALRM can never kill the program."""
    _sleep(delay)
    try:
        try:
            _thread.interrupt_main(signum)
            return
        except TypeError:
            pass  # 3.8/3.9: no signum argument
        if signum == _signal.SIGINT:
            _thread.interrupt_main()
        elif _signal.getsignal(signum) is _dispatch and signum in _user:  # still wanted
            _signal.raise_signal(signum)
    except Exception:
        pass


_backoff = [0.0]


def _redeliver(signum):
    _backoff[0] = min(_backoff[0] * 2 or 0.0001, 0.01)
    _thread.start_new_thread(_redeliver_later, (signum, _backoff[0]))


def _in_critical(frame):
    # the whole stack, not just the innermost frame: a handler may itself be interrupted by the
    # next signal, and that one must not run while a wrapper further down holds the lock
    while frame is not None:
        code = frame.f_code
        if code in safe:
            return False  # blocked waiting (holding nothing): Ctrl-C must interrupt the wait
        if code in critical:
            return True
        frame = frame.f_back
    return False


def _dispatch(signum, frame):
    if _in_critical(frame):
        _redeliver(signum)
        return None
    _backoff[0] = 0.0
    handler = _user.get(signum)
    if handler is not None and callable(handler):
        return handler(signum, frame)
    return None


def _wrap(signum):
    """Route an already installed Python-level handler through _dispatch."""
    try:
        h = _signal.getsignal(signum)
    except (ValueError, OSError):
        return
    if callable(h) and h is not _dispatch:
        _user[signum] = h
        _signal.signal(signum, _dispatch)


def install():
    """At startup (main thread): the default SIGINT handler raises KeyboardInterrupt."""
    try:
        _wrap(_signal.SIGINT)
    except Exception:
        pass


def patch_signal_module(m):
    o_signal, o_getsignal = m.signal, m.getsignal

    def signal(signalnum, handler):
        prev = o_getsignal(signalnum)
        if prev is _dispatch:
            prev = _user.get(int(signalnum), prev)
        if callable(handler):
            o_signal(signalnum, _dispatch)  # raises (not main thread, bad signal) before we record
            _user[int(signalnum)] = handler
        else:
            o_signal(signalnum, handler)
            _user.pop(int(signalnum), None)
        return prev

    def getsignal(signalnum):
        h = o_getsignal(signalnum)
        if h is _dispatch:
            return _user.get(int(signalnum), h)
        return h

    m.signal = wraps(o_signal, signal)
    m.getsignal = wraps(o_getsignal, getsignal)
