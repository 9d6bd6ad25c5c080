"""Thread synchronization with semaphores.

A semaphore is a counter: release() adds one, acquire() takes one, and waits
while the counter is 0. Starting it at 0 makes it a signal: the consumer
waits in acquire() until the producer has made an item and called release().
Here the counter also counts the items ready to be consumed.

The seed defined the consumer and producer functions but never created or
started any thread, so nothing happened (and its producer slept 10 s).
"""
import collections
import random
import threading
import time


def say(message):
    # One write per line: print() writes the text and the newline separately,
    # so lines printed by threads at the same moment could get mixed up.
    print(message + "\n", end="", flush=True)


N_ITEMS = 3

semaphore = threading.Semaphore(0)  # 0: no item ready yet
items = collections.deque()  # deque.append/popleft are thread-safe


def consumer():
    for _ in range(N_ITEMS):
        say("Consumer is waiting.")
        # Acquire the semaphore: blocks until the producer has released it.
        semaphore.acquire()
        # The consumer now has an item it is allowed to take.
        item = items.popleft()
        say("Consumer notify: consumed item number %s" % item)


def producer():
    for _ in range(N_ITEMS):
        time.sleep(0.3)  # producing takes a while: the consumer has to wait
        item = random.randint(0, 1000)
        items.append(item)
        say("Producer notify: produced item number %s" % item)
        # Release the semaphore, incrementing its counter by one. If the
        # consumer is waiting for it to become larger than zero, wake it up.
        semaphore.release()


if __name__ == "__main__":
    threads = [
        threading.Thread(target=consumer, name="consumer"),
        threading.Thread(target=producer, name="producer"),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    say("All %d items produced and consumed" % N_ITEMS)
