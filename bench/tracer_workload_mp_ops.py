"""One operation of the multiprocessing workload (bench/tracer_workload_mp.py), repeated in one
process, for counting the tracer's instructions per operation (bench/tracer_instructions.py).
Everything counted runs in this process: valgrind counts each process apart.

    python3 tracer_workload_mp_ops.py OPERATION COUNT

Operations (what one repetition is):
  queuePutGet      put() of an int on a multiprocessing.Queue, and its get() once it is readable
                   (the feeder thread's pickling and send included)
  pipeSendRecv     send() on one end of a Pipe, recv() on the other (the data is there: no wait)
  threadPoolTask   one task of ThreadPoolExecutor(4).map(): submit, run in a worker, result
  managerCall      d[i] = i on a Manager's dict proxy: this client's side of the round trip
"""
import multiprocessing as mp
import sys
import time
from concurrent.futures import ThreadPoolExecutor


def square(x):
    return x * x


def queue_put_get(n):
    q = mp.Queue()
    for i in range(n):
        q.put(i)
    while q._buffer:  # every item sent by the feeder thread: no get() below has to wait
        time.sleep(0.01)
    for _ in range(n):
        q.get()


def pipe_send_recv(n):
    a, b = mp.Pipe()
    for i in range(n):
        a.send(i)
        b.recv()


def thread_pool_task(n):
    with ThreadPoolExecutor(4) as ex:
        assert sum(ex.map(square, range(n))) == sum(i * i for i in range(n))


def manager_call(n):
    with mp.Manager() as m:
        d = m.dict()
        for i in range(n):
            d[i] = i


OPERATIONS = {'queuePutGet': queue_put_get, 'pipeSendRecv': pipe_send_recv,
              'threadPoolTask': thread_pool_task, 'managerCall': manager_call}

if __name__ == '__main__':
    OPERATIONS[sys.argv[1]](int(sys.argv[2]))
