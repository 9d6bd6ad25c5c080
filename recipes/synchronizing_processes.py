"""Synchronizing processes.

multiprocessing has the same synchronization primitives as threading, made
to work across processes. Two are used here:
- a Barrier: each process that calls wait() blocks until all the parties
  (here 2) have arrived, then they all go on together;
- a Lock: only one process at a time prints its report, so reports from
  different processes never mix.

Four processes arrive after different delays. The two using the barrier
leave it at the same moment (the later one's arrival time); the two without
it go on as soon as they arrive.
"""
import multiprocessing
import time


def report(serializer, start, what):
    with serializer:  # one process at a time in here
        print("%s %s at %.2f s" % (multiprocessing.current_process().name, what,
                                   time.time() - start), flush=True)


def test_with_barrier(synchronizer, serializer, start, delay):
    time.sleep(delay)  # some work before the meeting point
    report(serializer, start, "arrived")
    synchronizer.wait()  # wait here until both barrier processes arrive
    report(serializer, start, "passed the barrier")


def test_without_barrier(serializer, start, delay):
    time.sleep(delay)
    report(serializer, start, "arrived")
    report(serializer, start, "went on without waiting")


if __name__ == "__main__":
    synchronizer = multiprocessing.Barrier(2)
    serializer = multiprocessing.Lock()
    start = time.time()  # wall-clock time is comparable between processes
    processes = [
        multiprocessing.Process(name="with_barrier-1", target=test_with_barrier,
                                args=(synchronizer, serializer, start, 0.1)),
        multiprocessing.Process(name="with_barrier-2", target=test_with_barrier,
                                args=(synchronizer, serializer, start, 0.5)),
        multiprocessing.Process(name="without_barrier-1", target=test_without_barrier,
                                args=(serializer, start, 0.2)),
        multiprocessing.Process(name="without_barrier-2", target=test_without_barrier,
                                args=(serializer, start, 0.3)),
    ]
    for p in processes:
        p.start()
    for p in processes:
        p.join()
    print("with_barrier-1 arrived first but waited for with_barrier-2 at the barrier")
