"""Producer and consumers across processes with multiprocessing.Queue.

One producer process puts work items on a multiprocessing.Queue; two consumer
processes take them off and put their results on a second queue, which the
main process reads. The queue does the locking and pickling. A bounded
queue (maxsize) makes the producer wait when the consumers fall behind. One
None sentinel per consumer tells each one to stop.
"""
import multiprocessing
import time


def say(message):
    # One write per line: print() writes the text and the newline separately,
    # so lines printed by processes at the same moment could get mixed up.
    # flush: show the line at once, and keep it if the process is terminated.
    print(message + "\n", end="", flush=True)


N_ITEMS = 10
N_CONSUMERS = 2


def producer(work):
    for item in range(N_ITEMS):
        work.put(item)  # waits while the queue holds maxsize items
        say("producer: put %d" % item)
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
    say("%s: no more work" % name)


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
        say("item %d -> %d (by %s)" % (item, square, name))
    say("consumed %d items, each exactly once: %s"
        % (len(collected), sorted(item for item, _, _ in collected) == list(range(N_ITEMS))))
