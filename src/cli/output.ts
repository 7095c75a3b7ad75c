/**
 * How the CLI shows training events: `--json` prints each event as one JSON line on stdout and
 * nothing else there; otherwise metrics, samples and the result go to stdout in words and progress
 * to stderr: a redrawn bar on a TTY, plain lines at a modest rate elsewhere (`ProgressLog`).
 */
import { formatMetrics } from '../format/metrics';
import type { TrainingEvent } from '../train/events';
import { formatErrorLine } from '../train/errors';
import { ProgressBar } from './progressBar';
import { ProgressLog } from './progressLog';

export type EventPrinter = (event: TrainingEvent) => void;

export function jsonPrinter(): EventPrinter {
  return (event) => process.stdout.write(JSON.stringify(event) + '\n');
}

export function humanPrinter(): EventPrinter {
  const bar = process.stderr.isTTY ? new ProgressBar(process.stderr) : undefined;
  const log = bar ? undefined : new ProgressLog((text) => process.stderr.write(text));
  const say = (text: string) => {
    bar?.clear();
    process.stdout.write(text + '\n');
  };
  return (event) => {
    switch (event.event) {
      case 'start':
        say(`Training: ${event.parameters.toLocaleString('en-US')} parameters, ${event.epochs} epochs × ${event.batchesPerEpoch} batches (${event.backend})\nRun: ${event.run}`);
        break;
      case 'progress':
        if (bar) bar.update(event);
        else log?.update(event);
        break;
      case 'metrics':
        say(`epoch ${event.epoch} ${event.split.padEnd(10)} ${formatMetrics(event.metrics)}`);
        break;
      case 'sample':
        say(`--- sample after epoch ${event.epoch}${event.temperature ? ` (temperature ${event.temperature})` : ''} ---\n${event.text}\n---`);
        break;
      case 'done':
        say(`Done. ${event.split} metrics (best epoch ${event.best.epoch}): ${formatMetrics(event.metrics)}\nRun: ${event.run}`);
        break;
      case 'error':
        bar?.clear();
        process.stderr.write(formatErrorLine(event) + '\n');
        break;
      case 'warning':
        bar?.clear();
        process.stderr.write(`warning: ${formatErrorLine(event)}\n`);
        break;
      case 'info':
        say(event.message);
        break;
      case 'gradients':
      case 'checkpoint':
        break;
      default: {
        const unknown: never = event;
        throw new Error(`unknown event ${JSON.stringify(unknown)}`);
      }
    }
  };
}
