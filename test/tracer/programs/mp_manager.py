"""A Manager's proxies under one start method (argv[1]): a Manager Lock held by a child while
the parent waits for it, a Manager dict written by the child, a Manager RLock re-entered, and a
Manager Lock tried while held (a failed try, then a timed-out acquire), and a proxy method run
as a raw thread's function (no Python frame above the tracer's wrapper)."""
import _thread
import multiprocessing as mp
import sys
import time


def child(lock, d, held):
    with lock:                                    # @child-acquire
        held.set()
        time.sleep(0.2)
        d['x'] = 1                                # @child-set


def tries(lock, held, done):
    with lock:
        held.set()
        done.wait()


if __name__ == '__main__':
    ctx = mp.get_context(sys.argv[1])
    with ctx.Manager() as m:
        lock = m.Lock()                           # @lock
        d = m.dict()                              # @dict
        held = ctx.Event()
        p = ctx.Process(target=child, args=(lock, d, held), name='child')
        p.start()
        held.wait()
        with lock:                                # @parent-acquire
            print('parent got it', d['x'])
        p.join()
        rlock = m.RLock()                         # @rlock
        with rlock:
            with rlock:                           # re-entered: the outer hold goes on
                pass
            time.sleep(0.05)                      # still held after the inner release
        busy = m.Lock()                           # @busy
        held, done = ctx.Event(), ctx.Event()
        q = ctx.Process(target=tries, args=(busy, held, done), name='holder')
        q.start()
        held.wait()
        print('try', busy.acquire(False))         # @busy-try
        print('timed', busy.acquire(True, 0.05))  # @busy-timed
        done.set()
        q.join()
        _thread.start_new_thread(d._callmethod, ('__setitem__', ('raw', 2)))
        deadline = time.monotonic() + 10
        while 'raw' not in d and time.monotonic() < deadline:
            time.sleep(0.01)
        print('raw', d.get('raw'))
    print('exit', p.exitcode)
