"""Lock and RLock: a forced contention (the holder waits until the other thread is blocked),
exact counts, and locks made before/after `from threading import Lock`."""
import contextlib
import sys
import threading
import time
from threading import Lock, RLock

lock = Lock()                                 # @lock
rlock = RLock()                               # @rlock
blocked = threading.Event()


def holder():
    with lock:
        blocked.wait()          # released once the other thread blocks on lock
        time.sleep(0.05)        # give the waiter time to be inside acquire


def waiter():
    with lock:                                # @contended
        pass


def recursive():
    with rlock:
        with rlock:
            pass


h = threading.Thread(target=holder, name='holder')
h.start()
while not lock.locked():
    time.sleep(0.001)
w = threading.Thread(target=waiter, name='waiter')
w.start()
blocked.set()
h.join()
w.join()
for _ in range(10):
    lock.acquire()
    lock.release()
assert lock.acquire(False)
lock.release()
with contextlib.ExitStack() as stack:  # generic code: type(cm).__enter__(cm), type(cm).__exit__
    stack.enter_context(lock)
    entered = lock.locked()
with lock as got:
    pass
print('exitstack', entered, not lock.locked(), 'as', got)
recursive()
print('ok', isinstance(lock, threading.Lock) if sys.version_info >= (3, 13) else True)

