"""Naming a process.

Every process has a name: the one you give to Process(name=...), or a default
"Process-N". Inside the process, multiprocessing.current_process().name tells
the code which process it runs in (the main one is "MainProcess").

The seed's target was foo(i) but the processes were created without args, so
each child died with a TypeError; and the main program did not wait for its
daemon child, which could be killed before it even printed.
"""
import multiprocessing
import time


def say(message):
    # One write per line: print() writes the text and the newline separately,
    # so lines printed by processes at the same moment could get mixed up.
    # flush: show the line at once, and keep it if the process is terminated.
    print(message + "\n", end="", flush=True)


def foo():
    name = multiprocessing.current_process().name
    say("Starting %s" % name)
    time.sleep(0.5)
    say("Exiting %s" % name)


if __name__ == "__main__":
    say("The main program runs in %s" % multiprocessing.current_process().name)
    process_with_name = multiprocessing.Process(name="foo_process", target=foo)
    # No name given: multiprocessing numbers processes in creation order, so
    # this second one is called "Process-2".
    process_with_default_name = multiprocessing.Process(target=foo)

    process_with_name.start()
    process_with_default_name.start()

    process_with_name.join()
    process_with_default_name.join()
