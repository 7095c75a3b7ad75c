/** Which of a spec's data files a dataset is: its `data.train`, `data.validation` (a file) or `data.test`. */
import type { ResolvedSpec } from '../../modelSpec';

export type DataRole = 'train' | 'validation' | 'test';

/** The spec's path (relative to the spec file) of each data file it names. */
export function dataFiles(data: ResolvedSpec['data']): { role: DataRole; path: string }[] {
  return [
    { role: 'train' as const, path: data.train },
    ...(typeof data.validation === 'string' ? [{ role: 'validation' as const, path: data.validation }] : []),
    ...(data.test ? [{ role: 'test' as const, path: data.test }] : []),
  ];
}

/** The role of the file `isIt` recognises (train first, when a spec names one file twice), or undefined. */
export function dataRoleOf(data: ResolvedSpec['data'], isIt: (path: string) => boolean): { role: DataRole; path: string } | undefined {
  return dataFiles(data).find((file) => isIt(file.path));
}
