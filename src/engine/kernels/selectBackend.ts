import { createWasmBackend } from '../wasm/wasmBackend';
import { typescriptBackend, type Backend } from './backend';

/** Backend names: the TypeScript reference, wasm SIMD (mul + add), wasm relaxed-SIMD FMA. */
export type BackendName = 'ts' | 'wasm-simd' | 'wasm-fma';
export type BackendPreference = BackendName | 'auto';

/** Fastest first. */
const BY_SPEED: readonly BackendName[] = ['wasm-fma', 'wasm-simd', 'ts'];

export const BACKEND_PREFERENCES: readonly BackendPreference[] = ['auto', ...BY_SPEED];

/** True for `auto` and the backend names (settings, run summaries and messages arrive as strings). */
export function isBackendPreference(value: unknown): value is BackendPreference {
  return (BACKEND_PREFERENCES as readonly unknown[]).includes(value);
}

function create(name: BackendName): Backend | null {
  return name === 'ts' ? typescriptBackend : createWasmBackend(name);
}

/**
 * The backend to train with. `auto` (the default) picks the fastest one that validates on this
 * runtime: wasm-fma where relaxed SIMD is on (Node ≥ 22, or Node 20 after
 * `require('v8').setFlagsFromString('--experimental-wasm-relaxed-simd')`, which only a process we
 * own may do, before this is first called), else wasm-simd, else ts. A named preference that does
 * not validate falls back the same way, down the list from it (`fellBack` says so); `ts` always
 * works. Wasm backends are new instances with their own memory: use one per model.
 */
export function selectBackend(options: { preferred?: BackendPreference } = {}): { backend: Backend; fellBack: boolean } {
  const preferred = options.preferred ?? 'auto';
  const start = preferred === 'auto' ? 0 : BY_SPEED.indexOf(preferred);
  if (start < 0) throw new RangeError(`unknown backend "${preferred}"; known: ${BACKEND_PREFERENCES.join(', ')}`);
  for (let i = start; i < BY_SPEED.length; i++) {
    const backend = create(BY_SPEED[i]);
    if (backend) return { backend, fellBack: preferred !== 'auto' && i !== start };
  }
  return { backend: typescriptBackend, fellBack: preferred !== 'auto' && preferred !== 'ts' };
}

/** The backends that validate here, fastest first (tests run every one). */
export function availableBackendNames(): BackendName[] {
  return BY_SPEED.filter((name) => name === 'ts' || create(name) !== null);
}
