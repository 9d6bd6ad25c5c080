"""Using a process in a subclass.

As with threads, you can subclass multiprocessing.Process and override run():
start() creates the new process and calls run() in it. The subclass must be
defined at the top level of the module so that the "spawn" start method can
find it again when the child imports this file.
"""
import multiprocessing
import os
import time


def say(message):
    # One write per line: print() writes the text and the newline separately,
    # so lines printed by processes at the same moment could get mixed up.
    # flush: show the line at once, and keep it if the process is terminated.
    print(message + "\n", end="", flush=True)


class Worker(multiprocessing.Process):
    def __init__(self, name, job_s):
        super().__init__(name=name)  # always call the parent constructor first
        self.job_s = job_s  # attributes are copied into the child process

    def run(self):
        # This runs in the child process: its own pid, its own memory.
        say("called run method by %s (pid %d, parent %d)"
            % (self.name, os.getpid(), os.getppid()))
        time.sleep(self.job_s)
        # Changing self here changes the child's copy only: the parent's object
        # never sees it. Use a Queue or Pipe to send results back.
        say("%s done" % self.name)


if __name__ == "__main__":
    workers = [Worker("worker-%d" % i, 0.1 * i) for i in (1, 2, 3)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    for w in workers:
        say("%s exit code %s" % (w.name, w.exitcode))
