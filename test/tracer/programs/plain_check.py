"""Prints what the tracer would have changed, so a test can check that nothing was."""
import os
import sys
import threading
import time

print('modules', 'pcb_tracer' in sys.modules)
print('lock', threading.Lock is __import__('_thread').allocate_lock or threading.Lock.__module__ == '_thread')
print('sleep', time.sleep.__module__ if hasattr(time.sleep, '__module__') else None, type(time.sleep).__name__)
print('parent_env', 'PCB_PARENT' in os.environ)
t = threading.Thread(target=lambda: None)
t.start()
t.join()
print('ok')
