"""The seed's lock recipe as a benchmark: THREADS threads x COUNT iterations of `with lock`."""
import sys
import threading
import time

COUNT = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
THREADS = int(sys.argv[2]) if len(sys.argv) > 2 else 2
lock = threading.Lock()
counter = 0


def work():
    global counter
    for _ in range(COUNT):
        with lock:
            counter += 1


t0 = time.perf_counter()
ts = [threading.Thread(target=work) for _ in range(THREADS)]
for t in ts:
    t.start()
for t in ts:
    t.join()
assert counter == THREADS * COUNT, counter
sys.stderr.write('INPROC %.6f\n' % (time.perf_counter() - t0))
