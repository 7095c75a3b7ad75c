/**
 * Runs every `*.test.js` beside the calling suite's index in mocha, inside the extension host.
 * The spec reporter writes through console.log, which the harness relays to the runner's stdout,
 * so its "N passing / N failing" summary reaches `npm test`. `RNN_LAB_TEST_GREP=<text>` runs only the
 * tests whose full title contains it (for a developer's quick run; CI never sets it).
 */
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import path from 'node:path';

export function runMochaSuites(dir: string, timeoutMs: number): Promise<void> {
  const grep = process.env.RNN_LAB_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', color: false, reporter: 'spec', timeout: timeoutMs, ...(grep && { grep }) });
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(dir, file));
  }
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration tests failed`)) : resolve()));
  });
}
