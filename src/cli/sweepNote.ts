/** `rnn-lab train` on a spec with a `sweep`: it trains the spec as written and says the sweep was ignored. */
import { parseJsonWithPositions } from '../modelSpec/jsonText';
import type { EventPrinter } from './output';

export const SWEEP_IGNORED = 'the spec has a "sweep": trained the spec as written and ignored the sweep (run "rnn-lab sweep <spec>" to train its trials)';

/** `print`, with an `info` event saying the sweep was ignored right after `start` when the spec has one. */
export function withSweepNote(specText: string, print: EventPrinter): EventPrinter {
  const value = parseJsonWithPositions(specText).value;
  const hasSweep = typeof value === 'object' && value !== null && 'sweep' in value;
  return (event) => {
    print(event);
    if (hasSweep && event.event === 'start') print({ event: 'info', message: SWEEP_IGNORED });
  };
}
