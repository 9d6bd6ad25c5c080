"""Smart mode, a lock only ever taken uncontended: no record is written, the flusher's ticks send
its counters, and a tick's own records are not activity, so the flusher goes idle while the lock
keeps being taken. The counters stay exact. Prints what it saw."""
import threading
import time

from pcb_tracer import channel

lock = threading.Lock()  # @lock
n = 0
end = time.monotonic() + 20.0
while not channel._idle and time.monotonic() < end:
    for _ in range(1000):
        with lock:
            n += 1
print('idle', channel._idle, 'acquisitions', n)
