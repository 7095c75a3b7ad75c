import { fmaKernelsBase64, simdKernelsBase64 } from './generated/kernelBytes';
import { decodeBase64, webAssemblyApi } from './webAssemblyApi';

/**
 * The two builds of the kernel module (scripts/build-wasm.mjs): plain SIMD, and relaxed-SIMD FMA.
 * The FMA build validates only where relaxed SIMD is on: by default from V8 11.4 (Node 22, current
 * VS Code); on Node 20 after `require('v8').setFlagsFromString('--experimental-wasm-relaxed-simd')`
 * in a process we own, before the first `WebAssembly.validate` here (results are cached).
 */
export type WasmVariant = 'wasm-simd' | 'wasm-fma';

const compiled = new Map<WasmVariant, object | null>();

/** The compiled module of a variant, or null where this runtime does not validate it. */
export function kernelModule(variant: WasmVariant): object | null {
  if (compiled.has(variant)) return compiled.get(variant)!;
  const api = webAssemblyApi();
  const bytes = decodeBase64(variant === 'wasm-fma' ? fmaKernelsBase64 : simdKernelsBase64);
  const module = api && api.validate(bytes) ? new api.Module(bytes) : null;
  compiled.set(variant, module);
  return module;
}
