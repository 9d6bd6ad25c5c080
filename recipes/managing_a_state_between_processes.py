"""Managing a state between processes.

Processes don't share memory, so shared state needs help:
- multiprocessing.Value / Array put a number or array in shared memory. It
  is fast, but `+=` on it is still read-then-write: guard it with its lock.
- a Manager runs a server process that holds ordinary Python objects (dict,
  list...); other processes change them through proxies. It is slower (each
  operation is a message to the server) but shares any picklable object.
"""
import multiprocessing


def worker(worker_id, counter, results):
    for _ in range(100):
        # get_lock(): the lock that comes with the Value. Without it two
        # processes could read the same value and one increment would be lost.
        with counter.get_lock():
            counter.value += 1
    # Each operation on the proxy is sent to the manager's process.
    results[worker_id] = "square of %d is %d" % (worker_id, worker_id * worker_id)


if __name__ == "__main__":
    counter = multiprocessing.Value("i", 0)  # "i": a C int in shared memory
    with multiprocessing.Manager() as manager:  # starts the manager process
        results = manager.dict()
        processes = [
            multiprocessing.Process(target=worker, args=(i, counter, results),
                                    name="worker-%d" % i)
            for i in (1, 2, 3)
        ]
        for p in processes:
            p.start()
        for p in processes:
            p.join()
        # Copy the data out while the manager still runs: leaving the with
        # block shuts the manager process down.
        final = dict(results)

    print("shared counter: %d (3 workers x 100 increments)" % counter.value)
    for worker_id in sorted(final):
        print("results[%d] = %s" % (worker_id, final[worker_id]))
