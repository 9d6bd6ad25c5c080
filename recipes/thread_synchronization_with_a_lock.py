"""Thread synchronization with a lock.

Two threads add 1 and two threads subtract 1 from shared counters, COUNT
times each. One counter is protected by a Lock, the other is not.
`counter += 1` is really three steps: read the value, add one, write it back.
If another thread changes the counter between the read and the write, that
change is overwritten and lost. The lock lets only one thread at a time do
the three steps, so the locked counter always ends at exactly 0.

The seed's unlocked functions used the wrong globals: increment_without_lock
changed the *locked* counter, and decrement_without_lock assigned a name it
had not declared global, which raises UnboundLocalError.
"""
import threading

COUNT = 100000
shared_resource_with_lock = 0
shared_resource_with_no_lock = 0
shared_resource_lock = threading.Lock()


# With locking mechanism
def increment_with_lock():
    global shared_resource_with_lock
    for _ in range(COUNT):
        shared_resource_lock.acquire()
        try:
            shared_resource_with_lock += 1
        finally:
            # release in finally: the lock is freed even if the body raises.
            # (The "with statement" recipe shows the shorter way to write it.)
            shared_resource_lock.release()


def decrement_with_lock():
    global shared_resource_with_lock
    for _ in range(COUNT):
        shared_resource_lock.acquire()
        try:
            shared_resource_with_lock -= 1
        finally:
            shared_resource_lock.release()


# Without locking mechanism: each function must declare the global it assigns.
def increment_without_lock():
    global shared_resource_with_no_lock
    for _ in range(COUNT):
        shared_resource_with_no_lock += 1


def decrement_without_lock():
    global shared_resource_with_no_lock
    for _ in range(COUNT):
        shared_resource_with_no_lock -= 1


if __name__ == "__main__":
    threads = [
        threading.Thread(target=increment_with_lock, name="increment-with-lock"),
        threading.Thread(target=decrement_with_lock, name="decrement-with-lock"),
        threading.Thread(target=increment_without_lock, name="increment-without-lock"),
        threading.Thread(target=decrement_without_lock, name="decrement-without-lock"),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    print("The value of shared variable with lock management is %s"
          % shared_resource_with_lock)
    print("The value of shared variable with race condition is %s"
          % shared_resource_with_no_lock)
    # Why the unlocked total is often 0 anyway: recent CPython versions rarely
    # switch threads in the middle of `+= 1`. That is luck, not correctness.
    print("With the lock the total is always 0. Without it any value is possible,")
    print("and 0 only means the threads happened not to interleave badly this time")
    print("(the race-condition recipe makes the lost updates show up every time).")
