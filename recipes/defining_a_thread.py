"""Defining a thread.

A thread is defined by giving threading.Thread a function (target) and its
arguments (args). Nothing runs until start() is called; join() waits for the
thread to finish.

The seed called join() inside the loop that starts the threads. That is a
classic pitfall: each join waits for the thread just started before the next
one is started, so the threads run one after another, never together. This
recipe runs both versions so you can see (and time) the difference.
"""
import threading
import time


def say(message):
    # One write per line: print() writes the text and the newline separately,
    # so lines printed by threads at the same moment could get mixed up.
    print(message + "\n", end="", flush=True)


N_THREADS = 5
WORK_S = 0.2  # each thread "works" (sleeps) this long


def my_func(i):
    say("function called by thread %i" % i)
    time.sleep(WORK_S)  # stands for real work that lets other threads run
    say("thread %i done" % i)


def pitfall_join_inside_loop():
    """The seed's version: start a thread, wait for it, start the next..."""
    threads = []
    for i in range(N_THREADS):
        t = threading.Thread(target=my_func, args=(i,), name="serial-%d" % i)
        threads.append(t)
        t.start()  # the thread doesn't start running until start() is called
        t.join()   # ...and here we wait for it at once: no overlap at all


def fixed_start_all_then_join_all():
    """The fix: start every thread first, then wait for all of them."""
    threads = []
    for i in range(N_THREADS):
        t = threading.Thread(target=my_func, args=(i,), name="concurrent-%d" % i)
        threads.append(t)
        t.start()
    for t in threads:
        t.join()  # join makes the calling thread wait until t has finished


if __name__ == "__main__":
    say("1) Pitfall (the seed's code): join() inside the start loop")
    start = time.perf_counter()
    pitfall_join_inside_loop()
    serial_s = time.perf_counter() - start

    say("2) Fix: start all threads, then join them all")
    start = time.perf_counter()
    fixed_start_all_then_join_all()
    concurrent_s = time.perf_counter() - start

    say("join inside the loop: %.2f s (threads ran one after another)" % serial_s)
    say("start all, then join: %.2f s (threads ran at the same time)" % concurrent_s)
