"""A test sink for the tracer: listens on a fresh AF_UNIX socket in a 0700 temp dir, runs a Python
program with the tracer injected, decodes every connection and prints JSON lines.

    python3 sink.py [--python EXE] [--mode smart|full] [--socket ok|missing|close|none]
                    [--timeout S] [--env K=V ...] -- program.py [args...]

Output, one JSON object per line:
  {"conn": n, "rec": {"type": "ThreadStart", "flags":..., "thread":..., "obj":..., "t":..., "a":..., "b":...}}
  {"conn": n, "meta": {...}}                 (the decoded JSON of a meta record)
  {"conn": n, "eof": true, "bad": false}     (the connection ended; bad: malformed bytes seen)
  {"done": true, "rc": code, "stdout": "...", "stderr": "...", "timedOut": false}
Record type names come from extension/tracer/pcb_tracer/schema.py, so the sink and the tracer
cannot disagree silently with each other (the schema test checks schema.py against the TS file).

--socket: ok (default) serve normally; missing: PCB_SOCKET names a path with nothing behind it;
close: accept and close every connection at once (a host that dies); none: PCB_SOCKET unset;
stall: accept, then read nothing for --stall seconds (a host that cannot keep up);
slow: read 8 KiB per connection every 20 ms (~0.4 MB/s: a host that keeps up, slowly).
"""
import argparse
import selectors
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TRACER = os.path.join(os.path.dirname(os.path.dirname(HERE)), 'extension', 'tracer')
sys.path.insert(0, TRACER)
from pcb_tracer.schema import RECORD, META_HEADER, RecordType, MAX_META_BYTES  # noqa: E402

NAMES = {v: k for k, v in vars(RecordType).items() if not k.startswith('_')}


class Decoder:
    def __init__(self):
        self.buf = bytearray()
        self.bad = False

    def feed(self, data):
        """Decoded items of the bytes so far (a record split across reads waits for the rest)."""
        self.buf += data
        out = []
        buf = self.buf
        pos = 0
        while not self.bad:
            if len(buf) - pos < 8:
                break
            typ = buf[pos]
            if typ == RecordType.Meta:
                _, n = META_HEADER.unpack_from(buf, pos)
                if buf[pos + 1:pos + 4] != b'\0\0\0' or n > MAX_META_BYTES:
                    self.bad = True
                    break
                if len(buf) - pos < 8 + n:
                    break
                try:
                    out.append({'meta': json.loads(bytes(buf[pos + 8:pos + 8 + n]).decode('utf-8'))})
                except ValueError:
                    self.bad = True
                    break
                pos += 8 + n
            else:
                if typ not in NAMES:
                    self.bad = True
                    break
                if len(buf) - pos < RECORD.size:
                    break
                typ, flags, thread, obj, t, a, b = RECORD.unpack_from(buf, pos)
                out.append({'rec': {'type': NAMES[typ], 'flags': flags, 'thread': thread,
                                    'obj': obj, 't': t, 'a': a, 'b': b}})
                pos += RECORD.size
        del buf[:pos]
        return out


SLOW_READ_BYTES = 8 << 10
SLOW_PAUSE_S = 0.02


class Sink:
    """One thread serves the listener and every connection with a selector. After the program
    has exited, finish() waits until no connection is pending on the listener and every accepted
    one has ended (a connection made just before the exit can still be in the backlog)."""

    def __init__(self, behaviour='ok', stall=0.0):
        self.stall = stall
        self.dir = tempfile.mkdtemp(prefix='pcb-sink-')
        os.chmod(self.dir, 0o700)
        self.path = os.path.join(self.dir, 'trace.sock')
        self.behaviour = behaviour
        self.lines = []
        self.nconn = 0
        self.server = None
        self.finishing = threading.Event()
        self.done = threading.Event()
        if behaviour in ('ok', 'close', 'stall', 'slow'):
            self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.server.bind(self.path)
            self.server.listen(128)
            threading.Thread(target=self._loop, daemon=True).start()
        else:
            self.done.set()

    def _loop(self):
        sel = selectors.DefaultSelector()
        sel.register(self.server, selectors.EVENT_READ, None)
        open_conns = {}
        stalled = []
        while True:
            now = time.monotonic()
            for item in [x for x in stalled if x[0] <= now]:
                stalled.remove(item)
                sel.register(item[1], selectors.EVENT_READ, item[2])
            # wake for the next paused connection on time (the slow host's rate depends on it)
            events = sel.select(min([0.05] + [max(0.0, x[0] - now) for x in stalled]))
            for key, _ in events:
                if key.data is None:
                    conn, _ = self.server.accept()
                    if self.behaviour == 'close':
                        conn.close()
                        continue
                    self.nconn += 1
                    state = [self.nconn, Decoder()]
                    open_conns[conn] = state
                    if self.behaviour == 'stall':  # a host that does not read for a while
                        stalled.append((time.monotonic() + self.stall, conn, state))
                    else:
                        sel.register(conn, selectors.EVENT_READ, state)
                else:
                    conn = key.fileobj
                    n, dec = key.data
                    try:
                        data = conn.recv(SLOW_READ_BYTES if self.behaviour == 'slow' else 1 << 16)
                    except OSError:
                        data = b''
                    if data and self.behaviour == 'slow':
                        sel.unregister(conn)
                        stalled.append((time.monotonic() + SLOW_PAUSE_S, conn, key.data))
                    if data:
                        for it in dec.feed(data):
                            it['conn'] = n
                            self.lines.append(it)
                    else:
                        sel.unregister(conn)
                        conn.close()
                        del open_conns[conn]
                        self.lines.append({'conn': n, 'eof': True, 'bad': dec.bad or len(dec.buf) > 0})
            if self.finishing.is_set() and not open_conns and not events:
                break  # nothing pending on the listener, every connection ended
        sel.close()
        self.done.set()

    def finish(self, timeout):
        self.finishing.set()
        return self.done.wait(timeout)

    def close(self):
        if self.server is not None:
            self.server.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--python', default=sys.executable)
    ap.add_argument('--mode', default=None)
    ap.add_argument('--socket', default='ok', choices=['ok', 'missing', 'close', 'none', 'stall', 'slow'])
    ap.add_argument('--stall', type=float, default=1.0)
    ap.add_argument('--timeout', type=float, default=60)
    ap.add_argument('--env', action='append', default=[])
    ap.add_argument('--stdin', default=None)
    ap.add_argument('argv', nargs=argparse.REMAINDER)
    o = ap.parse_args()
    argv = o.argv[1:] if o.argv and o.argv[0] == '--' else o.argv
    sink = Sink(o.socket, o.stall)
    env = {k: v for k, v in os.environ.items() if not k.startswith('PCB_')}
    pp = env.get('PYTHONPATH')
    env['PYTHONPATH'] = TRACER + (os.pathsep + pp if pp else '')
    if o.socket != 'none':
        env['PCB_SOCKET'] = sink.path
        env['PCB_T0'] = str(time.monotonic_ns())
        env['PCB_RUN_ID'] = 'test'
        if o.mode:
            env['PCB_MODE'] = o.mode
    for kv in o.env:
        k, _, v = kv.partition('=')
        env[k] = v
    p = subprocess.Popen([o.python] + argv, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, start_new_session=True)
    timed_out = False
    try:
        out, err = p.communicate(o.stdin.encode() if o.stdin else None, timeout=o.timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
    # every connection ends when its process is gone (bounded: a daemon child may linger)
    if not sink.finish(10):
        try:
            os.killpg(p.pid, signal.SIGKILL)  # stray processes of the tree still connected
        except OSError:
            pass
        sink.finish(10)
    sink.close()
    w = sys.stdout.write
    for line in list(sink.lines):
        w(json.dumps(line) + '\n')
    w(json.dumps({'done': True, 'rc': p.returncode, 'timedOut': timed_out,
                  'stdout': out.decode('utf-8', 'replace'),
                  'stderr': err.decode('utf-8', 'replace')}) + '\n')


if __name__ == '__main__':
    main()
