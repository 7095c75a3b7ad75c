import * as vscode from 'vscode';
import type { ProgressEvent } from '../../train/events';

/** "RNN Lab: epoch 1/10 · loss 2.31" while trainings run; hidden otherwise. Sets the `rnnLab.training` context key. */
export class TrainingStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('rnnLab.training', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'RNN Lab training';
    this.item.command = 'rnnLab.showLog';
  }

  /** The newest progress of the runs in flight (undefined before the first one), and how many wait. */
  update(running: number, waiting: number, latest: ProgressEvent | undefined): void {
    void vscode.commands.executeCommand('setContext', 'rnnLab.training', running + waiting > 0);
    if (running + waiting === 0) {
      this.item.hide();
      return;
    }
    const progress = latest ? `epoch ${latest.epoch}/${latest.epochs} · loss ${latest.loss.toFixed(2)}` : 'starting';
    const more = [running > 1 ? `${running} running` : '', waiting > 0 ? `${waiting} queued` : ''].filter(Boolean).join(', ');
    this.item.text = `$(pulse) RNN Lab: ${progress}${more ? ` (${more})` : ''}`;
    this.item.tooltip = 'RNN Lab training: click for the log, or run "RNN Lab: Stop Training"';
    this.item.show();
  }

  get text(): string { return this.item.text; }

  dispose(): void { this.item.dispose(); }
}
