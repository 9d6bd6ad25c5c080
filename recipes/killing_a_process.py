"""Killing a process.

terminate() asks the operating system to end a process (SIGTERM on POSIX).
It does not wait: the process ends a moment later, so call join() before
relying on is_alive() or exitcode. A negative exitcode -N means "ended by
signal N".

The seed terminated the child right after starting it and printed
is_alive() without join(), so the printed state was a race (often still
True), and it never showed the exit code.
"""
import multiprocessing
import signal
import time


def foo(started):
    print("Starting function", flush=True)
    started.set()  # tell the parent we are really running
    time.sleep(10)  # a long job that will be cut short
    print("Finished function", flush=True)  # never printed: we are terminated first


def describe_exit(code):
    if code is not None and code < 0:
        return "%d (killed by %s)" % (code, signal.Signals(-code).name)
    return str(code)


if __name__ == "__main__":
    started = multiprocessing.Event()
    p = multiprocessing.Process(target=foo, args=(started,), name="long_job")
    print("Process before execution:", p, p.is_alive())

    p.start()
    # Wait until the child runs its code (with a limit, in case it fails to
    # start), so we terminate it in the middle of its job.
    if not started.wait(timeout=5):
        print("The child did not start in 5 s")
    print("Process running:", p, p.is_alive())
    time.sleep(0.3)  # let it work for a moment, then cut its job short

    p.terminate()
    p.join()  # wait for it to be gone before looking at it
    print("Process terminated:", p, p.is_alive())
    print("Process exit code:", describe_exit(p.exitcode))
