"""An idle process's flusher goes into its idle sleep (made an hour long here), and the first
record written then wakes it: the record is sent at once, not at the next tick. Twice: an object
declaration (a meta), then an Event.set (a fixed record). Prints what it saw."""
import threading
import time

from pcb_tracer import channel

channel.IDLE_INTERVAL_S = 3600.0
nap = channel._sleep  # the original time.sleep: the traced one writes records, which is activity


def wait_for(cond, timeout=20.0):
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            return False
        nap(0.005)
    return True


print('idle', wait_for(lambda: channel._idle))
# its declaration is the first record since the flusher went idle
ev = threading.Event()  # @ev
print('declared, sent', wait_for(lambda: not channel.buf))
print('idle again', wait_for(lambda: channel._idle))
ev.set()
print('set, sent', wait_for(lambda: not channel.buf))
