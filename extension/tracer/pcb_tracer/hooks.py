"""Patch a module right after it is imported, without importing it ourselves: multiprocessing
and concurrent.futures cost milliseconds to import, and most programs never use them.

A meta-path finder sees the import first, lets the real finders find the spec, and wraps the
loader's exec_module on that loader *instance* (never a class: frozen and built-in importers are
classes shared by every module)."""
import sys

_patchers = {}  # module name -> [callable(module)]


def on_import(name, fn):
    """Run fn(module) once `name` is imported (now, if it already is)."""
    mod = sys.modules.get(name)
    if mod is not None:
        _run(name, fn, mod)
    else:
        _patchers.setdefault(name, []).append(fn)


def _run(name, fn, module):
    try:
        fn(module)
    except Exception as e:  # never break the user's import
        try:
            sys.stderr.write('pcb-tracer: patching %s failed: %r\n' % (name, e))
        except Exception:
            pass


class _Finder(object):
    def find_spec(self, name, path=None, target=None):
        fns = _patchers.get(name)
        if not fns:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, 'find_spec'):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                break
        else:
            return None
        loader = spec.loader
        if loader is None or isinstance(loader, type) or not hasattr(loader, 'exec_module'):
            return spec
        o_exec = loader.exec_module

        def exec_module(module):
            o_exec(module)
            for fn in _patchers.pop(name, ()):
                _run(name, fn, module)
            try:
                del loader.exec_module  # back to the class's method
            except AttributeError:
                pass
        loader.exec_module = exec_module
        return spec

    def invalidate_caches(self):
        pass


def install():
    sys.meta_path.insert(0, _Finder())
