import * as vscode from 'vscode';

/** "Train · Architecture · Check gradients" above the first line of every `*.rnn.json`. */
export class SpecCodeLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    return [
      new vscode.CodeLens(top, { title: '$(play) Train', command: 'rnnLab.train', arguments: [document.uri] }),
      new vscode.CodeLens(top, { title: 'Architecture', command: 'rnnLab.showArchitecture', arguments: [document.uri] }),
      new vscode.CodeLens(top, { title: 'Check gradients', command: 'rnnLab.checkGradients', arguments: [document.uri] }),
    ];
  }
}
