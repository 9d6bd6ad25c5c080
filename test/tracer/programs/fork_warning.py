"""Python 3.12+ warns on os.fork() in a multi-threaded process. The tracer's own thread must not
make a single-threaded program warn; a program with a thread of its own still gets its warning.
Run with PYTHONWARNINGS=always::DeprecationWarning; markers on stderr separate the forks."""
import os
import sys
import threading
import warnings


def fork_and_reap(marker):
    sys.stderr.write(marker + '\n')
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)


fork_and_reap('FORK-1 single-threaded')
stop = threading.Event()
t = threading.Thread(target=stop.wait)
t.start()
fork_and_reap('FORK-2 with a thread of its own')
stop.set()
t.join()
fork_and_reap('FORK-3 single-threaded again')
# a filter of the program's own, put in front of ours after ours was made: the tracer's thread
# must still not make the fork warn
warnings.simplefilter('always', DeprecationWarning)
fork_and_reap('FORK-4 single-threaded, a filter of its own in front')
sys.stderr.write('END\n')
