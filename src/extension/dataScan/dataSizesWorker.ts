/**
 * Worker entry (dist/dataSizes.js; no `vscode`), the data scan off the extension host thread:
 * - a DataSizesRequest reads a spec's dataset the way training does (`prepareDataset`, then
 *   `toNetworkConfig`) and answers with the sizes only the data knows, so the architecture view can
 *   print real vocabulary, class and feature counts (building a vocabulary walks every byte);
 * - DatasetFactsRequests (any number, one answer each) count a data file's records and tell its
 *   purpose, for the Datasets view.
 */
import { parentPort } from 'node:worker_threads';
import { prepareDataset, toNetworkConfig } from '../../data';
import { parseSpec } from '../../modelSpec';
import type { DataSizes } from '../panels/diagramModel';
import { datasetFacts, type DatasetFacts } from './datasetFacts';

export interface DataSizesRequest {
  specText: string;
  specFile: string;
  /** Data files by the path the spec uses. */
  files: Record<string, Uint8Array>;
}

export type DataSizesAnswer = { sizes: Partial<DataSizes> } | { error: string };

export interface DatasetFactsRequest { kind: 'datasetFacts'; id: number; fileName: string; bytes: Uint8Array }
export interface DatasetFactsAnswer { id: number; facts: DatasetFacts | undefined }

function dataSizes(request: DataSizesRequest): Partial<DataSizes> {
  const spec = parseSpec(request.specText, request.specFile);
  const data = prepareDataset(spec, (relPath) => {
    const bytes = request.files[relPath];
    if (!bytes) throw new Error(`${relPath} was not read`);
    return bytes;
  });
  const config = toNetworkConfig(spec, data);
  const generates = config.task === 'seq2seq' || config.task === 'one-to-many';
  return {
    ...(config.input.kind === 'tokens' ? { inputVocab: config.input.vocabSize } : { featureSize: config.input.size }),
    ...(generates ? {} : { outputSize: config.output.size }),
    ...(config.decoder ? { outputVocab: config.decoder.vocabSize } : {}),
    ...(config.initVectorSize !== undefined ? { initVectorSize: config.initVectorSize } : {}),
  };
}

const isFactsRequest = (request: DataSizesRequest | DatasetFactsRequest): request is DatasetFactsRequest =>
  (request as DatasetFactsRequest).kind === 'datasetFacts';

parentPort?.on('message', (request: DataSizesRequest | DatasetFactsRequest) => {
  if (isFactsRequest(request)) {
    let facts: DatasetFacts | undefined;
    try {
      facts = datasetFacts(request.fileName, request.bytes);
    } catch {
      facts = undefined;
    }
    parentPort!.postMessage({ id: request.id, facts } satisfies DatasetFactsAnswer);
    return;
  }
  let answer: DataSizesAnswer;
  try {
    answer = { sizes: dataSizes(request) };
  } catch (error) {
    answer = { error: error instanceof Error ? error.message : String(error) };
  }
  parentPort!.postMessage(answer);
});
