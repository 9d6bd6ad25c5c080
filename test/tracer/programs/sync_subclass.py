"""Subclasses of threading.Condition and threading.Event made by the program, notifyAll, and the
stdlib's own Conditions (a queue.Queue's), which must stay untraced."""
import queue
import threading
import time


class MyCond(threading.Condition):
    def __init__(self):
        super().__init__()                       # @cond-init
        self.items = []


class MyEvent(threading.Event):
    pass


cond = MyCond()                                  # @cond
ev = MyEvent()                                   # @event
q = queue.Queue()                                # @queue


def consumer():
    with cond:
        while not cond.items:
            cond.wait()                          # @wait
    ev.wait()                                    # @ev-wait


t = threading.Thread(target=consumer, name='consumer')
t.start()
time.sleep(0.05)
with cond:
    cond.items.append(1)
    cond.notifyAll()                             # @notify-all
time.sleep(0.05)
ev.set()                                         # @set
t.join()
q.put(1)
q.get()
print('types', type(cond).__name__, type(ev).__name__, isinstance(cond, MyCond),
      isinstance(cond, threading.Condition), isinstance(ev, MyEvent))
print('stdlib class', type(q.not_empty) is threading.Condition)
