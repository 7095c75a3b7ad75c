import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RnnLabApi } from '../../../src/extension/extension';
import type { TrainingOutcome } from '../../../src/extension/training/trainingService';

const folder = () => vscode.workspace.workspaceFolders![0].uri;

describe('the packaged .vsix, installed', () => {
  it('is the copy installed from the package, not the development folder', () => {
    const extension = vscode.extensions.getExtension<RnnLabApi>('rnn-lab.rnn-lab');
    assert.ok(extension, 'rnn-lab.rnn-lab is installed');
    const extensionsDir = process.env.RNN_LAB_TEST_EXTENSIONS_DIR;
    assert.ok(extensionsDir && extension.extensionUri.fsPath.startsWith(extensionsDir), extension.extensionUri.fsPath);
  });

  it('ships the workers, the CLI, the webview bundle, the schema and the icon', async () => {
    const root = vscode.extensions.getExtension('rnn-lab.rnn-lab')!.extensionUri;
    for (const file of ['dist/extension.js', 'dist/worker.js', 'dist/dataSizes.js', 'dist/datasetPreview.js', 'dist/cli.js', 'dist/webview.js', 'dist/webview.css', 'schemas/rnn-spec.schema.json', 'media/icon.png']) {
      const stat = await vscode.workspace.fs.stat(vscode.Uri.joinPath(root, ...file.split('/')));
      assert.ok(stat.size > 0, `${file} is in the package`);
    }
  });

  it('runs a command: New Model… writes a spec', async () => {
    await vscode.extensions.getExtension<RnnLabApi>('rnn-lab.rnn-lab')!.activate();
    const specUri = await vscode.commands.executeCommand<vscode.Uri>('rnnLab.newModel', {
      dataset: vscode.Uri.joinPath(folder(), 'data', 'tiny.jsonl'), task: 'many-to-one', cell: 'gru', hiddenSize: 8, layers: 1, bidirectional: false,
    });
    const spec = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(specUri)));
    assert.equal(spec.model.cell, 'gru');
  });

  it('trains the fixture spec in its worker', async () => {
    const outcome = await vscode.commands.executeCommand<TrainingOutcome>('rnnLab.train', vscode.Uri.joinPath(folder(), 'models', 'tiny.rnn.json'));
    assert.equal(outcome.status, 'done', outcome.message);
    assert.ok((await vscode.workspace.fs.stat(vscode.Uri.joinPath(outcome.runUri!, 'last.safetensors'))).size > 0);
  });

  it('opens the architecture panel, whose packaged webview bundle loads, runs and answers the host', async () => {
    const api = await vscode.extensions.getExtension<RnnLabApi>('rnn-lab.rnn-lab')!.activate();
    const specUri = vscode.Uri.joinPath(folder(), 'models', 'tiny.rnn.json');
    const title = await vscode.commands.executeCommand<string>('rnnLab.showArchitecture', specUri);
    assert.ok(title);
    const panel = api.panels.architectureOf(specUri);
    assert.ok(panel, 'the architecture panel of the spec is open');
    // `ready` is posted by dist/webview.js once it has loaded and drawn its first content: a bundle
    // that is missing, blocked by the CSP or throws at load never sends it.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('the webview never said ready: dist/webview.js did not load or run')), 60_000); });
    await Promise.race([panel.whenReady, timeout]).finally(() => clearTimeout(timer));
  });

  it('ships the production webview bundle, without the test build or its hook', async () => {
    const root = vscode.extensions.getExtension('rnn-lab.rnn-lab')!.extensionUri;
    const bundle = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(root, 'dist', 'webview.js')));
    assert.ok(!bundle.includes('rnnLabTest') && !bundle.includes('testClick'), 'no test hook in dist/webview.js');
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(vscode.Uri.joinPath(root, 'dist', 'webview.test.js'))), 'dist/webview.test.js is not packaged');
  });

  it('ships every image its README shows, inline, so the extension page shows them offline', async () => {
    const root = vscode.extensions.getExtension('rnn-lab.rnn-lab')!.extensionUri;
    // vsce stores it as readme.md; VS Code's extension page does not resolve relative image paths, so they are data: URIs.
    const name = (await vscode.workspace.fs.readDirectory(root)).map(([n]) => n).find((n) => /^readme\.md$/i.test(n));
    assert.ok(name, 'the README is in the package');
    const readme = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(root, name)));
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]);
    assert.ok(images.length >= 4, `README images: ${images.length}`);
    for (const image of images) {
      const inline = /^data:image\/jpeg;base64,(.+)$/.exec(image);
      assert.ok(inline, `${image.slice(0, 60)} is an inline JPEG`);
      const bytes = Buffer.from(inline[1], 'base64');
      assert.deepEqual([...bytes.subarray(0, 3)], [0xff, 0xd8, 0xff], 'JPEG bytes');
      assert.ok(bytes.length < 150_000, `small (${bytes.length} bytes)`);
    }
  });
});
