"""Tracer cost in instructions, which the machine's load does not change (wall-clock ratios on 2
busy cores move by tens of percent, and the plain 2-thread lock loop itself sometimes falls into
a lock convoy). Counted by valgrind's callgrind on ONE thread of the lock loop: instructions
per `with lock:` iteration, traced / plain, from the difference between two loop lengths (so
start-up and exit cancel out). The flusher thread's work is included. Each length runs REPEAT
times and the fewest instructions count: a run now and then gains ~500 instructions per
iteration from something timing-dependent (thread scheduling under valgrind), never loses any.

    python3 bench/tracer_instructions.py [--pythons 3.8,3.13] [--modes smart,full] [--json out.json]

Prints nothing useful without valgrind (the figures are then reported as unavailable).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from tracer_overhead import pythons, traced_env  # noqa: E402

WORKLOAD = os.path.join(HERE, 'tracer_workload_lock.py')
SHORT, LONG = 10_000, 40_000
REPEAT = 3


def instructions(py, mode, count):
    env, sink = traced_env(mode)
    env['PYTHONHASHSEED'] = '0'  # the same dict layouts in both runs: their start-ups cancel out
    if sink:
        # The flusher ticks by the wall clock, and valgrind runs the program ~50x slower: at the
        # real 10 ms its ticks (and the GIL handoffs they force) would cost each iteration ~50x
        # their real share, varying with the machine's load. 0.5 s keeps their real proportion.
        env['PCB_FLUSH_INTERVAL_S'] = '0.5'
    p = subprocess.run(['valgrind', '--tool=callgrind', '--callgrind-out-file=/dev/null', py,
                        WORKLOAD, str(count), '1'], env=env, capture_output=True, text=True)
    if sink:
        sink.close()
    m = re.search(r'refs:\s*([\d,]+)', p.stderr)
    if p.returncode != 0 or not m:
        raise RuntimeError(p.stderr[-2000:])
    return int(m.group(1).replace(',', ''))


def per_iteration(py, mode):
    def fewest(count):
        return min(instructions(py, mode, count) for _ in range(REPEAT))
    return (fewest(LONG) - fewest(SHORT)) / (LONG - SHORT)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--pythons', default='')
    ap.add_argument('--modes', default='smart,full')
    ap.add_argument('--json', default='')
    o = ap.parse_args()
    results = {}
    if shutil.which('valgrind') is None:
        print('valgrind is not installed: no instruction counts', flush=True)
    else:
        only = [x for x in o.pythons.split(',') if x]
        modes = [m for m in o.modes.split(',') if m]
        for version, py in pythons(only):
            plain = per_iteration(py, 'plain')
            row = {'plainPerIteration': round(plain)}
            for m in modes:
                row[m] = round(per_iteration(py, m) / plain, 3)
            results[version] = row
            print('%-8s plain %d instructions/iteration  ' % (version, plain) + '  '.join(
                '%s x%.2f' % (m, row[m]) for m in modes), flush=True)
    if o.json:
        with open(o.json, 'w') as f:
            json.dump({'results': results}, f, indent=1)


if __name__ == '__main__':
    main()
