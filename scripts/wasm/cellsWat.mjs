// WAT for the gate math of the LSTM and GRU cells (src/engine/cells/*): each function runs one time
// step of `rows` consecutive sequences in one call (the cell groups the unpadded rows of a step), so
// a step costs one call per direction rather than one per sequence. Within a row the H units go 4
// lanes at a time (tails one by one); a row of gates is G·H wide, a row of states H wide, and rows
// follow each other (gate arrays by G·H, state arrays by H). σ and tanh are elementwiseWat.mjs's.
import { mathFor } from './elementwiseWat.mjs';
import { f4, func, get, i32, inc, mapLoop, mul32, set, vadd, vmul, vsub, whileLoop } from './watBuilder.mjs';

const ONE = f4(1);

/** Block offsets H, 2H, 3H in bytes (h1 h2 h3), for the packed gate rows. */
const gateOffsets = [set('h1', `(i32.shl ${get('H')} ${i32(2)})`), set('h2', `(i32.shl ${get('H')} ${i32(3)})`), set('h3', mul32(get('H'), i32(12)))].join('\n');

/**
 * A function over `rows` rows of H units: `body(io)` is one 4-lane (or tail) step of a row, as in
 * mapLoop; after each row the cursors of gate arrays (`wide`) skip the row's other G−1 blocks,
 * whose byte width is the local `skip`.
 */
function rowsFunc(name, params, wide, skip, body) {
  const cursors = params.filter((p) => p !== 'H' && p !== 'rows');
  return func(name, params, [gateOffsets, whileLoop('rows', get('rows'), [
    set('n', get('H')),
    mapLoop('m', cursors, 'n', body),
    ...wide.map((p) => inc(p, get(skip))),
    set('rows', `(i32.sub ${get('rows')} ${i32(1)})`),
  ].join('\n'))].join('\n'));
}

export function cellsWat(fma) {
  const m = mathFor(fma);
  const fns = [];
  // LSTM forward: gates [i f g o] from xp + hp, c = f⊙c_prev + i⊙g, tc = tanh c, h = o⊙tanh c.
  fns.push(rowsFunc('lstm_forward', ['xp', 'hp', 'cp', 'gates', 'c', 'tc', 'h', 'H', 'rows'], ['xp', 'hp', 'gates'], 'h3', (io) => {
    const pre = (off) => vadd(io.load('xp', off), io.load('hp', off));
    return [
      m.sigmoid('vi', pre(''), 'a'), m.sigmoid('vf', pre('h1'), 'b'), m.tanh('vg', pre('h2'), 'c'), m.sigmoid('vo', pre('h3'), 'd'),
      set('vcn', m.madd(get('vf'), io.load('cp'), vmul(get('vi'), get('vg')))),
      m.tanh('vt', get('vcn'), 'e'),
      io.store('gates', '', get('vi')), io.store('gates', 'h1', get('vf')), io.store('gates', 'h2', get('vg')), io.store('gates', 'h3', get('vo')),
      io.store('c', '', get('vcn')), io.store('tc', '', get('vt')), io.store('h', '', vmul(get('vo'), get('vt'))),
    ].join('\n');
  }));
  // LSTM backward: dc = dc_carry + dh⊙o⊙(1−tanh²c); da_[i f g o]; dc_carry ← dc⊙f.
  fns.push(rowsFunc('lstm_backward', ['gates', 'tc', 'cp', 'dh', 'dc', 'dx', 'H', 'rows'], ['gates', 'dx'], 'h3', (io) => [
    set('vi', io.load('gates')), set('vf', io.load('gates', 'h1')), set('vg', io.load('gates', 'h2')), set('vo', io.load('gates', 'h3')),
    set('vt', io.load('tc')), set('vd', io.load('dh')),
    set('vdc', m.madd(vmul(get('vd'), get('vo')), vsub(ONE, vmul(get('vt'), get('vt'))), io.load('dc'))),
    io.store('dx', '', vmul(vmul(get('vdc'), get('vg')), vmul(get('vi'), vsub(ONE, get('vi'))))),
    io.store('dx', 'h1', vmul(vmul(get('vdc'), io.load('cp')), vmul(get('vf'), vsub(ONE, get('vf'))))),
    io.store('dx', 'h2', vmul(vmul(get('vdc'), get('vi')), vsub(ONE, vmul(get('vg'), get('vg'))))),
    io.store('dx', 'h3', vmul(vmul(get('vd'), get('vt')), vmul(get('vo'), vsub(ONE, get('vo'))))),
    io.store('dc', '', vmul(get('vdc'), get('vf'))),
  ].join('\n')));
  // GRU forward: r, z = σ(xp + hp); n = tanh(xp_n + r⊙hp_n); hn = hp_n; h = (1−z)⊙n + z⊙h_prev.
  fns.push(rowsFunc('gru_forward', ['xp', 'hp', 'hprev', 'gates', 'hn', 'h', 'H', 'rows'], ['xp', 'hp', 'gates'], 'h2', (io) => [
    m.sigmoid('vr', vadd(io.load('xp'), io.load('hp')), 'a'),
    m.sigmoid('vz', vadd(io.load('xp', 'h1'), io.load('hp', 'h1')), 'b'),
    set('vhn', io.load('hp', 'h2')),
    m.tanh('vn', m.madd(get('vr'), get('vhn'), io.load('xp', 'h2')), 'c'),
    io.store('gates', '', get('vr')), io.store('gates', 'h1', get('vz')), io.store('gates', 'h2', get('vn')), io.store('hn', '', get('vhn')),
    io.store('h', '', m.madd(get('vz'), vsub(io.load('hprev'), get('vn')), get('vn'))),
  ].join('\n')));
  // GRU backward: input side [da_r da_z da_n], hidden side [da_r da_z da_n⊙r].
  fns.push(rowsFunc('gru_backward', ['gates', 'hn', 'hprev', 'dh', 'dx', 'dhid', 'H', 'rows'], ['gates', 'dx', 'dhid'], 'h2', (io) => [
    set('vr', io.load('gates')), set('vz', io.load('gates', 'h1')), set('vn', io.load('gates', 'h2')), set('vd', io.load('dh')),
    set('van', vmul(vmul(get('vd'), vsub(ONE, get('vz'))), vsub(ONE, vmul(get('vn'), get('vn'))))),
    set('vaz', vmul(vmul(get('vd'), vsub(io.load('hprev'), get('vn'))), vmul(get('vz'), vsub(ONE, get('vz'))))),
    set('var', vmul(vmul(get('van'), io.load('hn')), vmul(get('vr'), vsub(ONE, get('vr'))))),
    io.store('dx', '', get('var')), io.store('dx', 'h1', get('vaz')), io.store('dx', 'h2', get('van')),
    io.store('dhid', '', get('var')), io.store('dhid', 'h1', get('vaz')), io.store('dhid', 'h2', vmul(get('van'), get('vr'))),
  ].join('\n')));
  // GRU's direct path to h_{t-1}: dhp += dh ⊙ z, z the second block of each gate row (from `gates` + H).
  fns.push(rowsFunc('gru_carry', ['dhp', 'dh', 'gates', 'H', 'rows'], ['gates'], 'h2', (io) =>
    io.store('dhp', '', m.madd(io.load('dh'), io.load('gates', 'h1'), io.load('dhp')))));
  return fns;
}
