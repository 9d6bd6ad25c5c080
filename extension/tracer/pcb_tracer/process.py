"""The process lifecycle: hello (how this process started), exit (code when known), fork, exec,
and the reaping of children (ChildExit).

How a process knows its start method: every traced process exports PCB_PARENT=<its pid>, which
its children inherit. So in a new interpreter:
  no PCB_PARENT                       -> root (the host started it)
  PCB_PARENT == our own pid           -> exec (a traced process exec'd into this image)
  '--multiprocessing-fork' in argv    -> spawn (a multiprocessing spawn child / its helpers)
  otherwise                           -> subprocess
and a forked child is 'fork', or 'forkserver' when the forking process is the forkserver.
"""
import os
import sys

from . import channel, sites, threads
from .schema import RecordType, SCHEMA_VERSION

PARENT_ENV = 'PCB_PARENT'
_record = channel.record
_o_exit = os._exit
mode = 'smart'
_is_forkserver = False
_exit_code = None  # set by sys.exit / an unhandled exception / multiprocessing's bootstrap
_exited = False
on_fork_child = []  # other modules' resets, run in a forked child after reconnecting


def _cmdline():
    """The full command line (the -c text included), for recognising multiprocessing helpers."""
    argv = getattr(sys, 'orig_argv', None)
    if argv:
        return ' '.join(argv)
    try:
        with open('/proc/self/cmdline', 'rb') as f:
            return f.read().replace(b'\0', b' ').decode('utf-8', 'replace')
    except OSError:
        return ' '.join(getattr(sys, 'argv', ()))


def start_method():
    global _is_forkserver
    parent = os.environ.get(PARENT_ENV)
    cmd = _cmdline()
    _is_forkserver = 'multiprocessing.forkserver' in cmd and 'main(' in cmd
    if not parent:
        return 'root'
    if parent == str(os.getpid()):
        return 'exec'
    helper = ('multiprocessing.resource_tracker' in cmd
              or 'multiprocessing.semaphore_tracker' in cmd)
    if '--multiprocessing-fork' in getattr(sys, 'argv', ()) or _is_forkserver or helper:
        return 'spawn'
    return 'subprocess'


def _process_name(start):
    if _is_forkserver:
        return 'forkserver'
    cmd = _cmdline()
    if 'multiprocessing.resource_tracker' in cmd or 'multiprocessing.semaphore_tracker' in cmd:
        return 'resource_tracker'
    return 'MainProcess' if start in ('root', 'subprocess', 'exec') else 'SpawnProcess'


def _hello_prefix(start, name):
    """The hello meta as JSON bytes, open for what only the process itself knows (_hello_end)."""
    d = {'m': 'hello', 'v': SCHEMA_VERSION, 'start': start,
         'python': '%d.%d.%d' % sys.version_info[:3], 'exe': sys.executable or '',
         'argv': list(getattr(sys, 'argv', ())), 'name': name, 'mode': mode,
         'run': os.environ.get('PCB_RUN_ID', '')}
    return channel.to_json(d)[:-1].encode('utf-8', 'surrogatepass')


def _say_hello(prefix):
    channel.meta_json(prefix + b',"pid":%d,"ppid":%d,"t":%d}'
                      % (os.getpid(), os.getppid(), channel.now()))


def hello(start, name):
    os.environ[PARENT_ENV] = str(os.getpid())
    _say_hello(_hello_prefix(start, name))


def begin(start):
    """First records of a connection: hello, then the main thread."""
    hello(start, _process_name(start))
    threads.declare_main('MainThread')


# ---- exit ----------------------------------------------------------------------------------
def finish(code=None):
    """The process ends: ProcessExit, then a final bounded flush. Idempotent."""
    global _exited
    if _exited:
        return
    _exited = True
    if code is None:
        code = _exit_code
    try:
        for hook in channel.tick_hooks:  # last counters
            hook()
        if threads.is_main():
            channel.vital(RecordType.ThreadExit, 0, 0, 0)
        # flags 1: the tracer does not know the code (a bare `raise SystemExit(n)` at top level
        # is invisible to Python code); the host should prefer the parent's ChildExit/waitpid.
        channel.vital(RecordType.ProcessExit, 1 if code is None else 0, 0, 0,
                channel.clamp32(_code_int(code) if code is not None else 0))
    except Exception:
        pass
    channel.close()


def _code_int(code):
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    return 1  # sys.exit("message") exits with 1


def _atexit():
    finish()


def _patched_exit(o_exit):
    def exit(status=None):
        global _exit_code
        if threads.is_main():  # in another thread, sys.exit only ends that thread
            _exit_code = status if status is not None else 0
        return o_exit(status)
    return threads.wraps(o_exit, exit)


def _os_exit(code):
    try:
        finish(code)
    except BaseException:
        pass
    _o_exit(code)


def _excepthook_wrapper(o_hook):
    def excepthook(et, ev, tb):
        global _exit_code
        try:
            if et is not None and not issubclass(et, SystemExit):
                if _exit_code is None:
                    _exit_code = 1
                threads.exception_meta(threads.current(), et, ev, tb)
        except Exception:
            pass
        return o_hook(et, ev, tb)
    return threads.wraps(o_hook, excepthook)


# ---- fork ----------------------------------------------------------------------------------
# A forked child starts with cold caches and copy-on-write memory: building its hello and main
# thread metas there cost ~300 us per child (measured), ~10 us in the parent. So the parent
# prepares them before each fork, as JSON bytes missing only what the child alone knows; and the
# child leaves PCB_PARENT as it inherited it (an exec sets it, see _patched_exec: the only start
# that reads it as its own pid).
_fork_prepared = None  # (hello prefix, main thread meta prefix), made by _before_fork
_hello_cache = (None, None)  # (argv it was made with, hello prefix): argv seldom changes


def _fork_metas():
    """A forked child's hello and main thread meta prefixes, as the forking thread makes them."""
    global _hello_cache
    argv = list(getattr(sys, 'argv', ()))
    if _hello_cache[0] != argv:
        _hello_cache = (argv, _hello_prefix('forkserver' if _is_forkserver else 'fork',
                                            'ForkProcess'))
    try:
        import threading
        name = threading.current_thread().name
    except Exception:
        name = 'MainThread'
    return _hello_cache[1], threads.main_thread_meta_prefix(name)


def _before_fork():
    global _fork_prepared
    channel.before_fork()
    try:
        _fork_prepared = _fork_metas()
    except Exception:
        _fork_prepared = None  # the child tries again


def _after_fork_child():
    global _exited, _exit_code
    _exited = False
    _exit_code = None
    channel.after_fork_child()
    if not channel.connect():
        return
    hello_prefix, main_meta_prefix = _fork_prepared or _fork_metas()
    _say_hello(hello_prefix)
    threads.declare_main(None, main_meta_prefix)
    channel.flush()  # hello now: the host knows this process even if it dies at once
    sites.after_fork_child()
    for hook in on_fork_child:
        try:
            hook()
        except Exception:
            pass
    channel.start_flusher()


# ---- exec and waitpid -----------------------------------------------------------------------
def _patched_exec(o_exec, with_env):
    def execx(path, args, *rest):
        try:
            if with_env and rest and isinstance(rest[0], dict) and 'PCB_SOCKET' in rest[0]:
                env = dict(rest[0])
                env[PARENT_ENV] = str(os.getpid())  # the new image will say start "exec"
                rest = (env,) + rest[1:]
            elif not with_env:
                os.environ[PARENT_ENV] = str(os.getpid())  # a forked child has its parent's
            channel.meta({'m': 'exec', 'argv': [str(a) for a in args]})
            channel.flush_final()
        except Exception:
            pass
        return o_exec(path, args, *rest)
    return threads.wraps(o_exec, execx)


def _exit_code_of(status):
    if os.WIFSIGNALED(status):
        return -os.WTERMSIG(status)
    if os.WIFEXITED(status):
        return os.WEXITSTATUS(status)
    return None  # stopped/continued: not an exit


def _child_exit(pid, status):
    if pid > 0:
        code = _exit_code_of(status)
        if code is not None:
            channel.vital(RecordType.ChildExit, 0, threads.current(), 0, channel.clamp32(pid), code)


def _patched_waitpid(o_waitpid):
    def waitpid(pid, options):
        r = o_waitpid(pid, options)
        try:
            _child_exit(r[0], r[1])
        except Exception:
            pass
        return r
    return threads.wraps(o_waitpid, waitpid)


def _patched_wait(o_wait):
    def wait(*a):
        r = o_wait(*a)
        try:
            _child_exit(r[0], r[1])
        except Exception:
            pass
        return r
    return threads.wraps(o_wait, wait)


_FORK_WARNING = 'This process .* is multi-threaded'
_fork_quiet = None  # our entry in warnings.filters, made by _quiet_fork_warning


def _quiet_fork_warning(on):
    """Have our filter of the fork warning first in warnings.filters (on) or not in it. It stays
    there between forks: a catch_warnings() and filterwarnings() per fork cost ~190 us on 3.12
    (they invalidate every warnings registry). Looked up each time, as the program may have
    replaced or reset the filters, or put its own (say "error") in front of ours."""
    global _fork_quiet
    import warnings
    filters = warnings.filters
    if on:
        if not (filters and filters[0] is _fork_quiet):
            warnings.filterwarnings('ignore', message=_FORK_WARNING, category=DeprecationWarning)
            _fork_quiet = warnings.filters[0]
    elif _fork_quiet is not None:
        for i, f in enumerate(filters):
            if f is _fork_quiet:  # ours, not an equal filter of the program's
                del filters[i]
                warnings._filters_mutated()
                break


def _patched_fork(o_fork):
    """3.12+ warns on fork() in a multi-threaded process, and counts OS threads: our flusher
    would make every fork of a single-threaded program warn. Silence exactly that warning while
    the program itself has no other thread."""
    def fork():
        threading = sys.modules.get('threading')
        try:
            _quiet_fork_warning(threading is None or threading.active_count() <= 1)
        except Exception:
            pass  # the warning shows, the fork goes on
        return o_fork()
    return threads.wraps(o_fork, fork)


def patch():
    import atexit
    atexit.register(_atexit)  # registered first, so it runs last: after the user's handlers
    sys.exit = _patched_exit(sys.exit)
    sys.excepthook = _excepthook_wrapper(sys.excepthook)
    os._exit = threads.wraps(_o_exit, _os_exit)
    os.register_at_fork(before=_before_fork, after_in_child=_after_fork_child)
    for name in ('execv', 'execve'):
        o = getattr(os, name, None)
        if o is not None:
            setattr(os, name, _patched_exec(o, name == 'execve'))
    if sys.version_info >= (3, 12):
        for name in ('fork', 'forkpty'):
            o = getattr(os, name, None)
            if o is not None:
                setattr(os, name, _patched_fork(o))
    os.waitpid = _patched_waitpid(os.waitpid)
    for name in ('wait', 'wait3', 'wait4'):
        o = getattr(os, name, None)
        if o is not None:
            setattr(os, name, _patched_wait(o))
