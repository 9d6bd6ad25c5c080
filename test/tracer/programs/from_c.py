"""Traced operations called straight from C, with no Python frame above the tracer's wrapper:
as a raw thread's function and as atexit callbacks. They must work as untraced, their waits
recorded with site 0. Prints what each got."""
import _thread
import atexit
import multiprocessing as mp
import threading
import time


def wait_for(cond, what):
    deadline = time.monotonic() + 10
    while not cond() and time.monotonic() < deadline:
        time.sleep(0.01)
    print(what, cond())


if __name__ == '__main__':
    q = mp.Queue()
    _thread.start_new_thread(q.get, ())            # waits: the queue is empty
    time.sleep(0.2)                               # (the get is waiting, or about to)
    q.put('item')
    # qsize() falls back to 0 when the get has read the item. (Not q.empty(): it is true too
    # before the feeder thread has written the item.)
    wait_for(lambda: q.qsize() == 0, 'queue item taken')

    lock = mp.Lock()
    _thread.start_new_thread(lock.acquire, ())

    def mp_lock_taken():
        if lock.acquire(False):  # not yet: give it back
            lock.release()
            return False
        return True
    wait_for(mp_lock_taken, 'mp lock taken')

    tlock = threading.Lock()
    _thread.start_new_thread(tlock.acquire, ())
    wait_for(tlock.locked, 'threading lock taken')

    held = threading.Lock()
    held.acquire()
    atexit.register(lambda: print('lock released at exit', not held.locked()))
    atexit.register(held.release)                  # runs first (atexit is last in, first out)
