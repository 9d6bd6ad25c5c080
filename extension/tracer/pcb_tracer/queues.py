"""queue.Queue, LifoQueue, PriorityQueue and SimpleQueue, traced.

Put/Get records are written from inside _put/_get, which Queue calls while holding its mutex: so
the sequence numbers follow the queue's real order, and for FIFO and LIFO queues a Get names the
put sequence number of the very item it took (flags = 1), which is what put -> get flows need.
A get on an empty queue (or a put on a full bounded one) that has to block is a recorded wait.
"""
from . import channel, sites, threads
from .schema import RecordType, WaitKind, WaitResult
from .threads import wraps

_record = channel.record
_current = threads.current
_clamp = channel.clamp32
_created_by_user = sites.created_by_user


def _begin(kind, oid):
    me = _current()
    _record(RecordType.WaitBegin, kind, me, oid, sites.site_here(2))
    return me


def patch_queue(m):
    Q = m.Queue
    Empty, Full = m.Empty, m.Full
    o_init, o_put, o_get, o_join = Q.__init__, Q.put, Q.get, Q.join
    Q._pcb_id = 0

    def __init__(self, maxsize=0):
        f = _created_by_user(1)
        o_init(self, maxsize)
        if f is not None:
            self._pcb_puts = self._pcb_gets = 0
            self._pcb_stack = [] if isinstance(self, m.LifoQueue) else None
            self._pcb_exact = not isinstance(self, m.PriorityQueue)
            self._pcb_id = sites.new_object(self, type(self).__name__, f, maxsize=maxsize)

    def put(self, item, block=True, timeout=None):
        oid = self._pcb_id
        if not oid or not block or self.maxsize <= 0:
            return o_put(self, item, block, timeout)  # cannot wait (or untraced)
        try:
            return o_put(self, item, False)
        except Full:
            pass
        me = _begin(WaitKind.QueuePut, oid)
        result = WaitResult.Failed
        try:
            o_put(self, item, True, timeout)
            result = WaitResult.Ok
        except Full:
            result = WaitResult.TimedOut
            raise
        finally:
            _record(RecordType.WaitEnd, result, me, oid)

    def get(self, block=True, timeout=None):
        oid = self._pcb_id
        if not oid or not block:
            return o_get(self, block, timeout)
        try:
            return o_get(self, False)
        except Empty:
            pass
        me = _begin(WaitKind.QueueGet, oid)
        result = WaitResult.Failed
        try:
            item = o_get(self, True, timeout)
            result = WaitResult.Ok
            return item
        except Empty:
            result = WaitResult.TimedOut
            raise
        finally:
            _record(RecordType.WaitEnd, result, me, oid)

    def join(self):
        # Queue.join waits for task_done() of every item: a Join wait on the queue object
        oid = self._pcb_id
        if not oid or not self.unfinished_tasks:
            return o_join(self)
        me = _begin(WaitKind.Join, oid)
        ok = False
        try:
            o_join(self)
            ok = True
        finally:
            _record(RecordType.WaitEnd, WaitResult.Ok if ok else WaitResult.Failed, me, oid)

    Q.__init__ = wraps(o_init, __init__)
    Q.put = wraps(o_put, put)
    Q.get = wraps(o_get, get)
    Q.join = wraps(o_join, join)
    sites.extra_internal.add(__init__.__code__)
    for cls in (Q, m.LifoQueue, m.PriorityQueue):
        _patch_put_get(cls)
    if hasattr(m, 'SimpleQueue') and isinstance(m.SimpleQueue, type):
        m.SimpleQueue = _traced_simple_queue(m.SimpleQueue, Empty)


def _patch_put_get(cls):
    """_put/_get run under the queue's mutex: the place where the order is known."""
    o_put, o_get = cls.__dict__['_put'], cls.__dict__['_get']

    def _put(self, item):
        o_put(self, item)
        oid = self._pcb_id
        if oid:
            seq = self._pcb_puts = self._pcb_puts + 1
            if self._pcb_stack is not None:
                self._pcb_stack.append(seq)
            _record(RecordType.Put, 0, _current(), oid, _clamp(self._qsize()), _clamp(seq))

    def _get(self):
        item = o_get(self)
        oid = self._pcb_id
        if oid:
            seq = self._pcb_gets = self._pcb_gets + 1
            # FIFO: the n-th get takes the n-th put; LIFO: the last put still in the queue;
            # PriorityQueue: unknown, b is only the get sequence number (flags 0)
            flags = 1 if self._pcb_exact else 0
            if self._pcb_stack:
                seq = self._pcb_stack.pop()
            _record(RecordType.Get, flags, _current(), oid, _clamp(self._qsize()), _clamp(seq))
        return item

    cls._put = wraps(o_put, _put)
    cls._get = wraps(o_get, _get)


def _traced_simple_queue(SQ, Empty):
    """queue.SimpleQueue is a C type: a subclass made only for the user's queues. Its put never
    blocks; its sequence numbers are counted outside any lock (flags 0 on Get)."""
    o_put, o_get = SQ.put, SQ.get

    class _Meta(type):
        def __instancecheck__(cls, obj):
            return isinstance(obj, SQ)

        def __subclasscheck__(cls, sub):
            return issubclass(sub, SQ)

    class SimpleQueue(SQ, metaclass=_Meta):
        __doc__ = SQ.__doc__

        def __new__(cls, *args, **kwargs):
            f = _created_by_user(1)
            if f is None and cls.__name__ == 'SimpleQueue' and cls.__module__ == 'queue':
                return SQ(*args, **kwargs)
            self = SQ.__new__(cls, *args, **kwargs)
            self._pcb_puts = self._pcb_gets = 0
            self._pcb_id = sites.new_object(self, 'SimpleQueue', f)
            return self

        def put(self, item, block=True, timeout=None):
            o_put(self, item, block, timeout)
            seq = self._pcb_puts = self._pcb_puts + 1
            _record(RecordType.Put, 0, _current(), self._pcb_id, _clamp(self.qsize()), _clamp(seq))

        def put_nowait(self, item):
            return self.put(item, False)

        def get(self, block=True, timeout=None):
            oid = self._pcb_id
            try:
                item = o_get(self, False)
            except Empty:
                if not block:
                    raise
                me = _begin(WaitKind.QueueGet, oid)
                result = WaitResult.Failed
                try:
                    item = o_get(self, True, timeout)
                    result = WaitResult.Ok
                except Empty:
                    result = WaitResult.TimedOut
                    raise
                finally:
                    _record(RecordType.WaitEnd, result, me, oid)
            seq = self._pcb_gets = self._pcb_gets + 1
            _record(RecordType.Get, 0, _current(), oid, _clamp(self.qsize()), _clamp(seq))
            return item

        def get_nowait(self):
            return self.get(False)

    SimpleQueue.__module__ = 'queue'
    SimpleQueue.__qualname__ = 'SimpleQueue'
    sites.extra_internal.add(SimpleQueue.__new__.__code__)
    return SimpleQueue

