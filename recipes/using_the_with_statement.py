"""Using the with statement.

Lock, RLock, Condition and Semaphore are context managers: `with lock:`
acquires at the start of the block and releases at its end, *even when the
block raises an exception*. Written by hand that is acquire(), then the body
in try, then release() in finally; forget the finally and an exception leaves
the lock held forever, blocking every other thread that needs it.

(The seed's heading says "Using the with event"; its section was empty.)
"""
import threading


def say(message):
    # One write per line: print() writes the text and the newline separately,
    # so lines printed by threads at the same moment could get mixed up.
    print(message + "\n", end="", flush=True)


def use_primitive(primitive, kind):
    # 1) The short, safe form.
    with primitive:
        say("%s acquired via with" % kind)

    # 2) What `with` does for you, written out.
    primitive.acquire()
    try:
        say("%s acquired directly" % kind)
    finally:
        primitive.release()

    # 3) An exception inside the block: `with` still releases.
    try:
        with primitive:
            raise ValueError("something went wrong while holding the %s" % kind)
    except ValueError as error:
        say("%s: caught %r, the with block released it anyway" % (kind, str(error)))


if __name__ == "__main__":
    primitives = {
        "Lock": threading.Lock(),
        "RLock": threading.RLock(),
        "Condition": threading.Condition(),
        "Semaphore": threading.Semaphore(1),
    }
    threads = [
        threading.Thread(target=use_primitive, args=(p, kind), name="with-%s" % kind)
        for kind, p in primitives.items()
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    # The main thread is another thread: if any of the threads had left a
    # primitive held, this non-blocking acquire would fail.
    for kind, p in primitives.items():
        free = p.acquire(blocking=False)
        say("%s is free again: %s" % (kind, free))
        if free:
            p.release()
