"""Using a process pool.

A Pool starts a fixed number of worker processes once and hands them tasks.
pool.map(func, inputs) splits the inputs into chunks, sends the chunks to the
workers and returns the results in the order of the inputs. The functions
must be defined at the top level of the module so the workers can find them.
"""
import collections
import multiprocessing
import time


def func_square(data):
    result = data * data
    return result


def who_squares(data):
    time.sleep(0.01)  # a little work per item, so all workers get a share
    return multiprocessing.current_process().name


if __name__ == "__main__":
    inputs = list(range(0, 100))
    pool = multiprocessing.Pool(processes=4)
    pool_outputs = pool.map(func_square, inputs)
    # Which worker handled each input (the pool gives them names itself).
    workers = pool.map(who_squares, inputs)

    pool.close()  # no more tasks will be submitted
    pool.join()   # wait for the worker processes to exit

    print("Pool:  ", pool_outputs)
    for name, count in sorted(collections.Counter(workers).items()):
        print("%s squared %d of the inputs" % (name, count))
