"""Thread indices and the threading.Thread lifecycle: start, exit (with its exception), join,
rename.

Records name threads by a small per-process index (0 = main thread), not by get_ident(): the
OS reuses idents as soon as a thread ends, so the host could not tell two threads apart.
"""
import sys
import _thread

from . import channel, sites
from .schema import RecordType, WaitKind, WaitResult

_gid = _thread.get_ident
_native = getattr(_thread, 'get_native_id', _gid)
_record = channel.record


class _Index(dict):
    """get_ident() -> index of the live thread. `index_of[_gid()]` is current() without a Python
    call for a known thread (hot paths inline it); an unknown one (a raw _thread thread of the
    user's) is declared on first use."""
    __slots__ = ()

    def __missing__(self, ident):
        return _adopt()


index_of = _Index()
_next_index = 1


def _alloc():
    global _next_index
    i = _next_index
    if i < 0xFFFF:
        _next_index = i + 1
    return i  # past 65534 threads in one process, the last index is shared (stays decodable)


def is_main():
    return index_of.get(_gid()) == 0


def current():
    """Index of the calling thread; a thread we did not see start (a raw _thread thread of the
    user's) is declared on first use."""
    return index_of[_gid()]


def _adopt():
    ident = _gid()
    i = _alloc()
    index_of[ident] = i
    name = 'Thread-%d' % ident
    try:
        t = sys.modules['threading']._active.get(ident)
        if t is not None:
            name = t.name
    except Exception:
        pass
    channel.meta({'m': 'thread', 'thread': i, 'ident': ident, 'native': _native(),
                  'name': name, 'daemon': True})
    channel.vital(RecordType.ThreadStart, 0, i, 0, 0)
    return i


def declare_main(name, prepared=None):
    """The calling thread is this process's main thread (index 0): at install and in a forked
    child (where the forking thread is the only one left). `prepared`: its meta as
    main_thread_meta_prefix(name) made it, in the parent before the fork (else made here)."""
    global _next_index
    index_of.clear()
    _next_index = 1
    index_of[_gid()] = 0
    if prepared is None:
        prepared = main_thread_meta_prefix(name)
    channel.meta_json(prepared + b'%d}' % _native())
    channel.vital(RecordType.ThreadStart, 0, 0, 0, 0)


def main_thread_meta_prefix(name):
    """The main thread meta of the calling thread, or of a child it forks, as JSON bytes but for
    its native id (the ident stays the forking thread's across fork(); the native id does not)."""
    return ('{"m":"thread","thread":0,"ident":%d,"name":%s,"daemon":false,"native":'
            % (_gid(), channel.to_json(name))).encode('utf-8', 'surrogatepass')


def patch(threading):
    T = threading.Thread
    o_start, o_bootstrap_inner, o_join = T.start, T._bootstrap_inner, T.join

    def start(self):
        try:
            self._pcb_starter = current()
        except Exception:
            pass
        return o_start(self)

    def _bootstrap_inner(self):
        # Runs in the new thread. Thread index, meta and ThreadStart come first so every later
        # record of this thread refers to a declared thread.
        ident = _gid()
        i = _alloc()
        index_of[ident] = i
        self._pcb_index = i
        raised = []
        try:
            channel.meta({'m': 'thread', 'thread': i, 'ident': ident, 'native': _native(),
                          'name': self.name, 'daemon': self.daemon})
            channel.vital(RecordType.ThreadStart, 0, i, 0, getattr(self, '_pcb_starter', 0))
            o_hook = self.__dict__.get('_invoke_excepthook')
            if o_hook is not None:
                def hook(thread, o_hook=o_hook):
                    # run() raised: the exception is being handled, so exc_info() has it
                    raised.append(1)
                    exception_meta(i, *sys.exc_info())
                    return o_hook(thread)
                self._invoke_excepthook = hook
        except Exception:
            pass
        try:
            o_bootstrap_inner(self)
        finally:
            # Joiners wake only after this function returns (the thread-state lock is
            # released by C code), so ThreadExit precedes their WaitEnd.
            channel.vital(RecordType.ThreadExit, 1 if raised else 0, i, 0)
            if index_of.get(ident) == i:
                del index_of[ident]
            # no reference cycle through the hook: the thread object must die with its run
            self.__dict__.pop('_invoke_excepthook', None)

    def join(self, timeout=None):
        target = self.__dict__.get('_pcb_index')
        if target is None or not self.is_alive():
            return o_join(self, timeout)  # nothing to wait for (or the original raises)
        me = current()
        _record(RecordType.WaitBegin, WaitKind.Join, me, 0, sites.site_here(1), target + 1)
        try:
            return o_join(self, timeout)
        finally:
            _record(RecordType.WaitEnd,
                    WaitResult.TimedOut if self.is_alive() else WaitResult.Ok, me, 0)

    name_prop = T.__dict__.get('name')
    if isinstance(name_prop, property) and name_prop.fset is not None:
        o_set = name_prop.fset

        def set_name(self, name):
            o_set(self, name)
            i = self.__dict__.get('_pcb_index')
            if i is not None and self.is_alive():
                channel.meta({'m': 'rename', 'thread': i, 'name': str(name)})
        T.name = property(name_prop.fget, wraps(o_set, set_name), name_prop.fdel, name_prop.__doc__)

    T.start = wraps(o_start, start)
    T._bootstrap_inner = wraps(o_bootstrap_inner, _bootstrap_inner)
    T.join = wraps(o_join, join)
    sites.extra_internal.update({start.__code__, join.__code__})


def exception_meta(thread, et, ev, tb):
    d = {'m': 'exception', 'thread': thread, 'type': getattr(et, '__name__', str(et)),
         'message': _safe_str(ev)}
    f = None
    while tb is not None:  # the innermost user frame of the traceback
        if sites.is_user_code(tb.tb_frame.f_code):
            f = tb
        tb = tb.tb_next
    if f is not None:
        d['file'] = f.tb_frame.f_code.co_filename
        d['line'] = f.tb_lineno
    channel.meta(d)


def _safe_str(v):
    try:
        return str(v)[:2000]
    except Exception:
        return '<unprintable>'


def wraps(orig, new):
    """Give a wrapper the identity of what it replaces (pickling by qualified name, repr, help)."""
    for a in ('__name__', '__qualname__', '__doc__', '__module__'):
        try:
            setattr(new, a, getattr(orig, a))
        except (AttributeError, TypeError):
            pass
    new.__wrapped__ = orig
    return new
