"""An RLock held (re-entered) by one thread long enough that another thread's acquire gets past
the tracer's yields and blocks: the contended path of an RLock."""
import threading
import time

rlock = threading.RLock()                         # @rlock
held = threading.Event()


def holder():
    with rlock:
        with rlock:
            held.set()
            time.sleep(0.2)     # the waiter is blocked in acquire meanwhile


def waiter():
    held.wait()
    with rlock:                                   # @contended
        pass


h = threading.Thread(target=holder, name='holder')
w = threading.Thread(target=waiter, name='waiter')
h.start()
w.start()
h.join()
w.join()
print('rlock ok')
