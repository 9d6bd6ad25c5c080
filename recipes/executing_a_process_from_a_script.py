"""Executing a process from a script.

This script (the "calling" process) replaces itself with a second Python
program, helpers/called_process.py, using os.execv. exec does not start a
new process next to this one: the same process (same pid) stops running this
program and starts running the other one. Nothing after the exec call runs.
"""
import os
import sys

# Find the called script next to this file, not in the current directory:
# the recipe must work whatever directory it is started from.
HERE = os.path.dirname(os.path.abspath(__file__))
CALLED = os.path.join(HERE, "helpers", "called_process.py")

print("Process calling (pid %d): exec'ing %s" % (os.getpid(), os.path.basename(CALLED)))

# os.exec* throws away this program's memory, including Python's output
# buffers: anything printed but not yet written would be lost. Flush first.
sys.stdout.flush()
sys.stderr.flush()

# sys.executable is the interpreter running this script. A bare "python" from
# PATH may be another version, or may not exist at all.
program = sys.executable
arguments = [CALLED]

# execv's second argument becomes the new program's sys.argv (argv[0] first).
os.execv(program, [program] + arguments)

# Never reached: exec only returns if it fails, and then it raises OSError.
