"""argv: [seconds of alarms (0: none, for 3.8/3.9 where handlers nest into RecursionError even
untraced)]. A 2 kHz SIGALRM handler that takes the same traced lock as the interrupted loop: it must never
deadlock (a handler may not run inside the tracer's lock wrappers). Then Ctrl-C (SIGINT) must
still interrupt a thread blocked on a lock, and signal.getsignal must report the program's own
handlers."""
import os
import signal
import sys
import threading
import time

lock = threading.Lock()
rlock = threading.RLock()
hits = [0]


def on_alarm(signum, frame):
    with lock:
        hits[0] += 1
    with rlock:
        pass


assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
prev = signal.signal(signal.SIGALRM, on_alarm)
assert signal.getsignal(signal.SIGALRM) is on_alarm, signal.getsignal(signal.SIGALRM)
seconds = float(sys.argv[1] if len(sys.argv) > 1 else 1.0)
if seconds > 0:
    signal.setitimer(signal.ITIMER_REAL, 0.0005, 0.0005)
else:
    hits[0] = 1
n = 0
deadline = time.monotonic() + seconds
while n == 0 or time.monotonic() < deadline:
    for _ in range(1000):
        with lock:
            n += 1
        with rlock:
            n += 1
signal.setitimer(signal.ITIMER_REAL, 0, 0)
signal.signal(signal.SIGALRM, signal.SIG_DFL)
print('alarm ok', hits[0] > 0, n > 0)

held = threading.Lock()
held.acquire()


def interrupt():
    time.sleep(0.2)
    os.kill(os.getpid(), signal.SIGINT)


threading.Thread(target=interrupt, daemon=True).start()
try:
    held.acquire()                                # blocked until Ctrl-C
except KeyboardInterrupt:
    print('interrupted ok')
