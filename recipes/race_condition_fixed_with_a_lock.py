"""A race condition made visible, and the same code fixed with a lock.

Two threads each add 1 to a shared counter N times, by reading the counter,
doing something else for a moment, and writing back the value read plus one.
Without a lock, a thread can read the counter while the other is between its
read and its write; both then write the same value, and one increment is
lost. With a lock around read-and-write, no increment is lost.

Real races are rare: the bad interleaving needs a thread switch at exactly the
wrong moment, which is why they slip through tests. To make it happen on
every run, this demo starts both threads' loops at the same moment (a "go"
event) and sleeps a little between the read and the write: the sleep stands
for any work done there (a log line, a computation, an I/O call), and while
one thread sleeps the other one runs, right inside the window.
"""
import threading
import time

N = 500  # increments per thread
WORK_S = 0.0001  # the "work" between read and write
N_THREADS = 2

counter = 0
counter_lock = threading.Lock()


def add_unsafe(go):
    global counter
    go.wait()  # start together with the other thread
    for _ in range(N):
        value = counter      # 1. read
        time.sleep(WORK_S)   # ...the other thread runs meanwhile...
        counter = value + 1  # 2. write back: may overwrite its update


def add_safe(go):
    global counter
    go.wait()
    for _ in range(N):
        with counter_lock:   # only one thread at a time between read and write
            value = counter
            time.sleep(WORK_S)  # the other thread runs, but it waits for the lock
            counter = value + 1


def run(target, label):
    global counter
    counter = 0
    go = threading.Event()
    threads = [threading.Thread(target=target, args=(go,), name="%s-%d" % (label, i))
               for i in range(1, N_THREADS + 1)]
    for t in threads:
        t.start()
    go.set()  # both threads are waiting: let them run at the same moment
    for t in threads:
        t.join()
    return counter


if __name__ == "__main__":
    expected = N * N_THREADS
    unsafe = run(add_unsafe, "unsafe")
    print("without a lock: %d (expected %d, %d updates lost)"
          % (unsafe, expected, expected - unsafe))
    safe = run(add_safe, "safe")
    print("with a lock:    %d (expected %d, %d updates lost)"
          % (safe, expected, expected - safe))
