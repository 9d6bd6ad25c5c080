"""How a process ends, chosen by argv[1]: normal, sysexit, exception, osexit, signal, and
subprocess/exec/fork-exec/child-signal cases that start other Python processes."""
import os
import signal
import subprocess
import sys
import threading
import time

how = sys.argv[1]
lock = threading.Lock()
with lock:
    pass
if how == 'normal':
    print('bye')
elif how == 'sysexit':
    sys.exit(4)
elif how == 'exception':
    def inner():
        raise KeyError('unhandled here')             # @raise
    inner()
elif how == 'osexit':
    t0 = time.monotonic()
    ev = threading.Event()                           # @osexit-event
    ev.set()
    os._exit(9)
elif how == 'signal':
    os.kill(os.getpid(), signal.SIGKILL)
elif how == 'subprocess':
    r = subprocess.run([sys.executable, __file__, 'sysexit'])
    print('child rc', r.returncode)
    p = subprocess.Popen([sys.executable, __file__, 'signal'])
    p.wait()
    print('killed rc', p.returncode)
elif how == 'exec':
    sys.stdout.flush()
    os.execv(sys.executable, [sys.executable, __file__, 'sysexit'])
elif how == 'fork-exec':
    pid = os.fork()
    if pid == 0:  # the forked child execs: the new image is an "exec" of the child, not of us
        os.execv(sys.executable, [sys.executable, __file__, 'sysexit'])
    status = os.waitpid(pid, 0)[1]
    print('child rc', os.WEXITSTATUS(status))
