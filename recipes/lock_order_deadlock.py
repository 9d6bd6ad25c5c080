"""A lock-order deadlock (a deliberate demo: this program never finishes).

Two threads need the same two locks but take them in opposite order:
  locks-A-then-B takes lock_a, then wants lock_b;
  locks-B-then-A takes lock_b, then wants lock_a.
Each holds the lock the other wants, and each waits for the other to release
it: neither ever can. That cycle (thread -> lock -> thread -> lock) is a
deadlock. A barrier makes sure both threads hold their first lock before
either asks for its second, so the deadlock happens on every run instead of
only when the timing is unlucky, which is how real deadlocks usually appear.

The fix is to give the locks an order and have every thread take them in that
order (both take lock_a first, then lock_b): then no cycle can form.

Stop the program with the Stop button (or Ctrl+C in a terminal).
"""
import threading


def say(message):
    # One write per line: print() writes the text and the newline separately,
    # so lines printed by threads at the same moment could get mixed up.
    print(message + "\n", end="", flush=True)


lock_a = threading.Lock()
lock_b = threading.Lock()
# Both threads meet here once they hold their first lock.
both_hold_their_first_lock = threading.Barrier(2)


def take_in_order(first, first_name, second, second_name):
    name = threading.current_thread().name
    with first:
        say("%s: holding %s" % (name, first_name))
        both_hold_their_first_lock.wait()
        say("%s: holding %s, waiting for the second lock, %s"
            % (name, first_name, second_name))
        with second:  # never succeeds: the other thread holds it and waits for us
            say("%s: got both locks (this never happens)" % name)


if __name__ == "__main__":
    say("DELIBERATE DEADLOCK DEMO: this program never finishes on its own;"
        " stop it when you have seen the deadlock.")
    threads = [
        threading.Thread(target=take_in_order, name="locks-A-then-B",
                         args=(lock_a, "lock_a", lock_b, "lock_b")),
        threading.Thread(target=take_in_order, name="locks-B-then-A",
                         args=(lock_b, "lock_b", lock_a, "lock_a")),
    ]
    for t in threads:
        # daemon: if the main thread is interrupted (Ctrl+C), the program can
        # exit instead of waiting forever for these two stuck threads.
        t.daemon = True
        t.start()
    try:
        for t in threads:
            t.join()  # waits forever: the threads never finish
    except KeyboardInterrupt:
        say("Interrupted: the two threads were still deadlocked.")
