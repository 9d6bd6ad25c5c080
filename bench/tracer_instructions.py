"""Tracer cost in instructions, which the machine's load does not change (wall-clock ratios on 2
busy cores move by tens of percent, and the plain 2-thread lock loop itself sometimes falls into
a lock convoy). Counted by valgrind's callgrind on ONE thread of the lock loop: instructions
per `with lock:` iteration, traced / plain, from the difference between two loop lengths (so
start-up and exit cancel out). The flusher thread's work is included. Each length runs REPEAT
times and the fewest instructions count: a run now and then gains ~500 instructions per
iteration from something timing-dependent (thread scheduling under valgrind), never loses any.

With --operations, the same count per operation of the multiprocessing workload instead (see
bench/tracer_workload_mp_ops.py), in smart mode: where its wall ratio comes from, operation by
operation, without the noise of ten processes sharing two cores. Only the process that runs the
operations is counted (a Manager's server process is not).

    python3 bench/tracer_instructions.py [--pythons 3.8,3.13] [--modes smart,full] [--json out.json]
    python3 bench/tracer_instructions.py --operations [--pythons 3.8,3.13] [--json out.json]

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
OPS_WORKLOAD = os.path.join(HERE, 'tracer_workload_mp_ops.py')
OPERATIONS = ('queuePutGet', 'pipeSendRecv', 'threadPoolTask', 'managerCall')
# a queue's items must fit in its pipe (64 KiB) before the first get: see the workload
OPS_SHORT, OPS_LONG = 200, 1200
OPS_REPEAT = 1  # these counts vary by ~0.5% from run to run (the lock loop's by more)


def instructions(py, mode, args):
    """Instructions of the process that runs `args` (not of the children it forks)."""
    env, sink = traced_env(mode)
    env['PYTHONHASHSEED'] = '0'  # the same dict layouts in both runs: their start-ups cancel out
    if sink:
        # The flusher ticks by the wall clock, and valgrind runs the program ~50x slower: at the
        # real 10 ms its ticks (and the GIL handoffs they force) would cost each iteration ~50x
        # their real share, varying with the machine's load. 0.5 s keeps their real proportion.
        env['PCB_FLUSH_INTERVAL_S'] = '0.5'
    p = subprocess.Popen(['valgrind', '--tool=callgrind', '--callgrind-out-file=/dev/null', py]
                         + args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         text=True)
    err = p.communicate()[1]
    if sink:
        sink.close()
    # valgrind runs the program in its own process: its pid is the program's
    m = re.search(r'^==%d== .*refs:\s*([\d,]+)' % p.pid, err, re.M)
    if p.returncode != 0 or not m:
        raise RuntimeError(err[-2000:])
    return int(m.group(1).replace(',', ''))


def per_repetition(py, mode, argv, short, long, repeat):
    """Instructions per repetition of a loop: argv(count) runs `count` of them; the fewest of
    `repeat` runs at each length count, and the long run minus the short one cancels start-up."""
    def fewest(count):
        return min(instructions(py, mode, argv(count)) for _ in range(repeat))
    return (fewest(long) - fewest(short)) / (long - short)


def per_iteration(py, mode):
    return per_repetition(py, mode, lambda n: [WORKLOAD, str(n), '1'], SHORT, LONG, REPEAT)


def per_operation(py, mode, op):
    return per_repetition(py, mode, lambda n: [OPS_WORKLOAD, op, str(n)], OPS_SHORT, OPS_LONG,
                          OPS_REPEAT)


def operations_row(version, py):
    row = {}
    for op in OPERATIONS:
        plain, smart = per_operation(py, 'plain', op), per_operation(py, 'smart', op)
        row[op] = {'plain': round(plain), 'smart': round(smart), 'ratio': round(smart / plain, 3)}
    print('%-8s ' % version + '  '.join('%s %d -> %d (x%.2f)' % (
        op, r['plain'], r['smart'], r['ratio']) for op, r in row.items()), flush=True)
    return row


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--pythons', default='')
    ap.add_argument('--modes', default='smart,full')
    ap.add_argument('--operations', action='store_true')
    ap.add_argument('--json', default='')
    o = ap.parse_args()
    results = {}
    only = [x for x in o.pythons.split(',') if x]
    if shutil.which('valgrind') is None:
        print('valgrind is not installed: no instruction counts', flush=True)
    elif o.operations:
        for version, py in pythons(only):
            results[version] = operations_row(version, py)
    else:
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
