"""Thread synchronization with a condition.

A producer fills a bounded buffer, a consumer empties it. A Condition lets a
thread wait, inside a lock, until something is true ("the buffer has an item",
"the buffer has room"), and lets the other thread wake it with notify().

Two rules make it correct:
- wait() must be in a `while` loop that re-checks the condition, not an `if`:
  when the waiter wakes up, another thread may already have changed the buffer
  again, and wait() may even return without any notify (a spurious wake-up);
- the shared data is only read and changed while holding the condition's lock.

The seed's classes had no run() method, so starting them would do nothing,
and they checked the condition with `if` instead of `while`.
"""
import threading
import time

CAPACITY = 5  # the buffer never holds more than this
N_ITEMS = 12

items = []
condition = threading.Condition()


class Consumer(threading.Thread):
    def __init__(self):
        super().__init__(name="consumer")

    def consume(self):
        # `with condition` acquires its lock and releases it at the end of the
        # block (the seed wrote condition.acquire() ... condition.release()).
        with condition:
            while len(items) == 0:
                print("Consumer notify: no items to consume, waiting")
                condition.wait()  # releases the lock while waiting
            item = items.pop(0)
            print("Consumer notify: consumed item %d, buffer holds %d" % (item, len(items)))
            condition.notify()  # the producer may be waiting for room

    def run(self):
        for _ in range(N_ITEMS):
            self.consume()
            time.sleep(0.05)  # consuming is slower than producing: the buffer fills up


class Producer(threading.Thread):
    def __init__(self):
        super().__init__(name="producer")

    def produce(self, item):
        with condition:
            while len(items) == CAPACITY:
                print("Producer notify: buffer full (%d items), stop the production!!"
                      % len(items))
                condition.wait()
            items.append(item)
            print("Producer notify: produced item %d, buffer holds %d" % (item, len(items)))
            condition.notify()  # the consumer may be waiting for an item

    def run(self):
        time.sleep(0.1)  # start late, so the consumer first finds the buffer empty
        for item in range(N_ITEMS):
            self.produce(item)


if __name__ == "__main__":
    threads = [Consumer(), Producer()]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("Done: %d items produced and consumed, buffer bound %d" % (N_ITEMS, CAPACITY))
