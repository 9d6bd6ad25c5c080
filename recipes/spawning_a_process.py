"""Spawning a process.

multiprocessing.Process runs a function in a new Python process, with its
own memory and its own interpreter (and GIL). The API mirrors threading:
start() launches it, join() waits for it to end.

Like the seed's thread example, the seed joined each process inside the loop
that starts them, so the processes ran one after another. This recipe shows
that pitfall and then the fix: start them all, then join them all.

The `if __name__ == "__main__":` guard is required: with the "spawn" start
method (the default on Windows and macOS) every child imports this file, and
without the guard each child would start processes of its own.
"""
import multiprocessing
import time


def say(message):
    # One write per line: print() writes the text and the newline separately,
    # so lines printed by processes at the same moment could get mixed up.
    # flush: show the line at once, and keep it if the process is terminated.
    print(message + "\n", end="", flush=True)


N_PROCESSES = 5
WORK_S = 0.15


def my_func(i):
    say("called function in process: %s" % i)
    time.sleep(WORK_S)  # stands for real work


def pitfall_join_inside_loop():
    for i in range(N_PROCESSES):
        p = multiprocessing.Process(target=my_func, args=(i,), name="serial-%d" % i)
        p.start()
        p.join()  # waits for this process before the next one is even started


def fixed_start_all_then_join_all():
    processes = []
    for i in range(N_PROCESSES):
        p = multiprocessing.Process(target=my_func, args=(i,), name="concurrent-%d" % i)
        processes.append(p)
        p.start()
    for p in processes:
        p.join()


if __name__ == "__main__":
    say("1) Pitfall (the seed's code): join() inside the start loop")
    start = time.perf_counter()
    pitfall_join_inside_loop()
    serial_s = time.perf_counter() - start

    say("2) Fix: start all processes, then join them all")
    start = time.perf_counter()
    fixed_start_all_then_join_all()
    concurrent_s = time.perf_counter() - start

    say("join inside the loop: %.2f s (processes ran one after another)" % serial_s)
    say("start all, then join: %.2f s (processes ran at the same time)" % concurrent_s)
