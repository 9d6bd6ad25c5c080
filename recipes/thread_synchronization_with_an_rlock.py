"""Thread synchronization with an RLock.

An RLock (re-entrant lock) may be acquired again by the thread that already
holds it; it is only free once that thread has released it as many times as
it acquired it. This is what you need when a method holding the lock calls
another method that takes the same lock. With a plain Lock, the second
acquire would wait for the lock to be released... by the same thread, which
is waiting: the thread would deadlock with itself.
"""
import threading
import time

START_ITEMS = 5
N_ADD = 5
N_REMOVE = 5


class Box:
    def __init__(self):
        self.lock = threading.RLock()
        self.total_items = START_ITEMS

    def execute(self, n):
        # Takes the lock: callers from outside get a consistent update...
        with self.lock:
            self.total_items += n

    def add(self):
        with self.lock:        # first acquire by this thread
            self.execute(1)    # ...and execute() acquires it again: fine with an RLock
            print("adder: added one item, total %d" % self.total_items)

    def remove(self):
        with self.lock:
            self.execute(-1)
            print("remover: removed one item, total %d" % self.total_items)


def adder(box, n):
    for _ in range(n):
        box.add()
        time.sleep(0.05)  # leave time for the other thread to take the lock


def remover(box, n):
    for _ in range(n):
        box.remove()
        time.sleep(0.05)


if __name__ == "__main__":
    box = Box()
    threads = [
        threading.Thread(target=adder, args=(box, N_ADD), name="adder"),
        threading.Thread(target=remover, args=(box, N_REMOVE), name="remover"),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("final total: %d items (%d at start + %d added - %d removed)"
          % (box.total_items, START_ITEMS, N_ADD, N_REMOVE))
