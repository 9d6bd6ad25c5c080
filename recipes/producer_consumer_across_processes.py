"""Producer and consumers across processes with multiprocessing.Queue.

One producer process puts work items on a multiprocessing.Queue; two consumer
processes take them off and put their results on a second queue, which the
main process reads. The queue does the locking and pickling. A bounded
queue (maxsize) makes the producer wait when the consumers fall behind. One
None sentinel per consumer tells each one to stop.
"""
import multiprocessing
import time

N_ITEMS = 10
N_CONSUMERS = 2


def producer(work):
    for item in range(N_ITEMS):
        work.put(item)  # waits while the queue holds maxsize items
        print("producer: put %d" % item, flush=True)
    for _ in range(N_CONSUMERS):
        work.put(None)


def consumer(work, results):
    name = multiprocessing.current_process().name
    while True:
        item = work.get()  # waits while the queue is empty
        if item is None:
            break
        time.sleep(0.05)  # processing takes a while
        results.put((item, item * item, name))
    print("%s: no more work" % name, flush=True)


if __name__ == "__main__":
    work = multiprocessing.Queue(maxsize=3)
    results = multiprocessing.Queue()
    processes = [multiprocessing.Process(target=producer, args=(work,), name="producer")]
    processes += [multiprocessing.Process(target=consumer, args=(work, results),
                                          name="consumer-%d" % i)
                  for i in range(1, N_CONSUMERS + 1)]
    for p in processes:
        p.start()

    # Read every result *before* joining: a process that has put data on a
    # queue only exits once that data has been taken, so joining first could
    # wait forever.
    collected = [results.get() for _ in range(N_ITEMS)]
    for p in processes:
        p.join()

    for item, square, name in sorted(collected):
        print("item %d -> %d (by %s)" % (item, square, name))
    print("consumed %d items, each exactly once: %s"
          % (len(collected), sorted(item for item, _, _ in collected) == list(range(N_ITEMS))))
