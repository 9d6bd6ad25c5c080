"""Many records fast (full mode): with a host that does not read, the bounded buffer must drop
and count, never block. Prints the number of lock operations and how long they took."""
import sys
import threading
import time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
lock = threading.Lock()
t0 = time.monotonic()
for _ in range(N):
    with lock:
        pass
print('ops', N, 'seconds %.3f' % (time.monotonic() - t0))
print('threads', [t.name for t in threading.enumerate()], threading.active_count())
