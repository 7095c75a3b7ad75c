/**
 * A wasm module that does not load drops out of TEST_BACKENDS: its suites vanish, the rest stay
 * green, and training falls back to slower kernels. Locally that is a visible skip with the
 * reason; in CI (`CI` set) it fails.
 */
import assert from 'node:assert/strict';
import { REQUIRED_WASM_BACKENDS, WASM_BACKENDS, wasmLoadFailure } from './backends';

describe('wasm backends load (a failure in CI, a skip elsewhere)', () => {
  for (const name of REQUIRED_WASM_BACKENDS) {
    it(`${name} loads, so its float32 conformance suites run`, function () {
      const failure = wasmLoadFailure(name);
      if (failure === null) {
        assert.ok(WASM_BACKENDS.some((b) => b.name === name), `${name} loads but is not among the tested backends`);
        return;
      }
      const message = `${name} did not load: ${failure}. Its wasm suites did not run, and training falls back to slower kernels.`;
      if (process.env.CI) assert.fail(message);
      console.warn(`    SKIPPED: ${message}`);
      this.skip();
    });
  }
});
