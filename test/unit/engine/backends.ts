/**
 * The backends the engine suites run against: every one that validates here (ts, wasm-simd,
 * wasm-fma), or those named in RNN_LAB_TEST_BACKENDS (comma-separated). The test process is ours,
 * so relaxed SIMD is switched on before anything compiles, as the CLI and the bench do.
 * One instance per name, shared by a suite's models (a wasm backend owns one memory).
 *
 * Wasm backends run float32 only: a float64 tensor always takes the TypeScript kernels, so a
 * float64 suite runs once, on FLOAT64_BACKEND, and says so in its name.
 */
import { setFlagsFromString } from 'node:v8';
import { typescriptBackend, type Backend } from '../../../src/engine/kernels/backend';
import { availableBackendNames, selectBackend, type BackendName } from '../../../src/engine/kernels/selectBackend';
import type { DType } from '../../../src/engine/types';
import { fmaKernelsBase64, simdKernelsBase64 } from '../../../src/engine/wasm/generated/kernelBytes';
import { decodeBase64, webAssemblyApi } from '../../../src/engine/wasm/webAssemblyApi';

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

/** The wasm backends alone (conformance against ts, float32). */
export const WASM_BACKENDS = TEST_BACKENDS.filter((b) => b.name !== 'ts');

/** Where float64 runs, whichever backend a model is given: the TypeScript kernels. */
export const FLOAT64_BACKEND: TestBackend = { name: 'ts', backend: () => typescriptBackend };

/** The dtypes to test on a backend: float32 on each, float64 on ts alone (elsewhere it would run ts again). */
export function dtypesOn(name: BackendName): readonly DType[] {
  return name === FLOAT64_BACKEND.name ? ['float32', 'float64'] : ['float32'];
}

/** The wasm backends this run must exercise: both, unless RNN_LAB_TEST_BACKENDS names fewer. */
export const REQUIRED_WASM_BACKENDS = (['wasm-simd', 'wasm-fma'] as const).filter((name) => wanted.length === 0 || wanted.includes(name));

/**
 * Why a wasm backend did not load here: WebAssembly's own compile error for its bytes, or null
 * when it loads.
 */
export function wasmLoadFailure(name: 'wasm-simd' | 'wasm-fma'): string | null {
  if (availableBackendNames().includes(name)) return null;
  const api = webAssemblyApi();
  if (!api) return 'this runtime has no WebAssembly';
  try {
    new api.Module(decodeBase64(name === 'wasm-fma' ? fmaKernelsBase64 : simdKernelsBase64));
    return 'the module compiles here, but selectBackend did not create the backend';
  } catch (error) {
    return String(error);
  }
}
