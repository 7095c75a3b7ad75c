/**
 * Worker entry (dist/datasetPreview.js; no `vscode`): computes one dataset preview off the extension
 * host thread, since it reads every record and builds the vocabularies as training would. With
 * `specText` the preview uses that spec's settings; without, those `rnn-lab init` would write.
 */
import { parentPort } from 'node:worker_threads';
import { inferSpecFromDataset } from '../../data';
import { previewDataset } from '../../data/preview/datasetPreview';
import type { DataRole } from '../../data/preview/dataRole';
import type { DatasetPreview } from '../../data/preview/previewTypes';
import { parseSpec, resolveSpec } from '../../modelSpec';

export interface DatasetPreviewRequest {
  /** The spec that names the dataset, with its workspace-relative name and the dataset's role in it; absent: infer one. */
  spec?: { text: string; file: string; role: DataRole };
  /** The dataset by the path the spec uses (or its file name when inferred). */
  dataFile: string;
  /** Why the settings are inferred (no spec names the file, or several do). */
  inferredBecause?: string;
  files: Record<string, Uint8Array>;
}

export type DatasetPreviewAnswer = { preview: DatasetPreview } | { error: string };

export function answerPreview(request: DatasetPreviewRequest): DatasetPreviewAnswer {
  const read = (path: string) => {
    const bytes = request.files[path];
    if (!bytes) throw new Error(`${path} was not read`);
    return bytes;
  };
  try {
    if (request.spec) {
      const { text, file, role } = request.spec;
      return { preview: previewDataset(parseSpec(text, file), read, `spec ${file} (this file is its data.${role})`, role) };
    }
    const spec = resolveSpec(inferSpecFromDataset(request.dataFile, read(request.dataFile)));
    return { preview: previewDataset(spec, read, `the settings rnn-lab init would write${request.inferredBecause ? ` (${request.inferredBecause})` : ''}`) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

parentPort?.on('message', (request: DatasetPreviewRequest) => parentPort!.postMessage(answerPreview(request)));
