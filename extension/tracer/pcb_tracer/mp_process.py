"""multiprocessing processes, Pool, and concurrent.futures executors.

- Process: the child names itself (rename, thread -1, with its logical parent: under forkserver
  the OS parent is the forkserver) and the parent's join() is a Join wait (b = -child pid).
  Keys of the user's multiprocessing objects travel with the pickled Process object
  (mp_sync.keys_for_child), so a spawn/forkserver child traces the same objects.
- Pool and ProcessPoolExecutor workers: TaskStart/TaskEnd around each task, read off the worker's
  task and result queues; and in Pool workers a flush before every blocking get, because
  Pool.terminate() (which `with Pool()` calls) SIGTERMs workers blocked there and unflushed
  records would be lost.
- TaskSubmit in the submitting process; waiting for a result (AsyncResult.get/wait, Pool.map,
  Future.result) is a Result wait (b = task id when known).
Pools and executors are objects with a key (the inode of the task pipe) shared by the parent and
its workers: "obj" of TaskStart is the pool as declared in the worker's own process.
"""
import os
import sys
import _thread

from . import channel, mp_sync, sites, threads
from .schema import RecordType, WaitKind, WaitResult
from .threads import wraps

_record = channel.record
_pack, _ext, _spill = channel._pack, channel._ext, channel.spill
_monof, _T0S = channel._monof, channel._T0S
_idx = threads.index_of  # _idx[_gid()] is threads.current() without the call (per task here)
_gid = _thread.get_ident
_clamp = channel.clamp32
_I32 = 0x7FFFFFFF
_TASK_SUBMIT, _TASK_START = RecordType.TaskSubmit, RecordType.TaskStart
_TASK_END = RecordType.TaskEnd


# ---- multiprocessing.process -------------------------------------------------------------------
def patch_process(m):
    BP = m.BaseProcess
    o_bootstrap, o_start, o_join = BP._bootstrap, BP.start, BP.join

    def start(self):
        try:
            self._pcb_keys = mp_sync.keys_for_child()  # pickled with the Process (spawn)
        except Exception:
            pass
        return o_start(self)

    def _bootstrap(self, *args, **kwargs):  # in the child
        try:
            channel.meta({'m': 'rename', 'thread': -1, 'name': str(self.name),
                          'parent': getattr(self, '_parent_pid', None)})
            mp_sync.adopt_keys(self.__dict__.get('_pcb_keys', ()))
        except Exception:
            pass
        return o_bootstrap(self, *args, **kwargs)

    def join(self, timeout=None):
        popen = self.__dict__.get('_popen')
        if popen is None or popen.returncode is not None or self._parent_pid != os.getpid():
            return o_join(self, timeout)  # nothing to wait for (or the original raises)
        me = _idx[_gid()]
        _record(RecordType.WaitBegin, WaitKind.Join, me, 0, sites.site_here(1),
                _clamp(-(popen.pid or 0)))
        try:
            return o_join(self, timeout)
        finally:
            _record(RecordType.WaitEnd,
                    WaitResult.Ok if popen.returncode is not None else WaitResult.TimedOut, me, 0)

    BP.start = wraps(o_start, start)
    BP._bootstrap = wraps(o_bootstrap, _bootstrap)
    BP.join = wraps(o_join, join)
    sites.extra_internal.update({start.__code__, join.__code__})


# ---- the pool side of workers --------------------------------------------------------------------
def _pipe_key(q):
    """The key of a multiprocessing queue: the inode of its pipe, the same in every process."""
    try:
        return mp_sync.fd_key(q._reader)
    except Exception:
        return None


_pool_ids = {}  # key -> obj id of a pool/executor declared in this (worker) process


def _worker_pool_id(kind, q):
    key = _pipe_key(q)
    oid = _pool_ids.get(key)
    if oid is None:
        # a forked worker inherited the pool object itself (declared again after the fork)
        oid = next((i for i, (ref, d) in list(sites.objects.items())
                    if d.get('key') == key and ref() is not None), None)
        if oid is None:
            oid = sites.new_object(q, kind, None, key=key)
        _pool_ids[key] = oid
    return oid


def _flush_for_kill():
    """Everything recorded so far on the wire before this worker can be killed. Nothing to do
    when the buffer is empty and no flush is under way: most gets follow a put that flushed, and
    flush_final costs two fcntl calls (its socket timeout) even then."""
    if channel.buf or channel._flock.locked():
        channel.flush_final(0.5)


class _TaskQueue(object):
    """Stands in for a worker's task queue (get) or result queue (put)."""
    __slots__ = ('_q', '_pool', '_task', '_killed')

    def __init__(self, q, pool, task, killed):
        self._q = q
        self._pool = pool
        self._task = task  # (job, index) -> task id of the item, for this kind of pool
        # Pool.terminate() SIGTERMs its workers: they flush around each task. A
        # ProcessPoolExecutor's workers end by themselves (a None task) and flush at exit:
        # one send per task fewer (a send, and a wake-up of the host's reader).
        self._killed = killed

    def __getattr__(self, name):
        return getattr(self._q, name)

    def get(self, *args, **kwargs):
        if self._killed:
            _flush_for_kill()  # we may be SIGTERMed while blocked in the get below
        item = self._q.get(*args, **kwargs)
        t = self._task(item)
        if t is not None:
            _record(_TASK_START, 0, _idx[_gid()], self._pool, _clamp(t[0]), _clamp(t[1]))
        return item

    def put(self, item, *args, **kwargs):
        t = self._task(item)
        if t is not None:
            _record(_TASK_END, 1 if t[2] else 0, _idx[_gid()], self._pool, _clamp(t[0]),
                    _clamp(t[1]))
            if self._killed:
                # before the result is visible: once the parent has every result it may
                # terminate the pool, and this worker with it
                _flush_for_kill()
        return self._q.put(item, *args, **kwargs)


def _pool_task(item):
    # task: (job, i, func, args, kwds); result: (job, i, (success, value))
    if isinstance(item, tuple) and len(item) >= 3 and isinstance(item[0], int):
        raised = len(item) == 3 and isinstance(item[2], tuple) and item[2] and item[2][0] is False
        return item[0], item[1], raised
    return None


def _ppe_task(item):
    wid = getattr(item, 'work_id', None)
    if isinstance(wid, int):
        return wid, 0, getattr(item, 'exception', None) is not None
    return None


def patch_pool(m):
    o_worker = m.worker

    def worker(inqueue, outqueue, *args, **kwargs):
        pid = _worker_pool_id('Pool', inqueue)
        return o_worker(_TaskQueue(inqueue, pid, _pool_task, True),
                        _TaskQueue(outqueue, pid, _pool_task, True), *args, **kwargs)
    m.worker = wraps(o_worker, worker)  # same name: still pickled as multiprocessing.pool.worker

    P = m.Pool
    o_init, o_apply, o_map, o_imap, o_imap_u = (P.__init__, P.apply_async, P._map_async, P.imap,
                                                P.imap_unordered)
    P._pcb_id = 0

    def __init__(self, *args, **kwargs):
        f = mp_sync.mp_user_frame(1)
        o_init(self, *args, **kwargs)
        if f is not None:
            self._pcb_id = sites.new_object(self, type(self).__name__, f,
                                            key=_pipe_key(self._inqueue))

    def apply_async(self, *args, **kwargs):
        r = o_apply(self, *args, **kwargs)
        if self._pcb_id:
            _record(_TASK_SUBMIT, 0, _idx[_gid()], self._pcb_id, _clamp(r._job), 1)
        return r

    def _map_async(self, *args, **kwargs):
        r = o_map(self, *args, **kwargs)
        if self._pcb_id:
            _record(_TASK_SUBMIT, 0, _idx[_gid()], self._pcb_id, _clamp(r._job),
                    _clamp(getattr(r, '_number_left', 0)))
        return r

    def imap(self, *args, **kwargs):
        r = o_imap(self, *args, **kwargs)
        if self._pcb_id:
            _record(_TASK_SUBMIT, 0, _idx[_gid()], self._pcb_id, _clamp(_job_of(r)), 0)
        return r

    def imap_unordered(self, *args, **kwargs):
        r = o_imap_u(self, *args, **kwargs)
        if self._pcb_id:
            _record(_TASK_SUBMIT, 0, _idx[_gid()], self._pcb_id, _clamp(_job_of(r)), 0)
        return r

    P.__init__ = wraps(o_init, __init__)
    P.apply_async = wraps(o_apply, apply_async)
    P._map_async = wraps(o_map, _map_async)
    P.imap = wraps(o_imap, imap)
    P.imap_unordered = wraps(o_imap_u, imap_unordered)
    sites.extra_internal.add(__init__.__code__)

    AR = m.ApplyResult
    o_wait = AR.wait

    def wait(self, timeout=None):
        pool = self.__dict__.get('_pool')
        oid = getattr(pool, '_pcb_id', 0) if pool is not None else 0
        if not oid or self.ready():
            return o_wait(self, timeout)
        me = _idx[_gid()]
        _record(RecordType.WaitBegin, WaitKind.Result, me, oid, sites.site_here(1),
                _clamp(self._job))
        try:
            return o_wait(self, timeout)
        finally:
            _record(RecordType.WaitEnd, WaitResult.Ok if self.ready() else WaitResult.TimedOut,
                    me, oid)
    AR.wait = wraps(o_wait, wait)


def _job_of(r):
    job = getattr(r, '_job', 0)
    return job if isinstance(job, int) else 0


# ---- concurrent.futures ------------------------------------------------------------------------
def patch_cf_process(m):
    o_pw = m._process_worker

    def _process_worker(call_queue, result_queue, *args, **kwargs):
        pid = _worker_pool_id('ProcessPoolExecutor', call_queue)
        return o_pw(_TaskQueue(call_queue, pid, _ppe_task, False),
                    _TaskQueue(result_queue, pid, _ppe_task, False), *args, **kwargs)
    m._process_worker = wraps(o_pw, _process_worker)

    E = m.ProcessPoolExecutor
    o_init, o_submit = E.__init__, E.submit
    E._pcb_id = 0

    def __init__(self, *args, **kwargs):
        f = sites.created_by_user(1)
        o_init(self, *args, **kwargs)
        if f is not None:
            self._pcb_id = sites.new_object(self, 'ProcessPoolExecutor', f,
                                            key=_pipe_key(self._call_queue))

    def submit(self, *args, **kwargs):
        eid = self._pcb_id
        if not eid or getattr(self, '_broken', False) or getattr(self, '_shutdown_thread', False):
            return o_submit(self, *args, **kwargs)  # untraced, or it raises: nothing submitted
        wid = getattr(self, '_queue_count', 0)  # the work id submit() is about to use
        # before the submit: a worker may start the task before submit() returns
        _record(_TASK_SUBMIT, 0, _idx[_gid()], eid, _clamp(wid), 1)
        fut = o_submit(self, *args, **kwargs)
        fut._pcb_task = (eid, wid)
        return fut

    E.__init__ = wraps(o_init, __init__)
    E.submit = wraps(o_submit, submit)
    sites.extra_internal.update({__init__.__code__, submit.__code__})


def _run_task(eid, tid, fn, args, kwargs):
    """A ThreadPoolExecutor task, in its worker thread, between TaskStart and TaskEnd. A module
    function given the task's identity as arguments: a closure per submit cost each task more
    (its cells and function object, measured in CPU time per task)."""
    me = _idx[_gid()]
    # channel.record written out (three records per task, a call each cost ~20% of them)
    t = (_monof() - _T0S) * 1e9
    data = _pack(_TASK_START, 0, me, eid, t, tid, 0)
    if t < channel._next_check:
        _ext(data)
    else:
        _spill(data, t)
    failed = 1
    try:
        r = fn(*args, **kwargs)
        failed = 0
        return r
    finally:
        t = (_monof() - _T0S) * 1e9
        data = _pack(_TASK_END, failed, me, eid, t, tid, 0)
        if t < channel._next_check:
            _ext(data)
        else:
            _spill(data, t)


def patch_cf_thread(m):
    E = m.ThreadPoolExecutor
    o_init, o_submit = E.__init__, E.submit
    E._pcb_id = 0

    def __init__(self, *args, **kwargs):
        f = sites.created_by_user(1)
        o_init(self, *args, **kwargs)
        if f is not None:
            self._pcb_id = sites.new_object(self, 'ThreadPoolExecutor', f)
            self._pcb_tasks = 0

    def submit(self, fn, *args, **kwargs):
        eid = self._pcb_id
        if not eid:
            return o_submit(self, fn, *args, **kwargs)
        tid = self._pcb_tasks = self._pcb_tasks + 1
        tid = tid if tid < _I32 else _I32
        # before the submit: a worker thread may start the task before submit() returns
        t = (_monof() - _T0S) * 1e9  # channel.record written out, as in _run_task
        data = _pack(_TASK_SUBMIT, 0, _idx[_gid()], eid, t, tid, 1)
        if t < channel._next_check:
            _ext(data)
        else:
            _spill(data, t)
        fut = o_submit(self, _run_task, eid, tid, fn, args, kwargs)
        fut._pcb_task = (eid, tid)
        return fut

    E.__init__ = wraps(o_init, __init__)
    E.submit = wraps(o_submit, submit)
    sites.extra_internal.update({__init__.__code__, submit.__code__})


def patch_cf_base(m):
    F = m.Future
    F._pcb_task = None  # (executor id, task id) of a traced task: read without __dict__, which
    # 3.12+ would build for every Future from its inline attributes
    o_result, o_exception = F.result, F.exception
    done_states = (m.CANCELLED, m.CANCELLED_AND_NOTIFIED, m.FINISHED)

    def result(self, timeout=None):
        task = self._pcb_task
        # the state without done()'s lock: it only decides whether a wait is recorded
        if task is None or self._state in done_states:
            return o_result(self, timeout)
        me = _idx[_gid()]
        _record(RecordType.WaitBegin, WaitKind.Result, me, task[0], sites.site_here(1),
                _clamp(task[1]))
        end = WaitResult.Failed
        try:
            r = o_result(self, timeout)
            end = WaitResult.Ok
            return r
        except m.TimeoutError:
            end = WaitResult.TimedOut
            raise
        except BaseException:
            end = WaitResult.Ok if self.done() else WaitResult.Failed  # the task raised
            raise
        finally:
            _record(RecordType.WaitEnd, end, me, task[0])

    F.result = wraps(o_result, result)
    sites.extra_internal.add(result.__code__)

    # as_completed() and wait() block on a private Event of a "waiter" they install on the
    # futures: that wait is the user's wait for results, on the futures' executor.
    o_waiters = m._create_and_install_waiters

    def _create_and_install_waiters(fs, return_when):
        waiter = o_waiters(fs, return_when)
        try:
            task = next(filter(None, (getattr(f, '_pcb_task', None) for f in fs)), None)
            if task is not None:
                waiter.event = _ResultWait(waiter.event, task[0])
        except Exception:
            pass
        return waiter

    m._create_and_install_waiters = wraps(o_waiters, _create_and_install_waiters)


class _ResultWait(object):
    """The Event of an as_completed()/wait() waiter, recording its wait as a Result wait."""
    __slots__ = ('_e', '_oid')

    def __init__(self, e, oid):
        self._e, self._oid = e, oid

    def wait(self, timeout=None):
        e = self._e
        if e.is_set():
            return e.wait(timeout)
        me = _idx[_gid()]
        _record(RecordType.WaitBegin, WaitKind.Result, me, self._oid, sites.site_here(1), 0)
        ok = False
        try:
            ok = e.wait(timeout)
            return ok
        finally:
            _record(RecordType.WaitEnd, WaitResult.Ok if ok else
                    (WaitResult.Failed if sys.exc_info()[0] else WaitResult.TimedOut), me, self._oid)

    def set(self):
        self._e.set()

    def clear(self):
        self._e.clear()

    def is_set(self):
        return self._e.is_set()


def install(hooks):
    hooks.on_import('multiprocessing.process', patch_process)
    hooks.on_import('multiprocessing.pool', patch_pool)
    hooks.on_import('concurrent.futures._base', patch_cf_base)
    hooks.on_import('concurrent.futures.process', patch_cf_process)
    hooks.on_import('concurrent.futures.thread', patch_cf_thread)
