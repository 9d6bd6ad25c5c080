"""Run with a sitecustomize of its own further down PYTHONPATH (programs/shadowed): the tracer's
sitecustomize must have run it too, and traced the program."""
import builtins
import sys

print('shadowed', getattr(builtins, 'pcb_test_shadowed_ran', False))
print('traced', 'pcb_tracer' in sys.modules)
