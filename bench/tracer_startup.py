"""Process start cost of the tracer: wall time of `python -c pass`, plain vs traced, median of N,
per installed CPython 3.8-3.13. With PYTHONDONTWRITEBYTECODE=1 (as on these machines) nothing is
cached unless the tracer's .pyc files already exist: --compile precompiles them first.

    python3 bench/tracer_startup.py [--runs 20] [--pythons 3.11] [--compile]
"""
import argparse
import compileall
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from tracer_overhead import DrainSink, TRACER, pythons  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--runs', type=int, default=20)
    ap.add_argument('--pythons', default='')
    ap.add_argument('--compile', action='store_true')
    o = ap.parse_args()
    only = [x for x in o.pythons.split(',') if x]
    sink = DrainSink()
    for version, py in pythons(only):
        if o.compile:
            subprocess.run([py, '-m', 'compileall', '-q', TRACER], check=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith('PCB_')}
        traced = dict(env, PYTHONPATH=TRACER, PCB_SOCKET=sink.path, PCB_T0=str(time.monotonic_ns()))
        times = {'plain': [], 'traced': []}
        for _ in range(o.runs):
            for name, e in (('plain', env), ('traced', traced)):
                t = time.perf_counter()
                subprocess.run([py, '-c', 'pass'], env=e, check=True)
                times[name].append(time.perf_counter() - t)
        p, t = statistics.median(times['plain']), statistics.median(times['traced'])
        print('%-8s plain %.1f ms  traced %.1f ms  (+%.1f ms)%s' % (
            version, p * 1e3, t * 1e3, (t - p) * 1e3, '  precompiled' if o.compile else ''), flush=True)
    sink.close()


if __name__ == '__main__':
    main()
