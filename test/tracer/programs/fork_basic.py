"""os.fork: the child starts a thread and exits 7; the parent reaps it (ChildExit)."""
import os
import sys
import threading

pid = os.fork()
if pid == 0:
    t = threading.Thread(target=lambda: None, name='child-thread')
    t.start()
    t.join()
    sys.exit(7)
_, status = os.waitpid(pid, 0)
print('child', pid, os.WEXITSTATUS(status))
