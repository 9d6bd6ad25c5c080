"""A deadlock the host must be able to name from smart-mode records alone: A holds lock1 and
waits for lock2, B holds lock2 and waits for lock1 (deterministic: each takes its first lock,
then both meet at a barrier). The main thread then deadlocks on its own Lock. The sink kills the
program after a timeout; everything must have been flushed while it hung."""
import threading

lock1 = threading.Lock()                      # @lock1
lock2 = threading.Lock()                      # @lock2
meet = threading.Barrier(2)


def a():
    with lock1:
        meet.wait()
        with lock2:                               # @a-waits
            pass


def b():
    with lock2:
        meet.wait()
        with lock1:                               # @b-waits
            pass


ta = threading.Thread(target=a, name='A', daemon=True)
tb = threading.Thread(target=b, name='B', daemon=True)
ta.start()
tb.start()
mine = threading.Lock()                       # @mine
mine.acquire()
mine.acquire()                                # @self-deadlock
