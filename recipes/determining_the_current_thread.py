"""Determining the current thread.

threading.current_thread() returns the Thread object running the code that
calls it, so one function can tell which thread it runs in. Giving threads a
name makes this (and the timeline) readable.

The seed used threading.currentThread().getName(): those camelCase aliases
are deprecated since Python 3.10 and warn. current_thread().name is the same
thing, spelled the supported way.
"""
import threading
import time


def say(message):
    # One write per line: print() writes the text and the newline separately,
    # so lines printed by threads at the same moment could get mixed up.
    print(message + "\n", end="", flush=True)


def first_func():
    say(threading.current_thread().name + " is starting")
    time.sleep(1)
    say(threading.current_thread().name + " is exiting")


def second_func():
    say(threading.current_thread().name + " is starting")
    time.sleep(1)
    say(threading.current_thread().name + " is exiting")


if __name__ == "__main__":
    # The main program runs in a thread too: the main thread.
    say("The main program runs in " + threading.current_thread().name)

    t1 = threading.Thread(name="first_function", target=first_func)
    t2 = threading.Thread(name="second_function", target=second_func)

    t1.start()
    t2.start()

    # join makes the calling thread wait until the thread has finished.
    t1.join()
    t2.join()
    say(threading.current_thread().name + " saw both threads finish")
