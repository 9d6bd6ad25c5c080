"""Using a thread in a subclass.

Instead of passing a target function, subclass threading.Thread and override
run(): start() runs run() in the new thread. A subclass is handy when the
thread has state of its own: here each thread keeps its result in an
attribute, which the main thread reads after join().
"""
import threading
import time


def say(message):
    # One write per line: print() writes the text and the newline separately,
    # so lines printed by threads at the same moment could get mixed up.
    print(message + "\n", end="", flush=True)


class CountdownThread(threading.Thread):
    def __init__(self, name, count):
        # Always call the parent constructor first: it sets up the thread.
        super().__init__(name=name)
        self.count = count
        self.steps = []  # written by this thread, read by main after join()

    def run(self):
        # run() is what executes in the new thread. Never call run() yourself:
        # that would run it in the *calling* thread. Call start().
        while self.count > 0:
            self.steps.append(self.count)
            say("%s: %d" % (self.name, self.count))
            self.count -= 1
            time.sleep(0.1)
        say("%s: lift-off" % self.name)


if __name__ == "__main__":
    threads = [CountdownThread("countdown-%d" % n, n) for n in (3, 4, 5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # After join() the thread has finished, so reading its attributes is safe.
    for t in threads:
        say("%s counted %s" % (t.name, t.steps))
