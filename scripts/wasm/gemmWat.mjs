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
// Long sums of the TN form (weight gradients over T·B rows) run on packed panels (packedGemm).
//
// Measured (bench/gemmKernels.mjs, GFLOP/s per CPU second on a Zen 5 core, 128-bit FMA peak ≈ 67):
// the 4×8 tiles run at 57–60 on the recurrent shapes (M = 16–64), about the ceiling of 8
// accumulator chains (62 in a loop of FMAs alone). 5×8, 6×8, 3×16 and a k loop unrolled by 2 run
// at 26–33 (V8 keeps 15 xmm registers and schedules every load of a pass first, so
// mr + w/4 + mr·w/4 ≤ 15); 3×12 ties with 4×8; columns outer, and NT as NN on a transposed copy of
// B, tie or lose.
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

/**
 * Tile at (i, j) of gemm_nn, gemm_tn or gemm_pk: mr rows × w columns (w = 16, 12, 8, 4 or 1).
 * Per k it broadcasts one A value per row and loads w/4 vectors of B. Where A and B are:
 *   nn  A[i+r, k] at pa + r·lda, pa += 4        B[k, j..] at pb, pb += ldb
 *   tn  A[k, i+r] at pa + 4r,    pa += lda      B as nn
 *   pk  packed panels (packA/packB): the band of rows at i holds K×mr floats at a + 4·i·K,
 *       k-major (A[k, i+r] at pa + 4r, pa += 4·mr); the panel of columns at j holds K×w at
 *       b + 4·j·K (B[k, j..] at pb, pb += 4·w)
 */
function rowTile(form, fma, mr, w) {
  const madd = maddFor(fma);
  const scalar = w === 1;
  const nv = scalar ? 1 : w / 4;
  const acc = (r, v) => `${scalar ? 'f' : 'v'}c${r}_${v}`;
  const lines = [];
  for (let r = 0; r < mr; r++) for (let v = 0; v < nv; v++) lines.push(set(acc(r, v), scalar ? '(f32.const 0)' : ZERO));
  // how A and B are read: form nn, tn, pk (both packed) or tp (A as tn, B packed)
  const aForm = form === 'tp' ? 'tn' : form;
  const bPacked = form === 'pk' || form === 'tp';
  const panelStart = (ptr, index) => add32(get(ptr), `(i32.shl ${mul32(get(index), get('K'))} ${i32(2)})`);
  if (aForm === 'pk') lines.push(set('pa', panelStart('a', 'i')));
  else lines.push(set('pa', aForm === 'nn' ? add32(get('a'), mul32(get('i'), get('lda'))) : add32(get('a'), `(i32.shl ${get('i')} ${i32(2)})`)));
  lines.push(set('pb', bPacked ? panelStart('b', 'j') : add32(get('b'), `(i32.shl ${get('j')} ${i32(2)})`)));
  const body = [];
  for (let v = 0; v < nv; v++) body.push(set(`${scalar ? 'f' : 'v'}b${v}`, scalar ? `(f32.load ${get('pb')})` : `(v128.load offset=${16 * v} ${get('pb')})`));
  for (let r = 0; r < mr; r++) {
    const pa = aForm === 'nn' && r > 0 ? add32(get('pa'), get(`ra${r}`)) : get('pa');
    const off = aForm !== 'nn' && r > 0 ? ` offset=${4 * r}` : '';
    body.push(set(scalar ? 'fx' : 'vx', scalar ? `(f32.load${off} ${pa})` : `(v128.load32_splat${off} ${pa})`));
    for (let v = 0; v < nv; v++) {
      const b = get(`${scalar ? 'f' : 'v'}b${v}`);
      body.push(set(acc(r, v), scalar ? `(f32.add (f32.mul ${get('fx')} ${b}) ${get(acc(r, v))})` : madd(get('vx'), b, get(acc(r, v)))));
    }
  }
  body.push(inc('pa', aForm === 'nn' ? i32(4) : aForm === 'tn' ? get('lda') : i32(4 * mr)));
  body.push(inc('pb', bPacked ? i32(4 * w) : get('ldb')));
  body.push(set('k', `(i32.sub ${get('k')} ${i32(1)})`));
  lines.push(set('k', get('K')));
  lines.push(whileLoop('kloop', get('k'), body.join('\n')));
  const stores = [];
  for (let r = 0; r < mr; r++) {
    const pc = `(i32.add ${get('pc')} ${r === 0 ? i32(0) : get(`rc${r}`)})`;
    for (let v = 0; v < nv; v++) stores.push([pc, 16 * v, get(acc(r, v)), scalar]);
  }
  lines.push(set('pc', add32(get('c'), add32(mul32(get('i'), get('ldc')), `(i32.shl ${get('j')} ${i32(2)})`))));
  lines.push(storeTile(stores));
  return lines.join('\n');
}

/** `while (idx + step <= limit) { body; idx += step }` */
const stepLoop = (label, idx, step, limit, body) =>
  whileLoop(label, `(i32.le_u ${add32(get(idx), i32(step))} ${get(limit)})`, [body, inc(idx, i32(step))].join('\n'));

/** Byte strides and the row offsets the tiles use. */
function prologue(rowOffsets) {
  const lines = ['ldc', 'lda', 'ldb'].map((s) => set(s, `(i32.shl ${get(s)} ${i32(2)})`));
  for (const [name, stride, count] of rowOffsets) {
    for (let r = 1; r < count; r++) lines.push(set(`${name}${r}`, mul32(get(stride), i32(r))));
  }
  return lines.join('\n');
}

/**
 * gemm_nn or gemm_tn (export `name`). Options: `rows` the tile heights, tallest first (the last
 * must be 1); `widths` the tile widths of the full-height bands, widest first (the last must be
 * 1), and `widths1` those of single rows; `panels` runs columns outer (a K×w panel of B stays
 * in L1 across every band of rows; single rows then take the panel's width).
 */
export function rowMajorGemm(form, fma, options = {}) {
  const { rows = [4, 1], widths = [8, 4, 1], panels = false, name = `gemm_${form}` } = options;
  // packed panels have the widths of the bands of rows (packB)
  const widths1 = form === 'pk' || form === 'tp' ? widths : options.widths1 ?? [16, 4, 1];
  const tallest = Math.max(...rows);
  const tile = (mr, w) => rowTile(form, fma, mr, w);
  let body;
  if (!panels) {
    const band = (mr, ws) => [set('j', i32(0)), ...ws.map((w) => stepLoop(`cols${mr}_${w}`, 'j', w, 'N', tile(mr, w)))].join('\n');
    body = [set('i', i32(0)), ...rows.map((mr) => stepLoop(`rows${mr}`, 'i', mr, 'M', band(mr, mr === 1 ? widths1 : widths)))];
  } else {
    const panel = (w) => [set('i', i32(0)), ...rows.map((mr) => stepLoop(`rows${mr}_${w}`, 'i', mr, 'M', tile(mr, w)))].join('\n');
    body = [set('j', i32(0)), ...widths.map((w) => stepLoop(`cols${w}`, 'j', w, 'N', panel(w)))];
  }
  return func(name, PARAMS, [prologue([['ra', 'lda', tallest], ['rc', 'ldc', tallest]]), ...body].join('\n'));
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
  return lines.join('\n');
}

/**
 * gemm_nt (export `name`). Options: `rows` the tile heights, tallest first (the last must be 1),
 * and `widths` per height the tile widths (8, 4 or 1), widest first.
 */
export function dotGemm(fma, options = {}) {
  const { rows = [2, 1], widths = { 2: [4, 1], 1: [8, 4, 1] }, name = 'gemm_nt' } = options;
  const tallest = Math.max(...rows);
  const widest = Math.max(...Object.values(widths).flat());
  const band = (mr) => [set('j', i32(0)), ...widths[mr].map((w) => stepLoop(`cols${mr}_${w}`, 'j', w, 'N', dotTile(fma, mr, w)))].join('\n');
  const body = [
    prologue([['ra', 'lda', tallest], ['rb', 'ldb', widest], ['rc', 'ldc', tallest]]),
    set('i', i32(0)),
    ...rows.map((mr) => stepLoop(`rows${mr}`, 'i', mr, 'M', band(mr))),
  ].join('\n');
  return func(name, PARAMS, body);
}

/**
 * transpose(dst, ldd, src, lds, rows, cols): dst[c·ldd + r] = src[r·lds + c] for r < rows,
 * c < cols (pointers in bytes, strides in floats): 4×4 blocks by shuffles, the edges one by one.
 */
export function transposeWat() {
  const srcRow = (q) => add32(get('ps'), q === 0 ? i32(0) : mul32(get('lds'), i32(q)));
  const dstRow = (q) => add32(get('pd'), q === 0 ? i32(0) : mul32(get('ldd'), i32(q)));
  const block = [
    set('ps', add32(get('src'), add32(mul32(get('r'), get('lds')), `(i32.shl ${get('c')} ${i32(2)})`))),
    set('pd', add32(get('dst'), add32(mul32(get('c'), get('ldd')), `(i32.shl ${get('r')} ${i32(2)})`))),
    ...[0, 1, 2, 3].map((q) => set(`vr${q}`, `(v128.load ${srcRow(q)})`)),
    set('vt0', shuffle(LO, get('vr0'), get('vr1'))), set('vt1', shuffle(HI, get('vr0'), get('vr1'))),
    set('vt2', shuffle(LO, get('vr2'), get('vr3'))), set('vt3', shuffle(HI, get('vr2'), get('vr3'))),
    `(v128.store ${dstRow(0)} ${shuffle(SEL1, get('vt0'), get('vt2'))})`,
    `(v128.store ${dstRow(1)} ${shuffle(SEL2, get('vt0'), get('vt2'))})`,
    `(v128.store ${dstRow(2)} ${shuffle(SEL1, get('vt1'), get('vt3'))})`,
    `(v128.store ${dstRow(3)} ${shuffle(SEL2, get('vt1'), get('vt3'))})`,
  ].join('\n');
  const one = `(f32.store ${add32(get('dst'), `(i32.shl ${add32(mul32(get('c'), get('ldd')), get('r'))} ${i32(2)})`)} ` +
    `(f32.load ${add32(get('src'), `(i32.shl ${add32(mul32(get('r'), get('lds')), get('c'))} ${i32(2)})`)}))`;
  const body = [
    set('r', i32(0)),
    stepLoop('r4', 'r', 4, 'rows', [set('c', i32(0)), stepLoop('c4', 'c', 4, 'cols', block),
      // columns past the last block, for these 4 rows
      stepLoop('c1', 'c', 1, 'cols', [0, 1, 2, 3].map((q) => [set('r', add32(get('r'), i32(q ? 1 : 0))), one].join('\n')).join('\n') + `\n${set('r', `(i32.sub ${get('r')} ${i32(3)})`)}`),
    ].join('\n')),
    stepLoop('r1', 'r', 1, 'rows', [set('c', i32(0)), stepLoop('c1r', 'c', 1, 'cols', one)].join('\n')),
  ].join('\n');
  return func('transpose', ['dst', 'ldd', 'src', 'lds', 'rows', 'cols'], body);
}

/**
 * `name`(dst, src, ld, K, N): the K rows of N floats at src (row stride ld floats) as panels of
 * the widths given (widest first, greedily, as the kernels step through columns): the panel of
 * width w at column j holds K×w floats at dst + 4·j·K, k-major. This is packB of B (K×N), and
 * packA of Aᵀ in the tn form (widths = the tile heights).
 */
function packRowsWat(name, widths) {
  const copy = (w) => {
    const lines = [];
    for (let q = 0; q < w; q += 4) {
      lines.push(w - q >= 4 ? `(v128.store offset=${4 * q} ${get('pd')} (v128.load offset=${4 * q} ${get('ps')}))` : '');
    }
    if (w === 1) lines.push(`(f32.store ${get('pd')} (f32.load ${get('ps')}))`);
    return lines.filter(Boolean).join('\n');
  };
  const panel = (w) => [
    set('ps', add32(get('src'), `(i32.shl ${get('j')} ${i32(2)})`)),
    set('pd', add32(get('dst'), `(i32.shl ${mul32(get('j'), get('K'))} ${i32(2)})`)),
    set('k', get('K')),
    whileLoop(`k${w}`, get('k'), [copy(w), inc('ps', get('ld')), inc('pd', i32(4 * w)), set('k', `(i32.sub ${get('k')} ${i32(1)})`)].join('\n')),
  ].join('\n');
  const body = [
    set('ld', `(i32.shl ${get('ld')} ${i32(2)})`),
    set('j', i32(0)),
    ...widths.map((w) => stepLoop(`cols${w}`, 'j', w, 'N', panel(w))),
  ].join('\n');
  return func(name, ['dst', 'src', 'ld', 'K', 'N'], body);
}

/**
 * The packed product and its packers (kernels of the module):
 *   gemm_pk(c, ldc, a, 0, b, 0, M, K, N, acc)  C (+)= A·B from packed panels, M a multiple of 4
 *   pack_a(dst, a, lda, K, M)   Aᵀ stored K×M (the tn form's A) → bands of 4 rows, K×4 each
 *   pack_b(dst, b, ldb, K, N)   B stored K×N → panels of 8, 4, 1 columns, K×w each
 * Contiguous panels stream through the cache where the tn form's power-of-two strides (lda =
 * 4H floats, ldb = H) make each k step land in the same few cache sets.
 */
export function packedGemm(fma) {
  return [rowMajorGemm('pk', fma, { rows: [4], name: 'gemm_pk' }), packRowsWat('pack_a', [4]), packRowsWat('pack_b', [8, 4, 1])];
}
