"""A holder paused just after its acquire returned, before any more of its Python code runs (a
profile hook stops it at its first event with the lock taken), while another thread blocks on
the lock: the waiter's WaitBegin must name the paused holder. An owner noted by
Python code after the acquire would still name the lock's previous owner here: the waiter
itself, which took the lock first. The same for `lock.acquire(timeout=...)`, which smart mode
keeps in Python, and for an RLock."""
import sys
import threading
import time

lock = threading.Lock()                           # @lock
rlock = threading.RLock()                         # @rlock
POLL_S = 0.001
PATIENCE_S = 20.0


def blocked(ident):
    """The thread is blocked in the tracer's wait (not in its short yields before it)."""
    f = sys._current_frames().get(ident)
    return f is not None and f.f_code.co_name == '_block'


def run(lk, take, name):
    first_done = threading.Event()
    go = threading.Event()
    paused = []

    def waiter():
        with lk:  # the waiter owns the lock first: the owner a stale read would name
            pass
        first_done.set()
        go.wait()
        with lk:                                  # @contended
            pass

    w = threading.Thread(target=waiter, name='waiter-' + name)
    w.start()
    first_done.wait()

    def hook(frame, event, arg):
        if not paused and lk._is_owned():
            paused.append(True)
            go.set()
            deadline = time.monotonic() + PATIENCE_S
            while not blocked(w.ident):
                if time.monotonic() > deadline:
                    print('the waiter never blocked', file=sys.stderr)
                    sys.exit(3)
                time.sleep(POLL_S)

    sys.setprofile(hook)
    take(lk)
    sys.setprofile(None)
    lk.release()
    w.join()
    print(name, 'paused' if paused else 'never paused')


run(lock, lambda lk: lk.acquire(), 'acquire')
run(lock, lambda lk: lk.acquire(timeout=30), 'timeout')
run(rlock, lambda lk: lk.acquire(), 'rlock')
