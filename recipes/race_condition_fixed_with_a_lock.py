"""A race condition made visible, and the same code fixed with a lock.

Two threads each add 1 to a shared counter N times, by reading the counter,
doing something else for a moment, and writing back the value read plus one.
Without a lock, a thread can read the counter while the other is between its
read and its write; both then write the same value, and one increment is
lost. With a lock around read-and-write, no increment is lost.

time.sleep(0) stands for the "something else" (a log line, a computation, an
I/O call): it lets the other thread run at that exact point. Real races are
the same bug with a window that is open less often, which makes them rare,
hard to reproduce and easy to miss in tests.
"""
import threading
import time

N = 1000  # increments per thread
N_THREADS = 2

counter = 0
counter_lock = threading.Lock()


def add_unsafe():
    global counter
    for _ in range(N):
        value = counter      # 1. read
        time.sleep(0)        # ...the other thread may run here...
        counter = value + 1  # 2. write back: may overwrite its update


def add_safe():
    global counter
    for _ in range(N):
        with counter_lock:   # only one thread at a time between read and write
            value = counter
            time.sleep(0)    # the other thread may run, but it waits for the lock
            counter = value + 1


def run(target, label):
    global counter
    counter = 0
    threads = [threading.Thread(target=target, name="%s-%d" % (label, i))
               for i in range(1, N_THREADS + 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return counter


if __name__ == "__main__":
    expected = N * N_THREADS
    unsafe = run(add_unsafe, "unsafe")
    print("without a lock: %d (expected %d, %d updates lost)" % (unsafe, expected, expected - unsafe))
    safe = run(add_safe, "safe")
    print("with a lock:    %d (expected %d, %d updates lost)" % (safe, expected, expected - safe))
