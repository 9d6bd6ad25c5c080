"""Parallel Cookbook's Python tracer. sitecustomize.py calls install() in every Python process of
a traced run (PYTHONPATH carries it to children). Pure Python, stdlib only, CPython 3.8-3.13.

Modules: schema (record numbers, mirrored from traceSchema.ts), channel (buffer, flusher,
socket), sites (user frames, site and object ids), threads (thread lifecycle), process (hello,
exit, fork, exec, children), locks (Lock/RLock wrappers, smart and full), sync (Condition, Event,
Semaphores, Barrier, sleep), queues (queue module), mp_process (multiprocessing processes, Pool,
executors), mp_sync (multiprocessing primitives with cross-process keys), mp_managers (Manager
proxies), signals (handlers kept
out of the lock wrappers), hooks (patching modules when they are imported).
"""
import os
import sys

_installed = False


def _warn(what, e):
    try:
        sys.stderr.write('pcb-tracer: %s: %r (the program runs untraced)\n' % (what, e))
    except Exception:
        pass


def install():
    """Connect and patch. A missing or broken channel means a plain, untraced run."""
    global _installed
    if _installed or not os.environ.get('PCB_SOCKET'):
        return
    _installed = True
    from . import channel, process
    if not channel.connect():
        return
    mode = os.environ.get('PCB_MODE', 'smart')
    process.mode = mode if mode in ('smart', 'full') else 'smart'
    try:
        process.begin(process.start_method())
        channel.flush()  # hello now: the host knows this process even if it dies at once
        _patch_all()
    except Exception as e:  # tracing must never break the program
        _warn('install failed', e)
    channel.start_flusher()


def _patch_all():
    import threading
    from . import (channel, hooks, locks, mp_managers, mp_process, mp_sync, process, queues,
                   signals, sites, sync, threads)
    threads.patch(threading)
    process.patch()
    sync.patch_threading(threading, process.mode)
    sync.patch_sleep()
    signals.critical.update(locks.critical_codes())
    signals.safe.add(locks._block.__code__)
    signals.critical.update(f.__code__ for f in (
        channel.record, channel.record_at, channel.record_since, channel.vital, channel.meta,
        channel.meta_json, channel.to_json, channel.clamp32, channel._count_drop,
        sites.site_here, sites.site_of, sites.site_miss, sites.user_frame, sites._classify,
        sites.is_user_code, threads.current, threads._adopt, threads._Index.__missing__))
    signals.install()
    hooks.install()
    hooks.on_import('signal', signals.patch_signal_module)
    hooks.on_import('queue', queues.patch_queue)
    mp_process.install(hooks)
    mp_sync.install(hooks)
    mp_managers.install(hooks)
    channel.tick_hooks.append(locks.flush_stats)
    process.on_fork_child.append(locks.reset_after_fork)
