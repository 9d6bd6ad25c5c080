"""multiprocessing.managers: the proxies of a Manager's objects (manager.dict(), manager.Lock(),
manager.Queue(), ...).

Every method call on a proxy is a round trip to the manager's server process, during which the
calling thread waits. The tracer records it as a wait on the proxied object:
- a Lock/RLock proxy's acquire() as a multiprocessing lock's, in both modes: the proxy first
  tries the lock without blocking (one round trip, as a blocking acquire of a free lock takes);
  got, it is an Acquire record (the hold begins); taken, the blocking acquire that follows is an
  Acquire wait. So holds and deadlocks through a Manager lock are seen like those of any lock,
  and its `contended` count is the acquires that found it taken, not every round trip. An RLock
  proxy re-entered by a thread writes its Release only at the outermost release, as a
  threading.RLock does;
- any other call as a Result wait: waiting for the server's answer.

Identity: the key of a proxied object is its token (the server's address and the object's id
there): the same in every process holding a proxy of it (proxies are pickled to children), so
the host merges them into one object. Proxies made by the user's code carry its line.
"""
import _thread
import sys

from . import channel, mp_sync, sites, threads
from .schema import RecordType, WaitKind, WaitResult
from .threads import wraps

_record = channel.record
_record_at = channel.record_at
_monof = channel._monof  # timestamps as floats: record_at compares them with floats (see channel)
_T0S = channel._T0S
_idx = threads.index_of  # _idx[_gid()] is threads.current() without the call
_gid = _thread.get_ident
_getframe = sys._getframe
_id = id
_internal_get = sites._internal_codes.get  # id(code) -> True for code that is not the user's
_lasti_get = sites.by_lasti.get  # site id of a user frame's call, by (id(code), f_lasti)
# The site of the user's call on a proxy, when it is not the usual one frame above (see
# _callmethod): walked through the proxy's generated method and our frames
_site_here = sites.site_here
_LOCK_TYPES = ('Lock', 'RLock')


def _key(token):
    return 'mgr:%s:%s' % (token.address, token.id)


def patch_managers(m):
    BP = m.BaseProxy
    o_init, o_call = BP.__init__, BP._callmethod
    BP._pcb_id = 0
    BP._pcb_lock = False

    def __init__(self, token, *args, **kwargs):
        o_init(self, token, *args, **kwargs)
        try:
            typeid = token.typeid
            if typeid:
                kind = typeid if typeid in _LOCK_TYPES else 'Manager.' + typeid
                self._pcb_lock = typeid in _LOCK_TYPES
                if typeid == 'RLock':
                    self._pcb_depth = {}  # get_ident() -> how many times that thread holds it
                # the user frame that asked for it: manager.dict() runs through managers.py
                mp_sync._declare(self, kind, sites.user_frame(1), _key(token))
        except Exception:
            pass  # an untraced proxy works as usual

    def _callmethod(self, methodname, args=(), kwds={}):
        oid = self._pcb_id
        if not oid:
            return o_call(self, methodname, args, kwds)
        me = _idx[_gid()]
        # The user's line: usually the caller of the proxy's method (d[k] = v, lock.acquire()),
        # found in the site cache without the walk of site_here
        try:
            f = _getframe(1)
        except ValueError:  # called straight from C (a raw thread's target): no frame above
            f = None
        if f is not None and _internal_get(_id(f.f_code)):
            f = f.f_back
        site = _lasti_get((_id(f.f_code), f.f_lasti)) if f is not None else None
        if site is None:
            site = _site_here(1)
        if self._pcb_lock:
            if methodname == 'acquire':
                return _acquire(self, me, oid, site, args, kwds)
            if methodname == 'release':
                return _release(self, me, oid, site, args, kwds)
        _record(RecordType.WaitBegin, WaitKind.Result, me, oid, site, 0)
        end = WaitResult.Failed
        try:
            r = o_call(self, methodname, args, kwds)
            end = WaitResult.Ok
            return r
        finally:
            _record(RecordType.WaitEnd, end, me, oid)

    def _acquire(self, me, oid, site, args, kwds):
        """acquire(blocking=True, timeout=None) of a Lock/RLock proxy, as AcquirerProxy sends it:
        a try first; only a lock found taken makes the blocking acquire a recorded wait."""
        t = (_monof() - _T0S) * 1e9  # a wait that follows began here: the try was its first round trip
        depth = self.__dict__.get('_pcb_depth')  # an RLock proxy's re-entries, per thread
        g = _gid()
        if o_call(self, 'acquire', (False,), {}):
            r = True
            # flags 1: an RLock this thread holds already, re-entered: counted, no new hold
            _record(RecordType.Acquire, 1 if depth and depth.get(g) else 0, me, oid, site)
        elif (not (args[0] if args else kwds.get('blocking', True))
              or (args[1] if len(args) > 1 else kwds.get('timeout')) == 0):
            return False  # a failed try, as the caller asked: not a wait
        else:
            _record_at(t, RecordType.WaitBegin, WaitKind.Acquire, me, oid, site, 0)
            end = WaitResult.Failed
            try:
                r = o_call(self, 'acquire', args, kwds)
                end = WaitResult.TimedOut if r is False else WaitResult.Ok
            finally:
                _record(RecordType.WaitEnd, end, me, oid)
            if r is False:
                return r
        if depth is not None:
            depth[g] = depth.get(g, 0) + 1
        return r

    def _release(self, me, oid, site, args, kwds):
        t = (_monof() - _T0S) * 1e9  # before the release: hold spans never overlap
        r = o_call(self, 'release', args, kwds)
        depth = self.__dict__.get('_pcb_depth')
        if depth is not None:
            g = _gid()
            n = depth.pop(g, 1) - 1
            if n > 0:
                depth[g] = n
                return r  # an inner release: the thread still holds it
        _record_at(t, RecordType.Release, 0, me, oid, site)
        return r

    BP.__init__ = wraps(o_init, __init__)
    BP._callmethod = wraps(o_call, _callmethod)
    sites.extra_internal.update({__init__.__code__, _callmethod.__code__, _acquire.__code__,
                                 _release.__code__})

    # The proxies' methods are generated by MakeProxyType with exec() (file "<string>"): not the
    # user's code, so not where a call on a proxy is made.
    for v in list(vars(m).values()):
        if isinstance(v, type) and issubclass(v, BP):
            _mark_generated(v)
    o_make = m.MakeProxyType

    def MakeProxyType(*args, **kwargs):
        return _mark_generated(o_make(*args, **kwargs))

    m.MakeProxyType = wraps(o_make, MakeProxyType)


def _mark_generated(cls):
    for f in vars(cls).values():
        code = getattr(f, '__code__', None)
        if code is not None and code.co_filename == '<string>':
            sites.extra_internal.add(code)
    return cls


def install(hooks):
    hooks.on_import('multiprocessing.managers', patch_managers)
