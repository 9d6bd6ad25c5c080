"""Thread communication using a queue.

queue.Queue is a thread-safe FIFO: put() adds at one end, get() takes from
the other, and both do their own locking. With maxsize set, put() waits
while the queue is full, which keeps a fast producer from running ahead of
slow consumers. A sentinel value (None) tells each consumer to stop.
"""
import queue
import threading
import time


def say(message):
    # One write per line: print() writes the text and the newline separately,
    # so lines printed by threads at the same moment could get mixed up.
    print(message + "\n", end="", flush=True)


N_ITEMS = 8
N_CONSUMERS = 2

q = queue.Queue(maxsize=3)


def producer():
    for item in range(N_ITEMS):
        q.put(item)  # waits while 3 items are already queued
        say("producer: put item %d" % item)
    for _ in range(N_CONSUMERS):
        q.put(None)  # one "stop" sentinel per consumer


def consumer():
    name = threading.current_thread().name
    while True:
        item = q.get()  # waits while the queue is empty
        if item is None:
            say("%s: got the stop sentinel" % name)
            break
        say("%s: got item %d" % (name, item))
        time.sleep(0.1)  # processing is slow: the queue fills up


if __name__ == "__main__":
    threads = [threading.Thread(target=producer, name="producer")]
    threads += [threading.Thread(target=consumer, name="consumer-%d" % i)
                for i in range(1, N_CONSUMERS + 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    say("All %d items went through the queue" % N_ITEMS)
