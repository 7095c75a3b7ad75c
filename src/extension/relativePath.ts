import type * as vscode from 'vscode';

/** POSIX path of `target` relative to `folder` (both in one workspace): `../data/x.csv`. */
export function relativePath(folder: vscode.Uri, target: vscode.Uri): string {
  const from = folder.path.split('/').filter(Boolean);
  const to = target.path.split('/').filter(Boolean);
  let common = 0;
  while (common < from.length && common < to.length && from[common] === to[common]) common++;
  return [...from.slice(common).map(() => '..'), ...to.slice(common)].join('/');
}
