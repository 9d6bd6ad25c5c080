"""A Semaphore(0) used as a signal: a producer releases it N times, a consumer acquires it N
times, and the threads switch at every chance: many acquires find it at 0 and wait, and some of
the releases come just after an acquire found it at 0."""
import sys
import threading

N = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
sys.setswitchinterval(1e-6)
sem = threading.Semaphore(0)                      # @sem


def produce():
    for _ in range(N):
        for _ in range(300):
            pass
        sem.release()


def consume():
    for _ in range(N):
        sem.acquire()                             # @sem-acquire


c = threading.Thread(target=consume, name='consumer')
p = threading.Thread(target=produce, name='producer')
c.start()
p.start()
p.join()
c.join()
print('done')
