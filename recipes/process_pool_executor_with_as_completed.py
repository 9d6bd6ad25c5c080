"""ProcessPoolExecutor with as_completed.

concurrent.futures.ProcessPoolExecutor is the futures API (submit, Future,
as_completed) on top of a pool of worker processes: use it for CPU-bound
work, which threads cannot speed up because of the GIL. Arguments and results
are pickled between processes, so the function must be defined at the top of
the module, and the main code must be under `if __name__ == "__main__":`.

as_completed() yields each future as soon as its task finishes, so small
tasks submitted late can be reported before big tasks submitted early.
"""
import concurrent.futures
import multiprocessing


def count_primes(limit):
    """Count the primes below limit, slowly on purpose (trial division)."""
    count = 0
    for n in range(2, limit):
        d = 2
        while d * d <= n:
            if n % d == 0:
                break
            d += 1
        else:
            count += 1
    return limit, count, multiprocessing.current_process().name


if __name__ == "__main__":
    # The first task is by far the biggest: the other five are done, three workers sharing
    # them, while it still runs, so it is reported last although it was submitted first.
    limits = [200000, 10000, 40000, 20000, 50000, 30000]
    with concurrent.futures.ProcessPoolExecutor(max_workers=3) as executor:
        futures = [executor.submit(count_primes, limit) for limit in limits]
        order = []
        for future in concurrent.futures.as_completed(futures):
            limit, count, worker = future.result()  # re-raises a task's exception
            order.append(limit)
            print("%d primes below %d (computed by %s)" % (count, limit, worker))
    print("submitted in order: %s" % limits)
    print("completed in order: %s" % order)
