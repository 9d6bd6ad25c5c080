"""The lock recipe, contended: THREADS threads x COUNT iterations of `with lock`, and every
tenth critical section releases the GIL (time.sleep(0), as any I/O under a lock would), so
another thread finds the lock taken and blocks on it: a recorded wait each time, in smart mode
too. argv: [COUNT (default 100,000), THREADS (default 2)]."""
import sys
import threading
import time

COUNT = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
THREADS = int(sys.argv[2]) if len(sys.argv) > 2 else 2
lock = threading.Lock()
counter = 0


def work():
    global counter
    for i in range(COUNT):
        with lock:
            counter += 1
            if i % 10 == 0:
                time.sleep(0)


t0 = time.perf_counter()
ts = [threading.Thread(target=work) for _ in range(THREADS)]
for t in ts:
    t.start()
for t in ts:
    t.join()
assert counter == THREADS * COUNT, counter
sys.stderr.write('INPROC %.6f\n' % (time.perf_counter() - t0))
