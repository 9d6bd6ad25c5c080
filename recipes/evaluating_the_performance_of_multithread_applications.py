"""Evaluating the performance of multithread applications.

The same jobs are run three ways - one after another, in threads, and in
processes - and timed on this machine:
- a CPU-bound job (pure Python arithmetic): in CPython only one thread at a
  time runs Python code (the Global Interpreter Lock, GIL), so threads are no
  faster than running the jobs one after another; processes each have their
  own interpreter and GIL, so they use several cores;
- an I/O-bound job (waiting, here time.sleep standing in for a network or
  disk wait): a waiting thread releases the GIL, so threads overlap their
  waits and finish together, as processes do, but cheaper to start.
(A free-threaded CPython build, such as 3.13t, has no GIL: there CPU-bound
threads can use several cores too.)

The results are printed as a table, and as one line starting with PCB-RESULT
followed by JSON, for programs that read the output.
"""
import json
import multiprocessing
import os
import platform
import threading
import time

N_JOBS = 4
IO_WAIT_S = 0.1           # each I/O-bound job waits this long
CPU_TARGET_S = 0.15       # each CPU-bound job computes about this long


def cpu_job(n):
    """Pure Python arithmetic: holds the GIL the whole time."""
    total = 0
    for i in range(n):
        total += i * i
    return total


def io_job(seconds):
    """Waiting for I/O: releases the GIL while it waits."""
    time.sleep(seconds)


def calibrate_cpu_job():
    """How many loop iterations take about CPU_TARGET_S on this machine.

    Interpreters and machines differ a lot in speed, so a fixed size would
    make the recipe take far too long on some and be too short to measure on
    others.
    """
    n = 10000
    while True:
        start = time.perf_counter()
        cpu_job(n)
        elapsed = time.perf_counter() - start
        if elapsed >= 0.02:
            return max(1, int(n * CPU_TARGET_S / elapsed))
        n *= 2


def run_sequentially(job, arg):
    start = time.perf_counter()
    for _ in range(N_JOBS):
        job(arg)
    return time.perf_counter() - start


def run_concurrently(worker_class, kind, job, arg):
    """Start N_JOBS threads or processes running job(arg), wait for all."""
    start = time.perf_counter()
    what = "thread" if worker_class is threading.Thread else "process"
    # Names like "cpu-thread-1" or "io-process-3" make the timeline readable.
    workers = [worker_class(target=job, args=(arg,), name="%s-%s-%d" % (kind, what, i))
               for i in range(1, N_JOBS + 1)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return time.perf_counter() - start


def measure(kind, job, arg):
    sequential = run_sequentially(job, arg)
    threads = run_concurrently(threading.Thread, kind, job, arg)
    processes = run_concurrently(multiprocessing.Process, kind, job, arg)
    return {
        "job": kind,
        "sequentialS": round(sequential, 3),
        "threadsS": round(threads, 3),
        "processesS": round(processes, 3),
        "speedupThreads": round(sequential / threads, 2),
        "speedupProcesses": round(sequential / processes, 2),
    }


if __name__ == "__main__":
    cpu_n = calibrate_cpu_job()
    rows = [measure("cpu", cpu_job, cpu_n), measure("io", io_job, IO_WAIT_S)]

    print("%d jobs of each kind, %s CPU cores" % (N_JOBS, os.cpu_count()))
    print("%-10s %11s %9s %10s %17s %19s" % ("job", "sequential", "threads", "processes",
                                             "speed-up threads", "speed-up processes"))
    for r in rows:
        print("%-10s %10.2fs %8.2fs %9.2fs %16.2fx %18.2fx" % (
            "CPU-bound" if r["job"] == "cpu" else "I/O-bound", r["sequentialS"], r["threadsS"],
            r["processesS"], r["speedupThreads"], r["speedupProcesses"]))
    print("CPU-bound: threads take turns holding the GIL, so they gain nothing;")
    print("           processes each have their own GIL and run on several cores.")
    print("I/O-bound: waiting releases the GIL, so threads overlap their waits.")
    result = {
        "recipe": "evaluating-the-performance-of-multithread-applications",
        "python": platform.python_version(),
        "jobs": N_JOBS,
        "cpus": os.cpu_count(),
        "rows": rows,
    }
    print("PCB-RESULT " + json.dumps(result))
