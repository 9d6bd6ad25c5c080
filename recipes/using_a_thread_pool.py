"""Using a thread pool.

concurrent.futures.ThreadPoolExecutor keeps a few threads and gives them the
tasks you submit(). Each submit() returns a Future, a handle on a result that
will exist later. as_completed(futures) yields the futures in the order they
finish, not the order they were submitted, so you can use each result as soon
as it is ready. Threads suit I/O-bound tasks (downloads, disk, databases)
because a thread waiting for I/O lets the others run.

The seed's fragment called an undefined map_function on undefined
input_data and never read the results.
"""
import concurrent.futures
import threading
import time

# Simulated downloads: (name, seconds it takes). time.sleep stands for the
# network wait.
input_data = [("page-a", 0.4), ("page-b", 0.1), ("page-c", 0.3),
              ("page-d", 0.2), ("page-e", 0.15), ("page-f", 0.05)]


def map_function(element):
    name, seconds = element
    time.sleep(seconds)
    return "%s downloaded by %s in %.2f s" % (name, threading.current_thread().name, seconds)


if __name__ == "__main__":
    # thread_name_prefix names the pool's threads pool_0, pool_1...
    with concurrent.futures.ThreadPoolExecutor(max_workers=3,
                                               thread_name_prefix="pool") as executor:
        # Remember which input each future belongs to.
        futures = {executor.submit(map_function, element): element for element in input_data}
        for future in concurrent.futures.as_completed(futures):
            name = futures[future][0]
            # result() re-raises here any exception raised by the task.
            print("completed %s: %s" % (name, future.result()))
    # Leaving the with block waits for all tasks and shuts the threads down.
    print("submitted in order: %s" % ", ".join(name for name, _ in input_data))
