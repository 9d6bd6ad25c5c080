"""A program that keeps the flusher from sending (here: its interval is made an hour long, as
if it never got the GIL) must still deliver its records as it goes: past SPILL_BYTES buffered, the
writing thread sends them itself. Full mode; prints the most that was ever buffered."""
import sys
import threading
import time

from pcb_tracer import channel

channel.FLUSH_INTERVAL_S = 3600.0
time.sleep(0.05)  # the flusher's current 10 ms sleep ends; its next one is the hour
lock = threading.Lock()
most = 0
N = 20000  # 20000 Holds of 24 bytes: 480 KB, many times SPILL_BYTES
for _ in range(N):
    with lock:
        pass
    most = max(most, len(channel.buf))
print('records', N, 'spill', channel.SPILL_BYTES, 'most buffered', most)
sys.stdout.flush()
