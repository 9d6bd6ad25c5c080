"""Meeting at a barrier.

A Barrier(n) is a meeting point for n threads: each thread calling wait()
blocks until all n have arrived, then all of them go on at once. The barrier
then resets itself, so it can be used again for the next round. The optional
action runs once per round, in one of the threads, just before they are
released.
"""
import threading
import time

ROUNDS = 2
# Each runner needs a different time to reach the meeting point.
DELAYS = {"runner-1": 0.05, "runner-2": 0.15, "runner-3": 0.3}


def say(message):
    # One write per line: print() writes the text and the newline separately,
    # so lines printed by threads at the same moment could get mixed up.
    print(message + "\n", end="", flush=True)


def everyone_arrived():
    say("-- all %d runners arrived: go! --" % len(DELAYS))


barrier = threading.Barrier(len(DELAYS), action=everyone_arrived)


def runner():
    name = threading.current_thread().name
    for round_number in range(1, ROUNDS + 1):
        time.sleep(DELAYS[name])  # running to the meeting point
        say("%s reached the barrier (round %d)" % (name, round_number))
        # wait() returns a different number (0..n-1) to each thread.
        barrier.wait()
        say("%s passed the barrier (round %d)" % (name, round_number))


if __name__ == "__main__":
    threads = [threading.Thread(target=runner, name=name) for name in DELAYS]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("Every round, nobody passed before the slowest runner arrived.")
