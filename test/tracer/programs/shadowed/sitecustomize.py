"""A sitecustomize that the tracer's shadows (this folder comes after the tracer's on PYTHONPATH):
the tracer must still run it."""
import builtins

builtins.pcb_test_shadowed_ran = True
