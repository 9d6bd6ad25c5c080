"""A multiprocessing workload for the tracer overhead benchmark: Process + Queue, Pipe, Pool,
ProcessPoolExecutor, ThreadPoolExecutor and a Manager, each doing a little real work.
argv: [ignored count, ignored threads, start method (default: the platform's)]."""
import multiprocessing as mp
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def square(x):
    return x * x


def producer(q, n):
    for i in range(n):
        q.put(i)
    q.put(None)


def echo(conn, n):
    for _ in range(n):
        conn.send(conn.recv() + 1)


def main():
    ctx = mp.get_context(sys.argv[3]) if len(sys.argv) > 3 else mp.get_context()
    t0 = time.perf_counter()
    q = ctx.Queue()
    p = ctx.Process(target=producer, args=(q, 2000))
    p.start()
    total = 0
    while True:
        item = q.get()
        if item is None:
            break
        total += item
    p.join()
    a, b = ctx.Pipe()
    e = ctx.Process(target=echo, args=(b, 500))
    e.start()
    x = 0
    for _ in range(500):
        a.send(x)
        x = a.recv()
    e.join()
    with ctx.Pool(4) as pool:
        assert sum(pool.map(square, range(2000), chunksize=50)) == sum(i * i for i in range(2000))
    with ProcessPoolExecutor(2, mp_context=ctx) as ex:
        assert list(ex.map(square, range(200))) == [i * i for i in range(200)]
    with ThreadPoolExecutor(4) as ex:
        assert sum(ex.map(square, range(2000))) == sum(i * i for i in range(2000))
    with ctx.Manager() as m:
        d = m.dict()
        lk = m.Lock()
        for i in range(200):
            with lk:
                d[i] = i
        assert len(d) == 200
    assert total == sum(range(2000)) and x == 500
    sys.stderr.write('INPROC %.6f\n' % (time.perf_counter() - t0))


if __name__ == '__main__':
    main()
