"""multiprocessing under one start method (argv[1]): Process with shared primitives, Pool,
ProcessPoolExecutor. Deterministic: every wait is released by the other side explicitly."""
import multiprocessing as mp
import sys
from concurrent.futures import ProcessPoolExecutor


def child(lock, q, ev, conn, sem):
    with lock:                                    # @child-lock
        q.put('hello')                            # @child-put
    sem.release()
    conn.send('ping')                             # @child-send
    ev.wait()                                     # @child-wait
    sys.exit(5)


def square(x):
    return x * x


if __name__ == '__main__':
    ctx = mp.get_context(sys.argv[1])
    lock = ctx.Lock()                             # @lock
    q = ctx.Queue()                               # @queue
    ev = ctx.Event()                              # @event
    sem = ctx.Semaphore(0)                        # @sem
    a, b = ctx.Pipe()                             # @pipe
    p = ctx.Process(target=child, args=(lock, q, ev, b, sem), name='kid')
    p.start()
    print('got', q.get())                         # @parent-get
    print('recv', a.recv())                       # @parent-recv
    sem.acquire()
    ev.set()
    p.join()                                      # @join
    print('exit', p.exitcode)
    with ctx.Pool(2) as pool:                     # @pool
        print('map', pool.map(square, range(4), chunksize=1))
    with ProcessPoolExecutor(2, mp_context=ctx) as ex:   # @ppe
        futs = [ex.submit(square, i) for i in range(3)]
        print('ppe', [f.result() for f in futs])
