// WAT for the optimizer updates, one pass over n entries of a parameter (4 lanes at a time, tails
// through the same code on one lane). Each is the loop of its TypeScript optimizer in
// src/engine/optimizers/*.ts, in float32; hyper-parameters arrive as f32 (`f…` params).
// With θ the parameter, ∇ its gradient, λ the weight decay and η the learning rate:
//   sgd_update              θ −= η (∇ + λθ)
//   sgd_momentum_update     g = ∇ + λθ; b = μb + g; θ −= η b
//   sgd_nesterov_update     g = ∇ + λθ; b = μb + g; θ −= η (g + μb)
//   rmsprop_update          g = ∇ + λθ; s = αs + (1−α)g²; θ −= η g / (√s + ε)
//   rmsprop_momentum_update g = ∇ + λθ; s = αs + (1−α)g²; b = μb + g / (√s + ε); θ −= η b
//   adagrad_update          g = ∇ + λθ; s = s + g²; θ −= η g / (√s + ε)
//   adam_update             g = ∇ + l2·θ; m = β1 m + (1−β1) g; v = β2 v + (1−β2) g²;
//                           θ = shrink·θ − step·m / (√v / bc2 + ε)      (Adam and AdamW, see adam.ts)
import { func, get, mapLoop, maddFor, set, vadd, vdiv, vmul, vsub } from './watBuilder.mjs';

const splat = (name) => `(f32x4.splat ${get(name)})`;
const oneMinus = (name) => `(f32x4.splat (f32.sub (f32.const 1) ${get(name)}))`;
const sqrt = (v) => `(f32x4.sqrt ${v})`;

export function optimizerWat(fma) {
  const madd = maddFor(fma);
  /** vg = ∇ + λθ (θ loaded into vth), the decayed gradient every update starts from. */
  const decayed = (io) => [set('vth', io.load('data')), set('vg', madd(get('vl'), get('vth'), io.load('grad')))].join('\n');
  /** θ −= η·update */
  const descend = (io, update) => io.store('data', '', madd(get('vnlr'), update, get('vth')));
  const hyper = (names) => names.map(([v, expr]) => set(v, expr)).join('\n');
  const common = [['vl', splat('fdecay')], ['vnlr', `(f32x4.splat (f32.neg ${get('flr')}))`]];
  const fns = [];

  fns.push(func('sgd_update', ['data', 'grad', 'n', 'flr', 'fdecay'], [hyper(common),
    mapLoop('m', ['data', 'grad'], 'n', (io) => [decayed(io), descend(io, get('vg'))].join('\n'))].join('\n')));
  for (const nesterov of [false, true]) {
    fns.push(func(nesterov ? 'sgd_nesterov_update' : 'sgd_momentum_update', ['data', 'grad', 'buf', 'n', 'flr', 'fdecay', 'fmu'], [
      hyper([...common, ['vmu', splat('fmu')]]),
      mapLoop('m', ['data', 'grad', 'buf'], 'n', (io) => [
        decayed(io),
        set('vb', madd(get('vmu'), io.load('buf'), get('vg'))),
        io.store('buf', '', get('vb')),
        descend(io, nesterov ? madd(get('vmu'), get('vb'), get('vg')) : get('vb')),
      ].join('\n')),
    ].join('\n')));
  }

  for (const momentum of [false, true]) {
    const cursors = momentum ? ['data', 'grad', 'sq', 'buf'] : ['data', 'grad', 'sq'];
    fns.push(func(momentum ? 'rmsprop_momentum_update' : 'rmsprop_update', [...cursors, 'n', 'flr', 'falpha', 'feps', 'fdecay', ...(momentum ? ['fmu'] : [])], [
      hyper([...common, ['va', splat('falpha')], ['vca', oneMinus('falpha')], ['veps', splat('feps')], ...(momentum ? [['vmu', splat('fmu')]] : [])]),
      mapLoop('m', cursors, 'n', (io) => [
        decayed(io),
        set('vs', madd(get('va'), io.load('sq'), vmul(get('vca'), vmul(get('vg'), get('vg'))))),
        io.store('sq', '', get('vs')),
        set('vd', vdiv(get('vg'), vadd(sqrt(get('vs')), get('veps')))),
        ...(momentum ? [set('vb', madd(get('vmu'), io.load('buf'), get('vd'))), io.store('buf', '', get('vb'))] : []),
        descend(io, get(momentum ? 'vb' : 'vd')),
      ].join('\n')),
    ].join('\n')));
  }

  fns.push(func('adagrad_update', ['data', 'grad', 'sum', 'n', 'flr', 'feps', 'fdecay'], [
    hyper([...common, ['veps', splat('feps')]]),
    mapLoop('m', ['data', 'grad', 'sum'], 'n', (io) => [
      decayed(io),
      set('vs', madd(get('vg'), get('vg'), io.load('sum'))),
      io.store('sum', '', get('vs')),
      descend(io, vdiv(get('vg'), vadd(sqrt(get('vs')), get('veps')))),
    ].join('\n')),
  ].join('\n')));

  fns.push(func('adam_update', ['data', 'grad', 'mom', 'vel', 'n', 'fb1', 'fb2', 'fl2', 'fshrink', 'fstep', 'fbc2', 'feps'], [
    hyper([['vb1', splat('fb1')], ['vc1', oneMinus('fb1')], ['vb2', splat('fb2')], ['vc2', oneMinus('fb2')], ['vl2', splat('fl2')],
      ['vsh', splat('fshrink')], ['vst', splat('fstep')], ['vbc', splat('fbc2')], ['veps', splat('feps')]]),
    mapLoop('m', ['data', 'grad', 'mom', 'vel'], 'n', (io) => [
      set('vth', io.load('data')),
      set('vg', madd(get('vl2'), get('vth'), io.load('grad'))),
      set('vm', madd(get('vb1'), io.load('mom'), vmul(get('vc1'), get('vg')))),
      set('vv', madd(get('vb2'), io.load('vel'), vmul(get('vc2'), vmul(get('vg'), get('vg'))))),
      io.store('mom', '', get('vm')), io.store('vel', '', get('vv')),
      io.store('data', '', vsub(vmul(get('vsh'), get('vth')), vdiv(vmul(get('vst'), get('vm')), vadd(vdiv(sqrt(get('vv')), get('vbc')), get('veps'))))),
    ].join('\n')),
  ].join('\n')));
  return fns;
}
