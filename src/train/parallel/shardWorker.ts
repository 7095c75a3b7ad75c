/**
 * A shard worker of the training thread pool (worker_threads; bundled to dist/shardWorker.js).
 * It owns a replica of the model on its own backend instance, sleeps in `Atomics.wait` until the
 * main thread posts a step, copies the shared parameters in, computes its shard (shardCompute.ts),
 * writes the result to shared memory and signals. No message is exchanged per step; the port only
 * carries a buffer that grew (rare) and an error's text.
 */
import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import { RecurrentModel } from '../../engine/model';
import { isBackendPreference, selectBackend } from '../../engine/kernels/selectBackend';
import { stackConfigs } from '../../engine/networkShapes';
import {
  COMMAND_EXIT, commandWord, doneWord, exitCodeWord, exitedWord, failedWord, readyWord, sequenceWord, takenWord, type PortMessage, type ShardWorkerData,
} from './shardControl';
import { computeShard, writeShardResult } from './shardCompute';
import { decodeRequest, SharedWords } from './shardMailbox';

const data = workerData as ShardWorkerData;
const k = data.index;
const control = new Int32Array(data.control);
const parameters = new Float32Array(data.parameters);

// However this thread ends (process.exit, an uncaught error, the exit command), the main thread
// learns it from shared memory at once, even while it blocks waiting for this worker's step.
process.on('exit', (code) => {
  Atomics.store(control, exitCodeWord(k), code);
  Atomics.store(control, exitedWord(k), 1);
  Atomics.notify(control, doneWord(k));
});

/** The replica, on the backend the main thread uses; tells the main thread (ready word) either way. */
function buildModel(): RecurrentModel {
  try {
    const preferred = isBackendPreference(data.backend) ? data.backend : 'ts';
    // V8 flags (relaxed SIMD) are per process: the backend the main thread validated validates here too.
    const backend = selectBackend({ preferred }).backend;
    if (backend.name !== data.backend) throw new Error(`backend ${data.backend} does not validate in this thread (got ${backend.name})`);
    const replica = RecurrentModel.create(data.network, { seed: 0, backend });
    Atomics.store(control, readyWord(k), 1);
    return replica;
  } catch (error) {
    data.port.postMessage({ error: error instanceof Error ? error.message : String(error) } satisfies PortMessage);
    Atomics.store(control, readyWord(k), -1);
    throw error;
  } finally {
    Atomics.notify(control, readyWord(k));
  }
}

const model = buildModel();
const stateWidth = stackConfigs(data.network).main.hiddenSize;
const dropout = data.network.dropout > 0;
let request = new SharedWords(64);
let result = new SharedWords(64);

function adoptBuffers(): void {
  for (let m = receiveMessageOnPort(data.port); m; m = receiveMessageOnPort(data.port)) {
    const message = m.message as PortMessage;
    if (message.request) request = SharedWords.of(message.request);
    if (message.result) result = SharedWords.of(message.result);
  }
}

function loadParameters(): void {
  let offset = 0;
  for (const p of model.params) {
    p.data.set(parameters.subarray(offset, offset + p.data.length));
    offset += p.data.length;
  }
}

let seen = 0;
for (;;) {
  Atomics.wait(control, sequenceWord(k), seen);
  seen = Atomics.load(control, sequenceWord(k));
  Atomics.store(control, takenWord(k), seen);
  if (Atomics.load(control, commandWord(k)) === COMMAND_EXIT) break;
  try {
    adoptBuffers();
    loadParameters();
    const decoded = decodeRequest(request);
    const outcome = computeShard(model, decoded, k, dropout);
    const buffer = result.buffer;
    writeShardResult(result, model, outcome, decoded.batch.batchSize * stateWidth);
    if (result.buffer !== buffer) data.port.postMessage({ result: result.buffer } satisfies PortMessage);
    Atomics.store(control, failedWord(k), 0);
  } catch (error) {
    data.port.postMessage({ error: error instanceof Error ? error.message : String(error) } satisfies PortMessage);
    Atomics.store(control, failedWord(k), 1);
  }
  Atomics.store(control, doneWord(k), seen);
  Atomics.notify(control, doneWord(k));
}
data.port.close();
