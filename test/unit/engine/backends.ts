/**
 * The backends the engine suites run against: every one that validates here (ts, wasm-simd,
 * wasm-fma), or those named in RNN_LAB_TEST_BACKENDS (comma-separated). The test process is ours,
 * so relaxed SIMD is switched on before anything compiles, as the CLI and the bench do.
 * One instance per name, shared by a suite's models (a wasm backend owns one memory).
 */
import { setFlagsFromString } from 'node:v8';
import type { Backend } from '../../../src/engine/kernels/backend';
import { availableBackendNames, selectBackend, type BackendName } from '../../../src/engine/kernels/selectBackend';

setFlagsFromString('--experimental-wasm-relaxed-simd');

export interface TestBackend {
  name: BackendName;
  /** The shared instance of this backend. */
  backend(): Backend;
}

const wanted = (process.env.RNN_LAB_TEST_BACKENDS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const instances = new Map<BackendName, Backend>();

export const TEST_BACKENDS: readonly TestBackend[] = availableBackendNames()
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .map((name) => ({
    name,
    backend() {
      if (!instances.has(name)) instances.set(name, selectBackend({ preferred: name }).backend);
      return instances.get(name)!;
    },
  }));

/** The wasm backends alone (conformance against ts). */
export const WASM_BACKENDS = TEST_BACKENDS.filter((b) => b.name !== 'ts');
