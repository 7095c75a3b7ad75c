/**
 * The safetensors weight format (huggingface/safetensors), so that weights move to and from PyTorch:
 *
 *   bytes 0..8      N, the header length, an unsigned 64-bit little-endian integer
 *   bytes 8..8+N    UTF-8 JSON: { "__metadata__"?: {string: string},
 *                                 "<name>": { "dtype": "F32", "shape": [..], "data_offsets": [begin, end] }, … }
 *                   padded with spaces so that 8 + N is a multiple of 8
 *   bytes 8+N..     the tensor data, little-endian, row-major; offsets are relative to this point and
 *                   must tile it exactly (no gaps, no overlaps), as the reference loader requires
 *
 * Writing always uses F32, tensors in the order given. Reading accepts F32, and F64, F16 and BF16
 * converted to Float32. Only TextEncoder/TextDecoder and DataView are used (no Node Buffer).
 */

// TextEncoder/TextDecoder exist in every runtime the engine targets, but are not in the ES2022 lib.
declare const TextEncoder: new () => { encode(text: string): Uint8Array };
declare const TextDecoder: new (label: string, options: { fatal: boolean }) => { decode(bytes: Uint8Array): string };

export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

const METADATA_KEY = '__metadata__';
/** The reference implementation refuses headers above 100 MB. */
const MAX_HEADER_BYTES = 100_000_000;
const BYTES_PER_ELEMENT: Record<string, number> = { F32: 4, F64: 8, F16: 2, BF16: 2 };

/** Serialises `tensors` (as F32, in this order) and optional string metadata. */
export function encodeSafetensors(tensors: NamedTensor[], metadata?: Record<string, string>): Uint8Array {
  // The JSON is written entry by entry so that it keeps the given order (an object would move
  // integer-like names first) and a name such as "__proto__" stays an ordinary key.
  const entries: string[] = [];
  if (metadata !== undefined) {
    for (const [key, value] of Object.entries(metadata)) {
      if (typeof value !== 'string') throw new TypeError(`safetensors: metadata "${key}" must be a string`);
    }
    entries.push(`${JSON.stringify(METADATA_KEY)}:${JSON.stringify(metadata)}`);
  }
  const names = new Set<string>();
  let offset = 0;
  for (const { name, shape, data } of tensors) {
    if (name === METADATA_KEY || names.has(name)) throw new Error(`safetensors: duplicate or reserved tensor name "${name}"`);
    names.add(name);
    const count = elementCount(shape, name);
    if (count !== data.length) throw new Error(`safetensors: tensor "${name}" has ${data.length} values but shape [${shape}]`);
    const info = { dtype: 'F32', shape, data_offsets: [offset, offset + 4 * count] };
    entries.push(`${JSON.stringify(name)}:${JSON.stringify(info)}`);
    offset += 4 * count;
  }
  const json = new TextEncoder().encode(`{${entries.join(',')}}`);
  const headerLength = json.length + ((8 - (json.length % 8)) % 8);

  const bytes = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, headerLength, true);
  view.setUint32(4, Math.floor(headerLength / 2 ** 32), true);
  bytes.set(json, 8);
  bytes.fill(0x20, 8 + json.length, 8 + headerLength); // space padding
  let at = 8 + headerLength;
  for (const { data } of tensors) {
    for (let i = 0; i < data.length; i++, at += 4) view.setFloat32(at, data[i], true);
  }
  return bytes;
}

/**
 * Parses a safetensors file. Tensors come back as Float32Array, in the order of their data in the
 * file. Throws an Error starting with "safetensors:" that says what is wrong with a malformed file.
 */
export function decodeSafetensors(bytes: Uint8Array): { tensors: Map<string, NamedTensor>; metadata: Record<string, string> } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8) throw new Error(`safetensors: truncated file (${bytes.length} bytes, the header length alone takes 8)`);
  const headerLength = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
  if (headerLength > MAX_HEADER_BYTES) throw new Error(`safetensors: header length ${headerLength} is too large`);
  if (8 + headerLength > bytes.length) {
    throw new Error(`safetensors: truncated file (header says ${headerLength} bytes, only ${bytes.length - 8} follow)`);
  }
  const header = parseHeader(bytes.subarray(8, 8 + headerLength));
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;

  let metadata: Record<string, string> = {};
  const entries: { name: string; dtype: string; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, info] of Object.entries(header)) {
    if (name === METADATA_KEY) {
      metadata = parseMetadata(info);
      continue;
    }
    entries.push({ name, ...parseTensorInfo(name, info) });
  }

  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expectedBegin = 0;
  for (const { name, begin, end } of entries) {
    if (end > dataLength) {
      throw new Error(`safetensors: tensor "${name}" data_offsets [${begin}, ${end}] run past the ${dataLength} data bytes (truncated file?)`);
    }
    if (begin !== expectedBegin) {
      throw new Error(`safetensors: tensor "${name}" starts at byte ${begin}, expected ${expectedBegin} (gap or overlap in data_offsets)`);
    }
    expectedBegin = end;
  }
  if (expectedBegin !== dataLength) throw new Error(`safetensors: ${dataLength - expectedBegin} data bytes after the last tensor`);

  const tensors = new Map<string, NamedTensor>();
  for (const { name, dtype, shape, begin } of entries) {
    tensors.set(name, { name, shape, data: readAsFloat32(view, dataStart + begin, elementCount(shape, name), dtype) });
  }
  return { tensors, metadata };
}

function parseHeader(headerBytes: Uint8Array): Record<string, unknown> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(headerBytes);
  } catch {
    throw new Error('safetensors: header is not valid UTF-8');
  }
  if (!text.startsWith('{')) throw new Error('safetensors: header does not start with "{"');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`safetensors: header is not valid JSON (${(error as Error).message})`);
  }
  if (!isPlainObject(parsed)) throw new Error('safetensors: header JSON is not an object');
  return parsed;
}

function parseMetadata(info: unknown): Record<string, string> {
  if (!isPlainObject(info) || !Object.values(info).every((v) => typeof v === 'string')) {
    throw new Error(`safetensors: "${METADATA_KEY}" must map strings to strings`);
  }
  return info as Record<string, string>;
}

function parseTensorInfo(name: string, info: unknown): { dtype: string; shape: number[]; begin: number; end: number } {
  if (!isPlainObject(info)) throw new Error(`safetensors: entry "${name}" is not an object`);
  const { dtype, shape, data_offsets: offsets } = info;
  if (typeof dtype !== 'string') throw new Error(`safetensors: tensor "${name}" has no dtype`);
  const elementBytes = BYTES_PER_ELEMENT[dtype];
  if (elementBytes === undefined) {
    throw new Error(`safetensors: tensor "${name}" has unsupported dtype ${dtype} (supported: ${Object.keys(BYTES_PER_ELEMENT).join(', ')})`);
  }
  if (!Array.isArray(shape) || !shape.every(isNonNegativeInteger)) {
    throw new Error(`safetensors: tensor "${name}" shape must be an array of non-negative integers`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isNonNegativeInteger) || offsets[0] > offsets[1]) {
    throw new Error(`safetensors: tensor "${name}" data_offsets must be [begin, end] with 0 ≤ begin ≤ end`);
  }
  const [begin, end] = offsets as number[];
  const count = elementCount(shape, name);
  if (end - begin !== count * elementBytes) {
    throw new Error(`safetensors: tensor "${name}" spans ${end - begin} bytes, but shape [${shape}] of ${dtype} needs ${count * elementBytes}`);
  }
  return { dtype, shape: shape as number[], begin, end };
}

function readAsFloat32(view: DataView, start: number, count: number, dtype: string): Float32Array {
  const out = new Float32Array(count);
  switch (dtype) {
    case 'F32':
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(start + 4 * i, true);
      break;
    case 'F64':
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(start + 8 * i, true);
      break;
    case 'F16':
      for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(start + 2 * i, true));
      break;
    case 'BF16': {
      // bfloat16 is the top half of a float32.
      const word = new DataView(new ArrayBuffer(4));
      for (let i = 0; i < count; i++) {
        word.setUint32(0, view.getUint16(start + 2 * i, true) << 16);
        out[i] = word.getFloat32(0);
      }
      break;
    }
  }
  return out;
}

/** IEEE 754 binary16 → number: sign, 5-bit exponent (bias 15), 10-bit fraction; subnormals and inf/NaN. */
function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : Number.NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

function elementCount(shape: readonly number[], name: string): number {
  if (!shape.every(isNonNegativeInteger)) throw new Error(`safetensors: tensor "${name}" has an invalid shape [${shape}]`);
  return shape.reduce((product, size) => product * size, 1);
}

function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
