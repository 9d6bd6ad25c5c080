"""Many records fast (full mode): with a host that does not read, the bounded buffer must drop
and count, never block, and stay bounded. Prints the number of lock operations, how long they
took, and the most the buffer ever held."""
import sys
import threading
import time

from pcb_tracer import channel

N = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
lock = threading.Lock()
most = 0
t0 = time.monotonic()
for _ in range(N):
    with lock:
        pass
    most = max(most, len(channel.buf))
print('ops', N, 'seconds %.3f' % (time.monotonic() - t0), 'most buffered', most)
print('threads', [t.name for t in threading.enumerate()], threading.active_count())
