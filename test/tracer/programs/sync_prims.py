"""Condition (wait, wait_for, notify, notify_all), Event, Semaphore, BoundedSemaphore, Barrier,
time.sleep, each with a deterministic wait: the waiter is known to be waiting before the wake."""
import threading
import time

cond = threading.Condition()                  # @cond
items = []


def consumer():
    with cond:
        while not items:
            cond.wait()                       # @cond-wait
        items.pop()


c = threading.Thread(target=consumer, name='consumer')
c.start()
while True:                                  # until the consumer waits (it released the lock)
    with cond:
        if cond._waiters:
            items.append(1)
            cond.notify()                     # @notify
            break
    time.sleep(0.001)
c.join()

ready = []


def pred_waiter():
    with cond:
        cond.wait_for(lambda: ready)          # @wait-for


ws = [threading.Thread(target=pred_waiter, name='pw%d' % i) for i in range(2)]
for w in ws:
    w.start()
while True:
    with cond:
        if len(cond._waiters) == 2:
            ready.append(1)
            cond.notify_all()                 # @notify-all
            break
    time.sleep(0.001)
for w in ws:
    w.join()

ev = threading.Event()                        # @event


def ev_waiter():
    ev.wait()                                 # @event-wait


e = threading.Thread(target=ev_waiter, name='evw')
e.start()
while not ev._cond._waiters:
    time.sleep(0.001)
ev.set()                                      # @event-set
e.join()
ev.clear()
print('timed', ev.wait(0.01))                 # @event-timeout

sem = threading.Semaphore(2)                  # @sem
bsem = threading.BoundedSemaphore(1)          # @bsem
sem.acquire()
sem.acquire()


def sem_waiter():
    with sem:                                 # @sem-wait
        pass


s = threading.Thread(target=sem_waiter, name='semw')
s.start()
while not sem._cond._waiters:
    time.sleep(0.001)
sem.release()
s.join()
sem.release()
with bsem:
    pass
try:
    bsem.release()
except ValueError:
    print('bounded')

bar = threading.Barrier(2)                    # @barrier


def bar_waiter():
    bar.wait()                                # @barrier-wait-thread


b = threading.Thread(target=bar_waiter, name='barw')
b.start()
bar.wait()                                    # @barrier-wait-main
b.join()
time.sleep(0.02)                              # @sleep
print('done')
