// Small helpers that print WebAssembly text (folded S-expressions) for the kernel generator.
// Locals are declared automatically from their names: `v…` is v128, `f…` is f32, anything else i32.

/** `(local.get $name)` */
export const get = (name) => `(local.get $${name})`;
/** `(local.set $name expr)` */
export const set = (name, expr) => `(local.set $${name} ${expr})`;
export const i32 = (n) => `(i32.const ${n})`;
export const add32 = (a, b) => `(i32.add ${a} ${b})`;
export const mul32 = (a, b) => `(i32.mul ${a} ${b})`;
/** local += expr (i32) */
export const inc = (name, expr) => set(name, add32(get(name), expr));

/** A v128 constant with the same f32 in every lane (printed with full precision). */
export const f4 = (c) => {
  const s = Number(Math.fround(c)).toPrecision(9);
  return `(v128.const f32x4 ${s} ${s} ${s} ${s})`;
};
export const vadd = (a, b) => `(f32x4.add ${a} ${b})`;
export const vsub = (a, b) => `(f32x4.sub ${a} ${b})`;
export const vmul = (a, b) => `(f32x4.mul ${a} ${b})`;
export const vdiv = (a, b) => `(f32x4.div ${a} ${b})`;
export const vmin = (a, b) => `(f32x4.min ${a} ${b})`;
export const vmax = (a, b) => `(f32x4.max ${a} ${b})`;
export const ZERO = '(v128.const i32x4 0 0 0 0)';

/** a·b + c, fused (relaxed SIMD, one rounding where the CPU has FMA) or as mul then add. */
export const maddFor = (fma) => (a, b, c) => (fma ? `(f32x4.relaxed_madd ${a} ${b} ${c})` : vadd(vmul(a, b), c));

/** `while (cond) { body }` as a block/loop pair; `cond` is an i32 expression. */
export function whileLoop(label, cond, body) {
  return `(block $${label}_end (loop $${label}\n(br_if $${label}_end (i32.eqz ${cond}))\n${body}\n(br $${label})))`;
}

/** Byte address `p + off` where `off` is a local's name, or just `p`. */
export const address = (p, off) => (off ? add32(get(p), get(off)) : get(p));

/** Loads and stores of a 4-lane body over consecutive f32s (advance 16 bytes per iteration). */
export const VECTOR = {
  width: 16,
  load: (p, off) => `(v128.load ${address(p, off)})`,
  store: (p, off, e) => `(v128.store ${address(p, off)} ${e})`,
};
/** The same body on one element: the value splatted into all lanes, lane 0 stored (tails). */
export const SCALAR = {
  width: 4,
  load: (p, off) => `(v128.load32_splat ${address(p, off)})`,
  store: (p, off, e) => `(f32.store ${address(p, off)} (f32x4.extract_lane 0 ${e}))`,
};

/**
 * A loop over the `count` (local name) elements of the arrays whose byte cursors are `cursors`:
 * the body in groups of 4 lanes, then the 0–3 left one by one through the same body. `body(io)`
 * reads and writes through `io.load(cursor, offsetLocal?)` and `io.store(cursor, offsetLocal?, expr)`.
 */
export function mapLoop(label, cursors, count, body) {
  const step = (io) => [
    body(io),
    ...cursors.map((p) => inc(p, i32(io.width))),
    set(count, `(i32.sub ${get(count)} ${i32(io.width / 4)})`),
  ].join('\n');
  return [
    whileLoop(`${label}_v`, `(i32.ge_u ${get(count)} ${i32(4)})`, step(VECTOR)),
    whileLoop(`${label}_s`, `(i32.ne ${get(count)} ${i32(0)})`, step(SCALAR)),
  ].join('\n');
}

/** A function with i32 params, its locals declared from the names its body uses. */
export function func(name, params, body, result = '') {
  const used = new Set([...body.matchAll(/\(local\.[gst]et \$(\w+)/g)].map((m) => m[1]));
  for (const p of params) used.delete(p);
  const type = (n) => (n.startsWith('v') ? 'v128' : n.startsWith('f') ? 'f32' : 'i32');
  const locals = [...used].sort().map((n) => `(local $${n} ${type(n)})`).join(' ');
  const ps = params.map((p) => `(param $${p} ${p.startsWith('f') ? 'f32' : 'i32'})`).join(' ');
  return `(func $${name} (export "${name}") ${ps}${result ? ` (result ${result})` : ''}\n${locals}\n${body})`;
}
