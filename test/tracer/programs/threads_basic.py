"""Two named threads, one raising; the main thread joins both and exits with code 3."""
import sys
import threading


def work():
    pass


def boom():
    raise ValueError('boom in thread')


a = threading.Thread(target=work, name='worker-a')
b = threading.Thread(target=boom, name='worker-b', daemon=True)
a.start()
b.start()
a.join()
b.join()
a.name = 'renamed-after-exit'
print('threads', threading.active_count())
sys.exit(3)
