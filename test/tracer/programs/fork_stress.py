"""Fork while another thread writes records as fast as it can (full mode) and the flusher sends:
every child must say hello on a clean connection, record its own work and exit; the parent's
stream must stay well-formed. Also renames a running thread."""
import os
import threading

stop = threading.Event()
lock = threading.Lock()


def writer():
    n = 0
    while not stop.is_set() and n < 50000:  # bounded: the test decodes every record
        with lock:
            n += 1


w = threading.Thread(target=writer, name='writer')
w.start()
w.name = 'writer-renamed'
kids = []
for i in range(20):
    pid = os.fork()
    if pid == 0:
        # not `lock`: the writer may hold it at the fork, and it does not exist in the child
        mine = threading.Lock()
        with mine:
            pass
        os._exit(i)
    kids.append(pid)
codes = sorted(os.WEXITSTATUS(os.waitpid(pid, 0)[1]) for pid in kids)
stop.set()
w.join()
print('codes', codes == list(range(20)))
