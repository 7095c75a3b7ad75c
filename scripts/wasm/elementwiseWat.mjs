// WAT for the element-wise work of the vanilla cell and the losses, 4 lanes at a time (tails through the
// same code on one lane). Pointers are byte addresses, counts are elements. The optimizer
// updates are in optimizerWat.mjs, the LSTM and GRU gates in cellsWat.mjs.
//
// Approximations (error bounds measured by test/unit/engine/wasmConformance.test.ts):
//   tanh    Eigen's rational 13/6 fit, the input clamped to [−7.905, 7.905]; x itself for |x| < 4e-4:
//           relative error ≤ 5e-7 everywhere (measured ≤ 3.3e-7)
//   exp     Cephes expf: x = n·ln2 + r, |r| ≤ ln2/2, degree-5 polynomial for e^r, 2^n from the exponent
//           bits; input clamped to [−87.34, 88.38] (so exp of less than −87.34 gives ≈ 1.2e-38, not 0):
//           relative error ≤ 5e-7 above that
//   sigmoid 1 / (1 + exp(−x)): absolute error ≤ 5e-7
import { f4, func, get, i32, inc, mapLoop, maddFor, set, vadd, vdiv, vmax, vmin, vmul, vsub, whileLoop, ZERO } from './watBuilder.mjs';

const TANH_CLAMP = 7.90531110763549805;
const TANH_TINY = 0.0004;
const TANH_P = [-2.76076847742355e-16, 2.00018790482477e-13, -8.60467152213735e-11, 5.12229709037114e-8, 1.48572235717979e-5, 6.37261928875436e-4, 4.89352455891786e-3];
const TANH_Q = [1.19825839466702e-6, 1.18534705686654e-4, 2.26843463243900e-3, 4.89352518554385e-3];
const EXP_HI = 88.3762626647949;
const EXP_LO = -87.3365478515625;
const LOG2E = 1.44269504088896341;
const LN2_HI = 0.693359375;
const LN2_LO = -2.12194440e-4;
const EXP_P = [1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1];

const ONE = f4(1);

/** Code generators bound to one variant (plain mul+add or relaxed FMA); cellsWat.mjs uses them too. */
export function mathFor(fma) {
  const madd = maddFor(fma);
  /** Horner: ((c0·x + c1)·x + c2)… */
  const horner = (x, cs) => cs.slice(1).reduce((acc, c) => madd(acc, x, f4(c)), f4(cs[0]));
  /** dst = tanh(src); temporaries prefixed with t. */
  const tanh = (dst, src, t) => [
    set(`v${t}x`, src),
    set(`v${t}c`, vmax(vmin(get(`v${t}x`), f4(TANH_CLAMP)), f4(-TANH_CLAMP))),
    set(`v${t}s`, vmul(get(`v${t}c`), get(`v${t}c`))),
    set(`v${t}p`, vmul(get(`v${t}c`), horner(get(`v${t}s`), TANH_P))),
    set(`v${t}q`, horner(get(`v${t}s`), TANH_Q)),
    set(dst, `(v128.bitselect ${get(`v${t}x`)} ${vdiv(get(`v${t}p`), get(`v${t}q`))} (f32x4.lt (f32x4.abs ${get(`v${t}x`)}) ${f4(TANH_TINY)}))`),
  ].join('\n');
  /** dst = exp(src) */
  const exp = (dst, src, t) => [
    set(`v${t}x`, vmax(vmin(src, f4(EXP_HI)), f4(EXP_LO))),
    set(`v${t}n`, `(f32x4.nearest ${vmul(get(`v${t}x`), f4(LOG2E))})`),
    set(`v${t}r`, madd(get(`v${t}n`), f4(-LN2_LO), madd(get(`v${t}n`), f4(-LN2_HI), get(`v${t}x`)))),
    set(`v${t}y`, madd(horner(get(`v${t}r`), EXP_P), vmul(get(`v${t}r`), get(`v${t}r`)), vadd(get(`v${t}r`), ONE))),
    set(dst, vmul(get(`v${t}y`), `(i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s ${get(`v${t}n`)}) (v128.const i32x4 127 127 127 127)) (i32.const 23))`)),
  ].join('\n');
  /** dst = σ(src) = 1 / (1 + e^(−src)) */
  const sigmoid = (dst, src, t) => [exp(`v${t}e`, `(f32x4.neg ${src})`, t), set(dst, vdiv(ONE, vadd(ONE, get(`v${t}e`))))].join('\n');
  return { madd, tanh, exp, sigmoid };
}


export function elementwiseWat(fma) {
  const m = mathFor(fma);
  const fns = [];

  // Vanilla forward: out = tanh(a + b).
  fns.push(func('tanh_sum', ['out', 'a', 'b', 'n'], mapLoop('m', ['out', 'a', 'b'], 'n', (io) =>
    [m.tanh('vy', vadd(io.load('a'), io.load('b')), 'a'), io.store('out', '', get('vy'))].join('\n'))));
  // Vanilla backward: out = dh ⊙ (1 − h²).
  fns.push(func('tanh_backward', ['out', 'dh', 'h', 'n'], mapLoop('m', ['out', 'dh', 'h'], 'n', (io) =>
    [set('vh', io.load('h')), io.store('out', '', vmul(io.load('dh'), vsub(ONE, vmul(get('vh'), get('vh')))))].join('\n'))));
  // ReLU RNN forward: out = max(a + b, 0), as a + b where it is > 0, else +0 (the TS loop's `a > 0 ? a : 0`).
  fns.push(func('relu_sum', ['out', 'a', 'b', 'n'], mapLoop('m', ['out', 'a', 'b'], 'n', (io) =>
    [set('vs', vadd(io.load('a'), io.load('b'))), io.store('out', '', `(v128.and ${get('vs')} (f32x4.gt ${get('vs')} ${ZERO}))`)].join('\n'))));
  // ReLU RNN backward: out = dh ⊙ [h > 0], as dh·1 or dh·0 (the TS loop's product, signed zeros included).
  fns.push(func('relu_backward', ['out', 'dh', 'h', 'n'], mapLoop('m', ['out', 'dh', 'h'], 'n', (io) =>
    io.store('out', '', vmul(io.load('dh'), `(v128.and ${ONE} (f32x4.gt ${io.load('h')} ${ZERO}))`)))));

  // Softmax of `rows` rows of O: out = exp(x − max) / z; stats[2r] = max, stats[2r+1] = z.
  fns.push(func('softmax_rows', ['x', 'out', 'stats', 'rows', 'O'], whileLoop('rows', get('rows'), [
    set('px', get('x')), set('n', get('O')), set('vmx', '(v128.const f32x4 -inf -inf -inf -inf)'),
    mapLoop('max', ['px'], 'n', (io) => set('vmx', vmax(get('vmx'), io.load('px')))),
    set('fmax', `(f32.max (f32.max (f32x4.extract_lane 0 ${get('vmx')}) (f32x4.extract_lane 1 ${get('vmx')})) (f32.max (f32x4.extract_lane 2 ${get('vmx')}) (f32x4.extract_lane 3 ${get('vmx')})))`),
    set('vmx', `(f32x4.splat ${get('fmax')})`),
    set('px', get('x')), set('po', get('out')), set('n', get('O')), set('vz', '(v128.const i32x4 0 0 0 0)'), set('fz', '(f32.const 0)'),
    // Vector part sums in vz, the tail in fz (a tail lane holds a splat, so only lane 0 counts).
    mapLoop('e', ['px', 'po'], 'n', (io) => [
      m.exp('ve', vsub(io.load('px'), get('vmx')), 'a'), io.store('po', '', get('ve')),
      io.width === 16 ? set('vz', vadd(get('vz'), get('ve'))) : set('fz', `(f32.add ${get('fz')} (f32x4.extract_lane 0 ${get('ve')}))`),
    ].join('\n')),
    set('fz', `(f32.add ${get('fz')} (f32.add (f32.add (f32x4.extract_lane 0 ${get('vz')}) (f32x4.extract_lane 1 ${get('vz')})) (f32.add (f32x4.extract_lane 2 ${get('vz')}) (f32x4.extract_lane 3 ${get('vz')}))))`),
    `(f32.store ${get('stats')} ${get('fmax')})`, `(f32.store offset=4 ${get('stats')} ${get('fz')})`,
    set('vs', `(f32x4.splat (f32.div (f32.const 1) ${get('fz')}))`),
    set('po', get('out')), set('n', get('O')),
    mapLoop('s', ['po'], 'n', (io) => io.store('po', '', vmul(io.load('po'), get('vs')))),
    inc('x', `(i32.shl ${get('O')} ${i32(2)})`), inc('out', `(i32.shl ${get('O')} ${i32(2)})`), inc('stats', i32(8)),
    set('rows', `(i32.sub ${get('rows')} ${i32(1)})`),
  ].join('\n'))));

  // out[r, j] += bias[j]; sum[j] += m[r, j] (bias gradients), row by row.
  const perRow = (name, [dst, src], rowPtr, apply) => func(name, [dst, src, 'rows', 'width'], whileLoop('rows', get('rows'), [
    set('pd', get(dst)), set('ps', get(src)), set('n', get('width')),
    mapLoop('m', ['pd', 'ps'], 'n', (io) => io.store('pd', '', apply(io.load('pd'), io.load('ps')))),
    inc(rowPtr, `(i32.shl ${get('width')} ${i32(2)})`),
    set('rows', `(i32.sub ${get('rows')} ${i32(1)})`),
  ].join('\n')));
  fns.push(perRow('add_row_bias', ['out', 'bias'], 'out', vadd));
  fns.push(perRow('add_column_sums', ['sum', 'm'], 'm', vadd));

  // x *= s (the loss's class weights and 1/N)
  fns.push(func('scale', ['x', 'n', 'fs'], [set('vs', `(f32x4.splat ${get('fs')})`),
    mapLoop('m', ['x'], 'n', (io) => io.store('x', '', vmul(io.load('x'), get('vs'))))].join('\n')));
  return fns;
}
