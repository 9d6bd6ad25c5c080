"""Full mode, many records written fast, then the program ends at once: with a host that reads
slowly (the sink's `slow` socket), the flusher is still sending when the exit flush begins. The
exit must wait for a host that keeps reading, and every record must arrive."""
import sys
import threading

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
lock = threading.Lock()                           # @lock
for _ in range(N):
    with lock:
        pass
print('ops', N)
