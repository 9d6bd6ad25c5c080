"""More multiprocessing primitives under one start method (argv[1]): Condition, Barrier,
JoinableQueue, SimpleQueue, Value's lock, a one-way Pipe, a Manager (under spawn it pickles
threading.Lock), and a ThreadPoolExecutor."""
import multiprocessing as mp
import sys
from concurrent.futures import ThreadPoolExecutor


def child(cond, bar, jq, sq, val, rd):
    with cond:                                    # @child-cond-lock
        cond.notify()                             # @child-notify
    bar.wait()                                    # @child-barrier
    item = jq.get()
    jq.task_done()
    sq.put(item * 2)
    with val.get_lock():                          # @child-value-lock
        val.value += 1
    print('pipe', rd.recv(), flush=True)


def double(x):
    return 2 * x


if __name__ == '__main__':
    ctx = mp.get_context(sys.argv[1])
    cond = ctx.Condition()                        # @cond
    bar = ctx.Barrier(2)                          # @barrier
    jq = ctx.JoinableQueue()                      # @jq
    sq = ctx.SimpleQueue()                        # @sq
    val = ctx.Value('i', 0)                       # @value
    rd, wr = ctx.Pipe(duplex=False)               # @oneway
    with cond:
        p = ctx.Process(target=child, args=(cond, bar, jq, sq, val, rd), name='kid')
        p.start()
        cond.wait()                               # @parent-wait
    bar.wait()                                    # @parent-barrier
    jq.put(21)
    jq.join()                                     # @jq-join
    print('sq', sq.get())                         # @sq-get
    wr.send('over')
    p.join()
    print('value', val.value)
    with ctx.Manager() as m:
        ml = m.Lock()
        with ml:
            print('manager lock ok')
    with ThreadPoolExecutor(2) as ex:             # @tpe
        print('tpe', list(ex.map(double, range(3))))
    print('exit', p.exitcode)
