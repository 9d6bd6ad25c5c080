"""Several threads flooding a host that does not read (full mode): each record any of them drops
must be counted. Prints the number of lock operations and how long they took.

3.8 and 3.9 can switch threads between the load and the store of `dropped += 1`: a shared
counter lost thousands of this flood's drops there. The switch interval is made tiny so that
every chance of a switch is taken. The main thread waits on a pipe, not with join() or a
traced primitive, so the records that can be dropped are the workers' Holds and the flusher's
publications of holds that lasted past a tick (a worker can be held up inside its `with`)."""
import os
import sys
import threading
import time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
THREADS = 4
sys.setswitchinterval(1e-6)
done_r, done_w = os.pipe()


def work():
    lock = threading.Lock()
    for _ in range(N):
        with lock:
            pass
    os.write(done_w, b'x')


t0 = time.monotonic()
for _ in range(THREADS):
    threading.Thread(target=work).start()
finished = 0
while finished < THREADS:
    finished += len(os.read(done_r, THREADS))
print('ops', THREADS * N, 'seconds %.3f' % (time.monotonic() - t0))
