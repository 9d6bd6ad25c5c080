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


def foo():
    name = multiprocessing.current_process().name
    print("Starting %s" % name, flush=True)
    time.sleep(0.5)
    print("Exiting %s" % name, flush=True)


if __name__ == "__main__":
    print("The main program runs in %s" % multiprocessing.current_process().name, flush=True)
    process_with_name = multiprocessing.Process(name="foo_process", target=foo)
    # No name given: multiprocessing numbers processes in creation order, so
    # this second one is called "Process-2".
    process_with_default_name = multiprocessing.Process(target=foo)

    process_with_name.start()
    process_with_default_name.start()

    process_with_name.join()
    process_with_default_name.join()
