"""queue.Queue (blocking get, blocking put on a full bounded queue, join), LifoQueue order,
PriorityQueue, SimpleQueue; waits are made deterministic by polling the waiter count."""
import queue
import threading
import time
from queue import Queue, SimpleQueue

q = Queue()                                   # @fifo
got = []


def consumer():
    got.append(q.get())                           # @fifo-get


c = threading.Thread(target=consumer, name='consumer')
c.start()
while not q.not_empty._waiters:
    time.sleep(0.001)
q.put('a')                                    # @fifo-put
c.join()
q.put('b')
q.put('c')
assert q.get() == 'b' and q.get() == 'c'

bq = Queue(maxsize=1)                         # @bounded
bq.put(1)


def putter():
    bq.put(2)                                     # @bounded-put


p = threading.Thread(target=putter, name='putter')
p.start()
while not bq.not_full._waiters:
    time.sleep(0.001)
assert bq.get() == 1
p.join()
assert bq.get() == 2
try:
    bq.get(timeout=0.01)                      # @get-timeout
except queue.Empty:
    print('empty')

lq = queue.LifoQueue()                        # @lifo
for i in range(3):
    lq.put(i)
assert [lq.get() for _ in range(3)] == [2, 1, 0]

pq = queue.PriorityQueue()                    # @prio
pq.put((2, 'x'))
pq.put((1, 'y'))
assert pq.get() == (1, 'y')

sq = SimpleQueue()                            # @simple
sq.put('s')
assert sq.get() == 's'
assert isinstance(sq, queue.SimpleQueue)

jq = Queue()                                  # @joinq
jq.put(1)


def worker():
    jq.get()
    while not jobs_waiting:
        time.sleep(0.001)
    jq.task_done()


jobs_waiting = []
w = threading.Thread(target=worker, name='worker')
w.start()
jobs_waiting.append(1)
jq.join()                                     # @join
w.join()
print('done', got)
