"""A Manager's proxies under one start method (argv[1]): a Manager Lock held by a child while
the parent waits for it, a Manager dict written by the child, and a Manager RLock re-entered."""
import multiprocessing as mp
import sys
import time


def child(lock, d, held):
    with lock:                                    # @child-acquire
        held.set()
        time.sleep(0.2)
        d['x'] = 1                                # @child-set


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
    print('exit', p.exitcode)
