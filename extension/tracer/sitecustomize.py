"""Parallel Cookbook tracer entry point. The host puts this folder first on PYTHONPATH, so site.py
imports this module in every Python process of a traced run (children inherit PYTHONPATH).

Kept syntax-compatible with old Pythons: an old interpreter must get a clear message, not a
SyntaxError from site.py.
"""
import os as _os
import sys as _sys


def _chain():
    # We shadow any sitecustomize further down sys.path (a distribution's or a virtualenv's):
    # find the next one and run it, as if we were not here.
    here = _os.path.dirname(_os.path.abspath(__file__))
    # the PathFinder already on sys.meta_path: importing importlib.machinery costs ~1-2 M
    # instructions. Python 2 has none: nothing we can chain safely (the message below says why).
    PathFinder = None
    for f in _sys.meta_path:
        if (getattr(f, '__name__', None) == 'PathFinder' and getattr(f, '__module__', None)
                in ('_frozen_importlib_external', 'importlib._bootstrap_external')):
            PathFinder = f
    if PathFinder is None:
        return
    try:
        path = [p for p in _sys.path if _os.path.abspath(p or '.') != here]
        spec = PathFinder.find_spec('sitecustomize', path)
        if spec is not None and spec.loader is not None and spec.origin != __file__:
            mod = type(_sys)('sitecustomize')
            mod.__file__ = spec.origin
            mod.__spec__ = spec
            mod.__loader__ = spec.loader
            spec.loader.exec_module(mod)
    except Exception as e:
        _sys.stderr.write('pcb-tracer: the shadowed sitecustomize failed: %r\n' % (e,))


def _fresh(cached):
    """Whether the .pyc at `cached` was compiled from this file as it is now: its header holds
    the source's mtime and size (a timestamp pyc, the kind py_compile writes by default)."""
    try:
        with open(cached, 'rb') as f:
            head = f.read(16)
        st = _os.stat(__file__)
    except OSError:
        return False
    return (len(head) == 16 and head[4:8] == b'\0\0\0\0'
            and int.from_bytes(head[8:12], 'little') == int(st.st_mtime) & 0xFFFFFFFF
            and int.from_bytes(head[12:16], 'little') == st.st_size & 0xFFFFFFFF)


_chain()
if _os.environ.get('PCB_SOCKET'):
    if _sys.version_info < (3, 8):
        _sys.stderr.write('Parallel Cookbook: Python 3.8 or newer is required to trace this '
                          'program (this is Python %d.%d); it runs untraced.\n'
                          % _sys.version_info[:2])
    else:
        # Compiling the tracer costs every process ~30-50 ms; its cached bytecode ~10. Cache it
        # (in this folder's __pycache__, if writable) even when PYTHONDONTWRITEBYTECODE is set:
        # the setting is the program's, and its own modules are not affected.
        _saved = _sys.dont_write_bytecode
        _sys.dont_write_bytecode = False
        try:
            import pcb_tracer as _pcb
            _pcb.install()
        except Exception as _e:  # tracing must never break the program
            _sys.stderr.write('pcb-tracer: install failed: %r\n' % (_e,))
        finally:
            _sys.dont_write_bytecode = _saved
        # site.py imported this file before the lines above could lift the setting: write its
        # own .pyc, so the next processes (every child) skip compiling it (~1-5 ms each). A
        # stale one (this file changed since) is never refreshed by Python in that setting.
        if _saved:
            try:
                _cached = globals().get('__cached__')
                if _cached and not _fresh(_cached):
                    import py_compile as _pyc
                    _pyc.compile(__file__, cfile=_cached, doraise=False, quiet=2)
            except Exception:
                pass
