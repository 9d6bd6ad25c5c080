"""Running a process in the background.

A daemon process (daemon = True) is a background helper: when the main
process ends, multiprocessing terminates its daemon children instead of
waiting for them. A non-daemon process is waited for: the main process does
not finish until it has.

Here both children start a job; the background (daemon) one has a longer job
than the main program lives, so it is terminated and never prints "Exiting".

The seed started an undefined `process_with_default_name` (NameError) and
created the processes without the argument its foo(i) required (TypeError).
"""
import multiprocessing
import time


def say(message):
    # One write per line: print() writes the text and the newline separately,
    # so lines printed by processes at the same moment could get mixed up.
    # flush: show the line at once, and keep it if the process is terminated.
    print(message + "\n", end="", flush=True)


def foo(seconds):
    name = multiprocessing.current_process().name
    say("Starting %s (a %.1f s job)" % (name, seconds))
    time.sleep(seconds)
    say("Exiting %s" % name)


if __name__ == "__main__":
    background_process = multiprocessing.Process(
        name="background_process", target=foo, args=(3.0,))
    background_process.daemon = True  # must be set before start()

    no_background_process = multiprocessing.Process(
        name="No_background_process", target=foo, args=(0.5,))
    no_background_process.daemon = False  # the default

    background_process.start()
    no_background_process.start()

    # We don't join the daemon: at exit, multiprocessing joins the
    # non-daemon child (as if we called no_background_process.join()) and
    # terminates the daemon one.
    no_background_process.join()
    say("Main process exits: background_process is still running and will be terminated")
