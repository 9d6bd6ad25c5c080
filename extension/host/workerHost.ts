/**
 * Entry point of the worker host (dist/workerHost.js): one worker thread per run, so decoding
 * and modelling a trace of millions of records never runs on the extension host's thread.
 */
import { parentPort, workerData } from 'worker_threads';
import { HostToOwner, OwnerToHost, RunRequest } from '../protocol';
import { RunEngine } from './runEngine';

if (!parentPort) throw new Error('workerHost.js must run as a worker thread');
const port = parentPort;
const engine = new RunEngine(workerData as RunRequest, (message: HostToOwner) => port.postMessage(message));
port.on('message', (message: OwnerToHost) => engine.handle(message));
void engine.start();
