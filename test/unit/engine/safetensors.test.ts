import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { decodeSafetensors, encodeSafetensors, type NamedTensor } from '../../../src/engine/safetensors';

const ascii = (text: string): number[] => Array.from(text, (ch) => ch.charCodeAt(0));

/** A file with one header (JSON text, padded by the caller if wanted) and raw data bytes. */
function rawFile(header: string, data: number[] = []): Uint8Array {
  const json = ascii(header);
  const length = [json.length & 0xff, (json.length >> 8) & 0xff, 0, 0, 0, 0, 0, 0];
  return Uint8Array.from([...length, ...json, ...data]);
}

describe('safetensors', () => {
  it('writes exactly the bytes the reference format gives (header by hand)', () => {
    // What safetensors.torch.save_file({'a': [[0.5]], 'b': [1, -2]}, metadata={'format': 'pt'}) writes: the
    // reference writer orders tensors by dtype then name, puts __metadata__ first, uses compact JSON and
    // pads with spaces to a multiple of 8. The JSON below is 141 bytes, so 3 spaces make N = 144 = 0x90.
    const header =
      '{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[1,1],"data_offsets":[0,4]},' +
      '"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}   ';
    const expected = Uint8Array.from([
      0x90, 0, 0, 0, 0, 0, 0, 0,
      ...ascii(header),
      0x00, 0x00, 0x00, 0x3f, // 0.5
      0x00, 0x00, 0x80, 0x3f, // 1
      0x00, 0x00, 0x00, 0xc0, // -2
    ]);
    const bytes = encodeSafetensors(
      [
        { name: 'a', shape: [1, 1], data: Float32Array.of(0.5) },
        { name: 'b', shape: [2], data: Float32Array.of(1, -2) },
      ],
      { format: 'pt' },
    );
    assert.deepEqual(bytes, expected);
  });

  it('keeps the given tensor order in header and data, and omits __metadata__ when none is given', () => {
    const bytes = encodeSafetensors([
      { name: 'head.weight', shape: [1], data: Float32Array.of(3) },
      { name: '0', shape: [], data: Float32Array.of(4) },
    ]);
    const headerLength = new DataView(bytes.buffer).getUint32(0, true);
    assert.equal((8 + headerLength) % 8, 0);
    const header = new TextDecoder().decode(bytes.subarray(8, 8 + headerLength));
    assert.equal(
      header.trimEnd(),
      '{"head.weight":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"0":{"dtype":"F32","shape":[],"data_offsets":[4,8]}}',
    );
    const { tensors, metadata } = decodeSafetensors(bytes);
    assert.deepEqual([...tensors.keys()], ['head.weight', '0']);
    assert.deepEqual(metadata, {});
    assert.deepEqual(tensors.get('0'), { name: '0', shape: [], data: Float32Array.of(4) });
  });

  it('round-trips random tensors and metadata exactly (property)', () => {
    const tensorArb = fc
      .tuple(fc.string({ minLength: 1, maxLength: 12 }), fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 }))
      .chain(([name, shape]) =>
        fc
          .float32Array({ minLength: shape.reduce((a, b) => a * b, 1), maxLength: shape.reduce((a, b) => a * b, 1) })
          .map((data): NamedTensor => ({ name, shape, data })),
      );
    fc.assert(
      fc.property(
        fc.uniqueArray(tensorArb, { selector: (t) => t.name, maxLength: 6 }).filter((ts) => ts.every((t) => t.name !== '__metadata__')),
        fc.option(fc.dictionary(fc.string(), fc.string()), { nil: undefined }),
        (tensors, metadata) => {
          const bytes = encodeSafetensors(tensors, metadata);
          const decoded = decodeSafetensors(bytes);
          // fast-check makes null-prototype dictionaries, so compare the entries.
          assert.deepEqual(Object.entries(decoded.metadata).sort(), Object.entries(metadata ?? {}).sort());
          assert.equal(decoded.tensors.size, tensors.length);
          for (const t of tensors) {
            const back = decoded.tensors.get(t.name)!;
            assert.deepEqual(back.shape, t.shape);
            // Compare bit patterns, so that NaN payloads and -0 must survive too.
            assert.deepEqual(new Uint32Array(back.data.buffer, back.data.byteOffset, back.data.length), new Uint32Array(t.data.buffer, t.data.byteOffset, t.data.length));
          }
        },
      ),
      { seed: 20240601, numRuns: 200 },
    );
  });

  it('decodes from a Uint8Array view that does not start at byte 0 of its buffer', () => {
    const bytes = encodeSafetensors([{ name: 'w', shape: [2], data: Float32Array.of(1.5, -0.25) }]);
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    assert.deepEqual([...decodeSafetensors(shifted.subarray(3)).tensors.get('w')!.data], [1.5, -0.25]);
  });

  it('converts F64, F16 and BF16 tensors to Float32', () => {
    const header =
      '{"d":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},"h":{"dtype":"F16","shape":[3],"data_offsets":[8,14]},' +
      '"b":{"dtype":"BF16","shape":[1],"data_offsets":[14,16]}}';
    const data = [
      0x9a, 0x99, 0x99, 0x99, 0x99, 0x99, 0xb9, 0x3f, // 0.1 as float64
      0x00, 0x3e, // 1.5 as float16
      0x01, 0x00, // 2^-24, the smallest float16 subnormal
      0x00, 0xfc, // -Infinity as float16
      0x40, 0xc0, // -3 as bfloat16 (float32 0xc0400000)
    ];
    const { tensors } = decodeSafetensors(rawFile(header, data));
    assert.equal(tensors.get('d')!.data[0], Math.fround(0.1));
    assert.deepEqual([...tensors.get('h')!.data], [1.5, 2 ** -24, -Infinity]);
    assert.deepEqual([...tensors.get('b')!.data], [-3]);
  });

  describe('rejects malformed files with a clear error', () => {
    const good = encodeSafetensors([{ name: 'w', shape: [2, 2], data: Float32Array.of(1, 2, 3, 4) }], { a: 'b' });
    const cases: [string, Uint8Array, RegExp][] = [
      ['fewer than 8 bytes', Uint8Array.of(1, 0, 0), /truncated file \(3 bytes/],
      ['a header longer than the file', good.subarray(0, 40), /truncated file \(header says/],
      ['missing tensor data', good.subarray(0, good.length - 4), /run past the 12 data bytes/],
      ['extra bytes after the data', Uint8Array.from([...good, 0, 0, 0, 0]), /4 data bytes after the last tensor/],
      ['invalid JSON', rawFile('{"w": {"dtype": "F32",'), /header is not valid JSON/],
      ['a header that is not an object', rawFile('[1, 2]'), /does not start with "\{"/],
      ['invalid UTF-8', Uint8Array.from([2, 0, 0, 0, 0, 0, 0, 0, 0x7b, 0xff]), /not valid UTF-8/],
      ['an unsupported dtype', rawFile('{"t":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}', new Array(16).fill(0)), /unsupported dtype I32/],
      ['offsets that disagree with the shape', rawFile('{"t":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}', new Array(8).fill(0)), /spans 8 bytes, but shape \[3\] of F32 needs 12/],
      ['begin after end', rawFile('{"t":{"dtype":"F32","shape":[0],"data_offsets":[4,0]}}'), /0 ≤ begin ≤ end/],
      ['a bad shape', rawFile('{"t":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}', [0, 0, 0, 0]), /shape must be an array of non-negative integers/],
      ['overlapping tensors', rawFile('{"t":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"u":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', [0, 0, 0, 0]), /"u" starts at byte 0, expected 4/],
      ['non-string metadata', rawFile('{"__metadata__":{"epochs":3}}'), /"__metadata__" must map strings to strings/],
      ['a header length beyond 100 MB', Uint8Array.of(0, 0, 0, 0, 1, 0, 0, 0), /too large/],
    ];
    for (const [what, bytes, message] of cases) {
      it(what, () => assert.throws(() => decodeSafetensors(bytes), (error: Error) => message.test(error.message) && error.message.startsWith('safetensors:')));
    }
  });

  it('refuses to encode inconsistent tensors', () => {
    assert.throws(() => encodeSafetensors([{ name: 'w', shape: [3], data: new Float32Array(2) }]), /has 2 values but shape \[3\]/);
    const t = { name: 'w', shape: [1], data: new Float32Array(1) };
    assert.throws(() => encodeSafetensors([t, t]), /duplicate or reserved tensor name "w"/);
    assert.throws(() => encodeSafetensors([{ ...t, name: '__metadata__' }]), /reserved/);
  });
});
