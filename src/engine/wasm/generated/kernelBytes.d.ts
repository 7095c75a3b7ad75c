// Types of kernelBytes.js, which scripts/build-wasm.mjs generates (npm run build / npm run build:wasm).
/** The kernel module with plain SIMD (f32x4 mul + add), base64. */
export declare const simdKernelsBase64: string;
/** The same module with relaxed-SIMD f32x4.relaxed_madd, base64. */
export declare const fmaKernelsBase64: string;
