"""Full mode: a `with lock:` hold that lasts (0.3 s) is shown while it goes on, by an Acquire
(flags 2) the flusher publishes; its Hold ends it."""
import threading
import time

lock = threading.Lock()                       # @lock
with lock:
    time.sleep(0.3)
with lock:  # a short one: written whole, never published
    pass
print('ok')
