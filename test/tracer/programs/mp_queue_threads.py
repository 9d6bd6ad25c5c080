"""Threads of one process sharing multiprocessing queues: four threads get from one Queue and
four from one SimpleQueue, while the main thread puts. Their gets check the queue at the same
moments (the tracer's readiness check must allow that). Prints what was got and any error."""
import multiprocessing as mp
import sys
import threading

N = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
THREADS = 4


def consume(q, got, errors):
    try:
        while True:
            item = q.get()
            if item is None:
                return
            got.append(item)
    except Exception as e:
        errors.append(repr(e))


if __name__ == '__main__':
    for name, q in (('Queue', mp.Queue()), ('SimpleQueue', mp.SimpleQueue())):
        got, errors = [], []
        threads = [threading.Thread(target=consume, args=(q, got, errors)) for _ in range(THREADS)]
        for t in threads:
            t.start()
        for i in range(N):
            q.put(i)
        for _ in threads:
            q.put(None)
        for t in threads:
            t.join(60)
        print(name, sorted(got) == list(range(N)), errors[:1], sum(t.is_alive() for t in threads))
