"""Thread synchronization with an event.

An Event is a flag that starts cleared. Threads calling wait() block until
some thread calls set(); then every waiting thread wakes up at once. Unlike a
condition's notify(), set() is remembered: a thread that calls wait() after
the event is set does not wait at all (until someone calls clear()).
"""
import threading
import time


def say(message):
    # One write per line: print() writes the text and the newline separately,
    # so lines printed by threads at the same moment could get mixed up.
    print(message + "\n", end="", flush=True)


ready = threading.Event()


def waiter():
    name = threading.current_thread().name
    say("%s: waiting for the event" % name)
    ready.wait()  # blocks until the event is set
    say("%s: the event is set, going on" % name)


if __name__ == "__main__":
    waiters = [threading.Thread(target=waiter, name="waiter-%d" % i) for i in (1, 2, 3)]
    for t in waiters:
        t.start()

    time.sleep(0.3)  # the main thread prepares something the waiters need
    say("MainThread: setting the event, waking all waiters")
    ready.set()
    for t in waiters:
        t.join()

    # The event stays set: a late waiter goes straight through.
    late = threading.Thread(target=waiter, name="late-waiter")
    late.start()
    late.join()
    say("is_set() = %s: all waiters woke after set()" % ready.is_set())
