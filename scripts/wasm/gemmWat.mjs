// WAT for the three contiguous matrix products of the engine (see src/engine/kernels/gemm.ts):
//   gemm_nn  C (+)= A·B     A[i,k] = a[i·lda + k]   B[k,j] = b[k·ldb + j]
//   gemm_tn  C (+)= Aᵀ·B    A[i,k] = a[k·lda + i]   B[k,j] = b[k·ldb + j]
//   gemm_nt  C (+)= A·Bᵀ    A[i,k] = a[i·lda + k]   B[k,j] = b[j·ldb + k]
// C[i,j] = c[i·ldc + j]. Pointers are byte addresses, strides are in floats; K ≥ 1 (the caller
// handles K = 0); `acc` ≠ 0 adds into C. No reads or writes outside the operands' rows.
//
// NN and TN vectorise along j: a tile of mr rows × w columns keeps mr·w/4 f32x4 accumulators
// (4×8 = 8 registers, as measured best for V8), and per k broadcasts one A value per row. The k
// loop is not unrolled (V8 would hoist the loads and spill). Leftover rows use 1×16 (four
// independent accumulator chains, for the batch-1 vector–matrix product), leftover columns 4 and 1.
// NT vectorises along k: each output is a dot product of two contiguous rows; a 2×4 tile keeps 8
// accumulators, reduced at the end with a 4×4 transpose-add into one vector of 4 outputs.
import { add32, func, get, i32, inc, maddFor, mul32, set, vadd, whileLoop, ZERO } from './watBuilder.mjs';

const PARAMS = ['c', 'ldc', 'a', 'lda', 'b', 'ldb', 'M', 'K', 'N', 'acc'];

/** Stores (or adds into) C at byte address expr `p` + static offset. */
function storeC(p, offset, value, scalar) {
  const off = offset ? ` offset=${offset}` : '';
  if (scalar) return `(f32.store${off} ${p} ${value})`;
  return `(v128.store${off} ${p} ${value})`;
}
function addC(p, offset, value, scalar) {
  const off = offset ? ` offset=${offset}` : '';
  if (scalar) return `(f32.store${off} ${p} (f32.add (f32.load${off} ${p}) ${value}))`;
  return `(v128.store${off} ${p} ${vadd(`(v128.load${off} ${p})`, value)})`;
}
/** `if (acc) stores-adding else stores` */
function storeTile(stores) {
  return `(if ${get('acc')} (then ${stores.map((s) => addC(...s)).join('\n')}) (else ${stores.map((s) => storeC(...s)).join('\n')}))`;
}

/** NN/TN tile at (i, j): mr rows × w columns (w = 16, 8, 4 or 1). */
function rowTile(form, fma, mr, w) {
  const madd = maddFor(fma);
  const scalar = w === 1;
  const nv = scalar ? 1 : w / 4;
  const acc = (r, v) => `${scalar ? 'f' : 'v'}c${r}_${v}`;
  const lines = [];
  for (let r = 0; r < mr; r++) for (let v = 0; v < nv; v++) lines.push(set(acc(r, v), scalar ? '(f32.const 0)' : ZERO));
  // pa: A at (i, k); pb: B at (k, j)
  lines.push(set('pa', form === 'nn' ? add32(get('a'), mul32(get('i'), get('lda'))) : add32(get('a'), `(i32.shl ${get('i')} ${i32(2)})`)));
  lines.push(set('pb', add32(get('b'), `(i32.shl ${get('j')} ${i32(2)})`)));
  lines.push(set('k', get('K')));
  const body = [];
  for (let v = 0; v < nv; v++) body.push(set(`${scalar ? 'f' : 'v'}b${v}`, scalar ? `(f32.load ${get('pb')})` : `(v128.load offset=${16 * v} ${get('pb')})`));
  for (let r = 0; r < mr; r++) {
    // NN: row r of A is lda floats further (a runtime stride); TN: one float further.
    const pa = form === 'nn' ? (r === 0 ? get('pa') : add32(get('pa'), get(`ra${r}`))) : get('pa');
    const off = form === 'tn' && r > 0 ? ` offset=${4 * r}` : '';
    body.push(set(scalar ? 'fx' : 'vx', scalar ? `(f32.load${off} ${pa})` : `(v128.load32_splat${off} ${pa})`));
    for (let v = 0; v < nv; v++) {
      const b = get(`${scalar ? 'f' : 'v'}b${v}`);
      body.push(set(acc(r, v), scalar ? `(f32.add (f32.mul ${get('fx')} ${b}) ${get(acc(r, v))})` : madd(get('vx'), b, get(acc(r, v)))));
    }
  }
  body.push(inc('pa', form === 'nn' ? i32(4) : get('lda')));
  body.push(inc('pb', get('ldb')));
  body.push(set('k', `(i32.sub ${get('k')} ${i32(1)})`));
  lines.push(whileLoop('kloop', get('k'), body.join('\n')));
  const stores = [];
  for (let r = 0; r < mr; r++) {
    const pc = `(i32.add ${get('pc')} ${r === 0 ? i32(0) : get(`rc${r}`)})`;
    for (let v = 0; v < nv; v++) stores.push([pc, 16 * v, get(acc(r, v)), scalar]);
  }
  lines.push(set('pc', add32(get('c'), add32(mul32(get('i'), get('ldc')), `(i32.shl ${get('j')} ${i32(2)})`))));
  lines.push(storeTile(stores));
  lines.push(inc('j', i32(w)));
  return lines.join('\n');
}

/** Columns of one band of `mr` rows: tiles of the widths given, widest first. */
function rowBand(tile, widths) {
  return [set('j', i32(0)), ...widths.map((w) => {
    const cond = `(i32.le_u ${add32(get('j'), i32(w))} ${get('N')})`;
    return whileLoop(`cols${w}`, cond, tile(w));
  })].join('\n');
}

/** Byte strides and the row offsets the tiles use. */
function prologue(rowOffsets) {
  const lines = ['ldc', 'lda', 'ldb'].map((s) => set(s, `(i32.shl ${get(s)} ${i32(2)})`));
  for (const [name, stride, count] of rowOffsets) {
    for (let r = 1; r < count; r++) lines.push(set(`${name}${r}`, mul32(get(stride), i32(r))));
  }
  return lines.join('\n');
}

/** gemm_nn or gemm_tn. */
export function rowMajorGemm(form, fma) {
  const body = [
    prologue([['ra', 'lda', 4], ['rc', 'ldc', 4]]),
    set('i', i32(0)),
    whileLoop('rows4', `(i32.le_u ${add32(get('i'), i32(4))} ${get('M')})`,
      [rowBand((w) => rowTile(form, fma, 4, w), [8, 4, 1]), inc('i', i32(4))].join('\n')),
    whileLoop('rows1', `(i32.lt_u ${get('i')} ${get('M')})`,
      [rowBand((w) => rowTile(form, fma, 1, w), [16, 4, 1]), inc('i', i32(1))].join('\n')),
  ].join('\n');
  return func(`gemm_${form}`, PARAMS, body);
}

// 4×4 transpose-add: [Σa, Σb, Σc, Σd] from four accumulators (byte shuffles of 32-bit lanes).
const lanes = (...ls) => ls.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]).join(' ');
const shuffle = (idx, x, y) => `(i8x16.shuffle ${idx} ${x} ${y})`;
const LO = lanes(0, 4, 1, 5);
const HI = lanes(2, 6, 3, 7);
const SEL1 = lanes(0, 1, 4, 5);
const SEL2 = lanes(2, 3, 6, 7);
function sum4(a, b, c, d) {
  const s01 = vadd(shuffle(LO, a, b), shuffle(HI, a, b));
  const s23 = vadd(shuffle(LO, c, d), shuffle(HI, c, d));
  return [set('vs01', s01), set('vs23', s23), vadd(shuffle(SEL1, get('vs01'), get('vs23')), shuffle(SEL2, get('vs01'), get('vs23')))];
}
const hsum = (v) => `(f32.add (f32.add (f32x4.extract_lane 0 ${v}) (f32x4.extract_lane 1 ${v})) (f32.add (f32x4.extract_lane 2 ${v}) (f32x4.extract_lane 3 ${v})))`;

/** NT tile at (i, j): mr rows × nr columns (nr = 8, 4 or 1), dot products over k. */
function dotTile(fma, mr, nr) {
  const madd = maddFor(fma);
  const acc = (r, q) => `vc${r}_${q}`;
  const aRow = (r) => (r === 0 ? get('pa') : add32(get('pa'), get(`ra${r}`)));
  const bRow = (q) => (q === 0 ? get('pb') : add32(get('pb'), get(`rb${q}`)));
  const lines = [];
  for (let r = 0; r < mr; r++) for (let q = 0; q < nr; q++) lines.push(set(acc(r, q), ZERO));
  lines.push(set('pa', add32(get('a'), mul32(get('i'), get('lda')))));
  lines.push(set('pb', add32(get('b'), mul32(get('j'), get('ldb')))));
  lines.push(set('k', `(i32.shr_u ${get('K')} ${i32(2)})`));
  const body = [];
  for (let r = 0; r < mr; r++) body.push(set(`vx${r}`, `(v128.load ${aRow(r)})`));
  for (let q = 0; q < nr; q++) {
    body.push(set('vb', `(v128.load ${bRow(q)})`));
    for (let r = 0; r < mr; r++) body.push(set(acc(r, q), madd(get(`vx${r}`), get('vb'), get(acc(r, q)))));
  }
  body.push(inc('pa', i32(16)), inc('pb', i32(16)), set('k', `(i32.sub ${get('k')} ${i32(1)})`));
  lines.push(whileLoop('kloop', get('k'), body.join('\n')));
  // Reduce to one value per output (vectors of 4 outputs when nr ≥ 4), then the K mod 4 tail.
  const groups = nr === 1 ? 1 : nr / 4;
  for (let r = 0; r < mr; r++) {
    for (let g = 0; g < groups; g++) {
      if (nr === 1) lines.push(set(`fr${r}`, hsum(get(acc(r, 0)))));
      else {
        const [s01, s23, total] = sum4(...[0, 1, 2, 3].map((q) => get(acc(r, 4 * g + q))));
        lines.push(s01, s23, set(`vr${r}_${g}`, total));
      }
    }
  }
  lines.push(set('k', `(i32.and ${get('K')} ${i32(3)})`));
  const tail = [];
  for (let r = 0; r < mr; r++) {
    if (nr === 1) {
      tail.push(set(`fr${r}`, `(f32.add ${get(`fr${r}`)} (f32.mul (f32.load ${aRow(r)}) (f32.load ${bRow(0)})))`));
      continue;
    }
    for (let g = 0; g < groups; g++) {
      let gathered = `(f32x4.splat (f32.load ${bRow(4 * g)}))`;
      for (let q = 1; q < 4; q++) gathered = `(f32x4.replace_lane ${q} ${gathered} (f32.load ${bRow(4 * g + q)}))`;
      tail.push(set(`vr${r}_${g}`, madd(`(v128.load32_splat ${aRow(r)})`, gathered, get(`vr${r}_${g}`))));
    }
  }
  tail.push(inc('pa', i32(4)), inc('pb', i32(4)), set('k', `(i32.sub ${get('k')} ${i32(1)})`));
  lines.push(whileLoop('ktail', get('k'), tail.join('\n')));
  lines.push(set('pc', add32(get('c'), add32(mul32(get('i'), get('ldc')), `(i32.shl ${get('j')} ${i32(2)})`))));
  const stores = [];
  for (let r = 0; r < mr; r++) {
    const pc = `(i32.add ${get('pc')} ${r === 0 ? i32(0) : get(`rc${r}`)})`;
    if (nr === 1) stores.push([pc, 0, get(`fr${r}`), true]);
    else for (let g = 0; g < groups; g++) stores.push([pc, 16 * g, get(`vr${r}_${g}`), false]);
  }
  lines.push(storeTile(stores));
  lines.push(inc('j', i32(nr)));
  return lines.join('\n');
}

/** gemm_nt */
export function dotGemm(fma) {
  const body = [
    prologue([['ra', 'lda', 2], ['rb', 'ldb', 8], ['rc', 'ldc', 2]]),
    set('i', i32(0)),
    whileLoop('rows2', `(i32.le_u ${add32(get('i'), i32(2))} ${get('M')})`,
      [rowBand((w) => dotTile(fma, 2, w), [4, 1]), inc('i', i32(2))].join('\n')),
    whileLoop('rows1', `(i32.lt_u ${get('i')} ${get('M')})`,
      [rowBand((w) => dotTile(fma, 1, w), [8, 4, 1]), inc('i', i32(1))].join('\n')),
  ].join('\n');
  return func('gemm_nt', PARAMS, body);
}
