"""Where things happen in the user's code: site ids for waits, and object ids for traced objects.

"User code" is any frame whose file is outside the standard library (site-packages included:
it lives under the stdlib directory, and third-party internals are noise on a timeline) and
outside this package. A lock created by threading.py or queue.py for their own use is therefore
never traced, and a wait is attributed to the user's line that led to it.
"""
import os
import sys
from _weakref import ref as weakref_ref

from . import channel

_getframe = sys._getframe
_HERE = os.path.dirname(os.path.abspath(__file__))
_STDLIB = os.path.dirname(os.path.abspath(os.__file__))
_INTERNAL_PREFIXES = tuple(sorted(
    {_STDLIB + os.sep, _HERE + os.sep, os.path.dirname(_HERE) + os.sep + 'sitecustomize'}
    | {os.path.abspath(p) + os.sep for p in sys.path
       if p and ('site-packages' in p or 'dist-packages' in p)}))
# Caches keyed by id(code), not by the code object: a code object's hash is not cached and
# covers its constants (on 3.12+ its whole bytecode too), so a dict keyed by code, or by a tuple
# holding one, pays that on every lookup (measured: the largest tracer cost per recorded wait in
# a multiprocessing program). An id stays its object's while the object lives: every code
# object with an entry here is kept alive in _classified.
_id = id
_internal_codes = {}  # id(code) -> True when its frames are not user code
_classified = []  # the code objects _internal_codes has an entry for
extra_internal = set()  # code objects of helpers outside those dirs that must be skipped


def _classify(code):
    fn = code.co_filename
    internal = (code in extra_internal or fn.startswith(_INTERNAL_PREFIXES)
                or fn.startswith('<frozen'))
    _internal_codes[_id(code)] = internal
    _classified.append(code)
    return internal


def is_user_code(code):
    internal = _internal_codes.get(_id(code))
    if internal is None:
        internal = _classify(code)
    return not internal


def user_frame(depth=1):
    """The nearest user frame above the caller's caller (depth counts from the caller of this)."""
    try:
        f = _getframe(depth + 1)
    except ValueError:
        return None
    get = _internal_codes.get
    while f is not None:
        code = f.f_code
        internal = get(_id(code))
        if internal is None:
            internal = _classify(code)
        if not internal:
            return f
        f = f.f_back
    return None


def created_by_user(depth=1):
    """The frame that called the constructor being wrapped, when it is user code, else None.

    Unlike user_frame this does not walk up: a lock made by queue.py on behalf of the user's
    Queue is queue.py's, not the user's."""
    try:
        f = _getframe(depth + 1)
    except ValueError:
        return None
    code = f.f_code
    internal = _internal_codes.get(_id(code))
    if internal is None:
        internal = _classify(code)
    return None if internal else f


# ---- sites ---------------------------------------------------------------------------------
_sites = {}  # (id(code), line) -> site id, per connection
_site_codes = []  # the code objects of _sites' keys, kept alive (see _classified)


def site_of(f):
    """Site id of a frame (0 when None); declares the site on first use in this connection."""
    if f is None:
        return 0
    code = f.f_code
    line = f.f_lineno
    key = (_id(code), line)
    sid = _sites.get(key)
    if sid is None:
        sid = len(_sites) + 1
        _sites[key] = sid
        _site_codes.append(code)
        channel.meta({'m': 'site', 'site': sid, 'file': code.co_filename, 'line': line,
                      'func': code.co_name})
    return sid


# (id(code), f_lasti) of a user frame -> site id: f_lineno costs a line-table walk. Each entry's
# code object is kept alive by its _sites entry (site_of made it; all are cleared together).
by_lasti = {}


def site_miss(f):
    """Site id for the frame f that called a traced operation, when by_lasti has no entry: cached
    when f is user code, walked up (not cached: it depends on the call path) when it is not."""
    if is_user_code(f.f_code):
        sid = by_lasti[(_id(f.f_code), f.f_lasti)] = site_of(f)
        return sid
    while f is not None and not is_user_code(f.f_code):
        f = f.f_back
    return site_of(f)


def site_here(depth=1):
    """Site id of the nearest user frame above the caller."""
    f = user_frame(depth + 1)
    if f is None:
        return 0
    key = (_id(f.f_code), f.f_lasti)
    sid = by_lasti.get(key)
    if sid is None:
        sid = by_lasti[key] = site_of(f)
    return sid


# ---- objects -------------------------------------------------------------------------------
_next_obj = 1
# obj id -> (weak reference to the traced object, its meta dict): lets a forked child declare
# again the objects it inherited (its connection is new) and lets the flusher read counters.
objects = {}


def new_object(obj, kind, f=None, **extra):
    """Give obj an id, remember it weakly and declare it. Returns the id."""
    global _next_obj
    oid = _next_obj
    _next_obj = (oid + 1) & 0xFFFFFFFF or 1
    d = {'m': 'object', 'obj': oid, 'kind': kind}
    if f is not None:
        d['file'] = f.f_code.co_filename
        d['line'] = f.f_lineno
    for k, v in extra.items():
        if v is not None:
            d[k] = v
    try:
        objects[oid] = (weakref_ref(obj, lambda _r, oid=oid: objects.pop(oid, None)), d)
    except TypeError:
        pass  # not weak-referenceable: it simply will not be re-declared after fork
    channel.meta(d)
    return oid


def after_fork_child():
    """New connection: sites are declared again on first use, live objects right now."""
    _sites.clear()
    by_lasti.clear()
    del _site_codes[:]
    for _oid, (ref, d) in list(objects.items()):
        if ref() is not None:
            channel.meta(d)
