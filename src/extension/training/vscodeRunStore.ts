import * as vscode from 'vscode';
import { writeSetJournaled } from '../../train/checkpointSet';
import type { RunStore } from '../../train/runStore';

/** `<file>.<pid>.<ms>.tmp`: the temporary sibling of an atomic write. */
const TEMPORARY = /\.\d+\.\d+\.tmp$/;

/**
 * The extension's RunStore: run files under one runs folder, written through `vscode.workspace.fs`
 * so that runs of remote and virtual workspaces stay in the workspace. Atomic writes go to a
 * temporary sibling first and are renamed over the target.
 */
/** Run folders claimed by this extension host, by URI: `workspace.fs` has no exclusive mkdir, so claims are settled here first. */
const claimedFolders = new Set<string>();

export class VscodeRunStore implements RunStore {
  /** Folders known to exist, to spare a round trip per write. */
  private readonly folders = new Set<string>();

  constructor(readonly runsFolder: vscode.Uri) {}

  uriOf(relPath: string): vscode.Uri {
    return relPath ? vscode.Uri.joinPath(this.runsFolder, ...relPath.split('/')) : this.runsFolder;
  }

  async writeFileAtomic(relPath: string, bytes: Uint8Array): Promise<void> {
    const target = this.uriOf(relPath);
    const temporary = target.with({ path: `${target.path}.${process.pid}.${Date.now()}.tmp` });
    const folder = vscode.Uri.joinPath(target, '..');
    if (!this.folders.has(folder.toString())) {
      await vscode.workspace.fs.createDirectory(folder);
      this.folders.add(folder.toString());
    }
    await vscode.workspace.fs.writeFile(temporary, bytes);
    await vscode.workspace.fs.rename(temporary, target, { overwrite: true });
  }

  async rename(from: string, to: string): Promise<void> {
    await vscode.workspace.fs.rename(this.uriOf(from), this.uriOf(to), { overwrite: true });
  }

  /** Journal files are written in place (one round trip each instead of two): only commit.json commits a set. */
  writeSet(relDir: string, files: Record<string, Uint8Array>): Promise<void> {
    let folderMade = false;
    return writeSetJournaled(this, relDir, files, async (relPath, bytes) => {
      const uri = this.uriOf(relPath);
      if (!folderMade) await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(uri, '..'));
      folderMade = true;
      await vscode.workspace.fs.writeFile(uri, bytes);
    });
  }

  async removeTemporaries(relDir: string): Promise<number> {
    const temporaries = (await this.list(relDir)).filter((name) => TEMPORARY.test(name));
    for (const name of temporaries) await vscode.workspace.fs.delete(this.uriOf(`${relDir}/${name}`), { useTrash: false });
    return temporaries.length;
  }

  async readFile(relPath: string): Promise<Uint8Array> {
    return vscode.workspace.fs.readFile(this.uriOf(relPath));
  }

  async exists(relPath: string): Promise<boolean> {
    try {
      await vscode.workspace.fs.stat(this.uriOf(relPath));
      return true;
    } catch {
      return false;
    }
  }

  async list(relDir: string): Promise<string[]> {
    try {
      const entries = await vscode.workspace.fs.readDirectory(this.uriOf(relDir));
      return entries.map(([name]) => name).sort();
    } catch {
      return [];
    }
  }

  async mkdir(relDir: string): Promise<void> {
    await vscode.workspace.fs.createDirectory(this.uriOf(relDir));
  }

  /**
   * Claims are decided synchronously against every claim of this extension host, then the folder is
   * created. (Another process writing the same runs folder in the same second is not excluded:
   * `workspace.fs` offers no create-if-absent for folders.)
   */
  async claimFolder(relDir: string): Promise<boolean> {
    const uri = this.uriOf(relDir);
    if (claimedFolders.has(uri.toString())) return false;
    claimedFolders.add(uri.toString());
    if (await this.exists(relDir)) return false;
    await vscode.workspace.fs.createDirectory(uri);
    this.folders.add(uri.toString());
    return true;
  }

  async remove(relPath: string): Promise<void> {
    this.folders.clear();
    try {
      await vscode.workspace.fs.delete(this.uriOf(relPath), { recursive: true, useTrash: false });
    } catch (error) {
      if (await this.exists(relPath)) throw error;
    }
  }
}
