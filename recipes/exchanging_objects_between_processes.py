"""Exchanging objects between processes.

Processes don't share memory, so objects are sent between them: they are
pickled (turned into bytes), sent, and unpickled into a copy on the other
side. multiprocessing offers two channels:
- Queue: many writers and readers, FIFO, safe to share between processes;
- Pipe: a connection with two ends, here used both ways (duplex).
"""
import multiprocessing


def report_to_queue(q, worker_id):
    # Any picklable object can travel: here a dict with a list inside.
    q.put({"worker": worker_id, "squares": [n * n for n in range(worker_id + 3)]})


def sum_server(conn):
    # Receive lists on our end of the pipe and answer with their sum, until
    # we get None.
    while True:
        numbers = conn.recv()
        if numbers is None:
            break
        conn.send(sum(numbers))
    conn.close()


if __name__ == "__main__":
    # 1) A Queue: the child puts an object, the parent gets a copy of it.
    q = multiprocessing.Queue()
    writer = multiprocessing.Process(target=report_to_queue, args=(q, 1), name="queue-writer")
    writer.start()
    # get() before join(): a child that has put data on a queue does not end
    # until the data has been taken from the pipe under the queue, so joining
    # first can deadlock when the data is large.
    print("from the queue:", q.get())
    writer.join()

    # 2) A Pipe: request/answer in both directions.
    parent_end, child_end = multiprocessing.Pipe()  # duplex by default
    server = multiprocessing.Process(target=sum_server, args=(child_end,), name="pipe-server")
    server.start()
    for numbers in ([1, 2, 3], list(range(10)), [40, 2]):
        parent_end.send(numbers)
        print("sum of %s from the pipe: %s" % (numbers, parent_end.recv()))
    parent_end.send(None)  # ask the server to stop
    server.join()
    print("exit codes: queue-writer %s, pipe-server %s" % (writer.exitcode, server.exitcode))
