// WAT for the row kernels (src/engine/kernels/rowKernels.ts): copies and adds of whole rows of
// `width` floats, with row strides or with row indices, 4 lanes at a time (tails through the same
// code on one lane). Each output element is a copy or one f32 addition, exactly as the TypeScript
// loops do, so results are bit-identical to them. Pointers are byte addresses; strides and widths
// are in elements; `ids` is an i32 array of row indices into `table`.
//   gather_rows       out[r] = table[ids[r]]                 (one-hot input: W_ih's columns as rows)
//   scatter_add_rows  table[ids[r]] += src[r]                (one-hot input: ∂W_ih's columns as rows)
//   add_rows          out[r] = a[r] + b[r·bstride]            (∂L/∂h_t = carried + from above)
//   copy_rows         out[r·ostride] = src[r·sstride]         (merging directions into one row)
import { add32, func, get, i32, inc, mapLoop, mul32, set, vadd, whileLoop } from './watBuilder.mjs';

/** Bytes of `name` floats. */
const bytes = (name) => `(i32.shl ${get(name)} ${i32(2)})`;

/**
 * `rows` times: point the cursors at this row (`start`), run `body` over `width` floats, then
 * advance the row pointers (`advance`).
 */
function perRow(name, params, cursors, start, body, advance) {
  return func(name, params, whileLoop('rows', get('rows'), [
    ...start, set('n', get('width')),
    mapLoop('m', cursors, 'n', body),
    ...advance,
    set('rows', `(i32.sub ${get('rows')} ${i32(1)})`),
  ].join('\n')));
}

export function rowsWat() {
  const tableRow = set('pt', add32(get('table'), mul32('(i32.load (local.get $ids))', bytes('width'))));
  return [
    perRow('gather_rows', ['out', 'table', 'ids', 'rows', 'width'], ['po', 'pt'],
      [set('po', get('out')), tableRow],
      (io) => io.store('po', '', io.load('pt')),
      [inc('out', bytes('width')), inc('ids', i32(4))]),
    perRow('scatter_add_rows', ['table', 'src', 'ids', 'rows', 'width'], ['pt', 'ps'],
      [tableRow, set('ps', get('src'))],
      (io) => io.store('pt', '', vadd(io.load('pt'), io.load('ps'))),
      [inc('src', bytes('width')), inc('ids', i32(4))]),
    perRow('add_rows', ['out', 'a', 'b', 'bstride', 'rows', 'width'], ['po', 'pa', 'pb'],
      [set('po', get('out')), set('pa', get('a')), set('pb', get('b'))],
      (io) => io.store('po', '', vadd(io.load('pa'), io.load('pb'))),
      [inc('out', bytes('width')), inc('a', bytes('width')), inc('b', bytes('bstride'))]),
    perRow('copy_rows', ['out', 'ostride', 'src', 'sstride', 'rows', 'width'], ['po', 'ps'],
      [set('po', get('out')), set('ps', get('src'))],
      (io) => io.store('po', '', io.load('ps')),
      [inc('out', bytes('ostride')), inc('src', bytes('sstride'))]),
  ];
}
