"""Tracer overhead: wall time of the whole traced process / plain, median of N interleaved runs,
per installed CPython 3.8-3.13. A sink in this process drains every connection like the host.

    python3 bench/tracer_overhead.py [--count 1000000] [--runs 5] [--modes smart,full]
                                     [--pythons 3.8,3.13] [--json out.json] [--workload file.py]
"""
import argparse
import glob
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
TRACER = os.path.join(REPO, 'extension', 'tracer')


class DrainSink:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix='pcb-bench-')
        os.chmod(self.dir, 0o700)
        self.path = os.path.join(self.dir, 's.sock')
        self.srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.srv.bind(self.path)
        self.srv.listen(64)
        self.bytes = 0
        self.readers = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                c, _ = self.srv.accept()
            except OSError:
                return
            t = threading.Thread(target=self._drain, args=(c,), daemon=True)
            self.readers.append(t)
            t.start()

    def _drain(self, c):
        n = 0
        while True:
            d = c.recv(1 << 20)
            if not d:
                break
            n += len(d)
        self.bytes += n
        c.close()

    def close(self):
        for t in list(self.readers):
            t.join(10)
        self.srv.close()
        try:
            os.unlink(self.path)
            os.rmdir(self.dir)
        except OSError:
            pass


def traced_env(mode):
    """The environment of a run in `mode` ('plain': no tracer) and its sink (None when plain)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith('PCB_')}
    sink = None
    if mode != 'plain':
        sink = DrainSink()
        env.update(PYTHONPATH=TRACER, PCB_SOCKET=sink.path, PCB_MODE=mode,
                   PCB_T0=str(time.monotonic_ns()))
    return env, sink


def one(py, workload, args, mode):
    env, sink = traced_env(mode)
    t = time.perf_counter()
    p = subprocess.run([py, workload] + args, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if p.returncode != 0:
        raise RuntimeError(p.stderr)
    m = re.search(r'INPROC ([\d.]+)', p.stderr)
    nbytes = 0
    if sink:
        sink.close()
        nbytes = sink.bytes
    return wall, float(m.group(1)) if m else wall, nbytes


def paired_quartiles(plain, traced):
    """The 25th and 75th percentiles of traced / plain wall over the runs, each run paired with
    the plain run just before it: how far a single run's ratio strays (the machine's noise)."""
    r = sorted(t[0] / p[0] for p, t in zip(plain, traced))
    if len(r) < 4:
        return None
    q = statistics.quantiles(r, n=4)
    return [round(q[0], 3), round(q[2], 3)]


def pythons(only):
    root = subprocess.run(['pyenv', 'root'], capture_output=True, text=True).stdout.strip()
    found = {}
    for d in sorted(glob.glob(os.path.join(root, 'versions', '3.*'))):
        v = os.path.basename(d)
        m = re.match(r'^(3\.\d+)\.\d+$', v)
        if m and m.group(1) in ('3.8', '3.9', '3.10', '3.11', '3.12', '3.13'):
            found[m.group(1)] = (v, os.path.join(d, 'bin', 'python3'))
    keys = sorted(found, key=lambda k: int(k.split('.')[1]))
    return [found[k] for k in keys if not only or k in only]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--count', type=int, default=1_000_000)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--runs', type=int, default=5)
    ap.add_argument('--modes', default='smart,full')
    ap.add_argument('--pythons', default='')
    ap.add_argument('--workload', default=os.path.join(HERE, 'tracer_workload_lock.py'))
    ap.add_argument('--json', default='')
    o = ap.parse_args()
    modes = ['plain'] + [m for m in o.modes.split(',') if m]
    only = [x for x in o.pythons.split(',') if x]
    results = {}
    args = [str(o.count), str(o.threads)]
    for version, py in pythons(only):
        data = {m: [] for m in modes}
        for _ in range(o.runs):
            for m in modes:  # interleaved: machine noise hits every mode alike
                data[m].append(one(py, o.workload, args, m))
        base = statistics.median(w for w, _, _ in data['plain'])
        basei = statistics.median(i for _, i, _ in data['plain'])
        row = {}
        for m in modes:
            w = statistics.median(x[0] for x in data[m])
            i = statistics.median(x[1] for x in data[m])
            row[m] = {'wall': round(w, 4), 'ratio': round(w / base, 3), 'inproc': round(i, 4),
                      'ratioInproc': round(i / basei, 3),
                      'bytes': int(statistics.median(x[2] for x in data[m])),
                      'pairedQuartiles': paired_quartiles(data['plain'], data[m])}
        results[version] = row
        print('%-8s ' % version + '  '.join('%s %.3fs x%.2f (inproc x%.2f)' % (
            m, row[m]['wall'], row[m]['ratio'], row[m]['ratioInproc']) for m in modes), flush=True)
    if o.json:
        with open(o.json, 'w') as f:
            json.dump({'count': o.count, 'threads': o.threads, 'runs': o.runs, 'results': results}, f,
                      indent=1)


if __name__ == '__main__':
    main()
