import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { typescriptBackend } from '../../../src/engine/kernels/backend';
import type { FloatArray, Param } from '../../../src/engine/types';
import {
  clipGradNorm,
  clipGradValue,
  createOptimizer,
  gradNorm,
  learningRateAt,
  type OptimizerConfig,
} from '../../../src/engine/optimizers';

interface TensorPair { w: number[]; b: number[] }
interface FixtureCase {
  name: string;
  config: OptimizerConfig;
  learningRates: number[];
  initial: TensorPair;
  grads: TensorPair[];
  after: TensorPair[];
  state: Record<string, number[]>;
}

const fixture = JSON.parse(
  readFileSync(join(__dirname, '../../fixtures/optimizers/optimizerSteps.json'), 'utf8'),
) as { cases: FixtureCase[] };

function makeParam(name: string, values: number[], noDecay = false): Param {
  return { name, shape: [values.length], data: Float32Array.from(values), grad: new Float32Array(values.length), noDecay };
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, rtol = 1e-5, atol = 1e-7): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs(actual[i] - expected[i]);
    assert.ok(diff <= atol + rtol * Math.abs(expected[i]), `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

/** One scalar param `x` with gradient g, stepped with the given learning rates; returns x after each step. */
function stepScalar(config: OptimizerConfig, x0: number, grads: number[], learningRates: number[]): number[] {
  const param: Param = { name: 'x', shape: [1], data: Float64Array.of(x0), grad: new Float64Array(1) };
  const optimizer = createOptimizer(config, [param], typescriptBackend);
  return grads.map((g, k) => {
    param.grad[0] = g;
    optimizer.step(learningRates[k]);
    return param.data[0];
  });
}

describe('optimizers', () => {
  describe('match torch.optim over three steps (fixture from PyTorch 1.13)', () => {
    for (const c of fixture.cases) {
      it(c.name, () => {
        const w = makeParam('w', c.initial.w);
        const b = makeParam('b', c.initial.b, true);
        const optimizer = createOptimizer(c.config, [w, b], typescriptBackend);
        c.grads.forEach((grads, k) => {
          w.grad.set(grads.w);
          b.grad.set(grads.b);
          optimizer.step(c.learningRates[k]);
          assertClose(w.data, c.after[k].w, `${c.name} step ${k + 1} w`);
          assertClose(b.data, c.after[k].b, `${c.name} step ${k + 1} b`);
        });
        assert.equal(optimizer.stepCount, 3);
        const state = optimizer.getState();
        assert.deepEqual([...state.get('step')!], [3]);
        for (const [key, expected] of Object.entries(c.state)) {
          assert.ok(state.has(key), `state key ${key}; have ${[...state.keys()]}`);
          assertClose(state.get(key)!, expected, key);
        }
        assert.equal(state.size, Object.keys(c.state).length + 1);
      });
    }
  });

  describe('hand-computed reference steps', () => {
    const g = [0.5, -1, 2];
    const lr = [0.1, 0.1, 0.05];

    it('SGD with momentum and weight decay', () => {
      // g' = g + λx;  b = μb + g';  x -= η b
      const [mu, lambda] = [0.9, 0.1];
      let x = 1;
      let buf = 0;
      const expected = g.map((gk, k) => {
        const gd = gk + lambda * x;
        buf = mu * buf + gd;
        x -= lr[k] * buf;
        return x;
      });
      assertClose(stepScalar({ type: 'sgd', learningRate: 0.1, momentum: mu, weightDecay: lambda }, 1, g, lr), expected, 'sgd', 1e-6);
      // x1 = 1 − 0.1·(0.5 + 0.1) = 0.94, written out for the first step
      assert.ok(Math.abs(expected[0] - 0.94) < 1e-12);
    });

    it('SGD with Nesterov momentum', () => {
      // b = μb + g;  x -= η (g + μ b)
      const mu = 0.9;
      let x = 1;
      let buf = 0;
      const expected = g.map((gk, k) => {
        buf = mu * buf + gk;
        x -= lr[k] * (gk + mu * buf);
        return x;
      });
      assertClose(stepScalar({ type: 'sgd', learningRate: 0.1, momentum: mu, nesterov: true }, 1, g, lr), expected, 'nesterov', 1e-6);
    });

    for (const decoupled of [false, true]) {
      it(decoupled ? 'AdamW (decoupled weight decay)' : 'Adam (L2 weight decay)', () => {
        const [beta1, beta2, eps, lambda] = [0.9, 0.999, 1e-8, 0.1];
        let x = 1;
        let m = 0;
        let v = 0;
        const expected = g.map((gk, k) => {
          const t = k + 1;
          let gd = gk;
          if (decoupled) x *= 1 - lr[k] * lambda;
          else gd += lambda * x;
          m = beta1 * m + (1 - beta1) * gd;
          v = beta2 * v + (1 - beta2) * gd * gd;
          const mHat = m / (1 - beta1 ** t);
          const vHat = v / (1 - beta2 ** t);
          x -= (lr[k] * mHat) / (Math.sqrt(vHat) + eps);
          return x;
        });
        const config: OptimizerConfig = { type: decoupled ? 'adamw' : 'adam', learningRate: 0.1, weightDecay: lambda };
        assertClose(stepScalar(config, 1, g, lr), expected, config.type, 1e-6);
      });
    }

    it('Adam’s first step moves each entry by about the learning rate, against the gradient sign', () => {
      const after = stepScalar({ type: 'adam', learningRate: 0.01 }, 0, [-3], [0.01]);
      assert.ok(Math.abs(after[0] - 0.01) < 1e-8);
    });

    it('Adagrad', () => {
      // s += g²;  x -= η g / (√s + ε)
      let x = 1;
      let s = 0;
      const expected = g.map((gk, k) => {
        s += gk * gk;
        x -= (lr[k] * gk) / (Math.sqrt(s) + 1e-10);
        return x;
      });
      assertClose(stepScalar({ type: 'adagrad', learningRate: 0.1 }, 1, g, lr), expected, 'adagrad', 1e-6);
    });

    it('RMSprop with the PyTorch default alpha 0.99', () => {
      // s = α s + (1 − α) g²;  x -= η g / (√s + ε)
      let x = 1;
      let s = 0;
      const expected = g.map((gk, k) => {
        s = 0.99 * s + 0.01 * gk * gk;
        x -= (lr[k] * gk) / (Math.sqrt(s) + 1e-8);
        return x;
      });
      assertClose(stepScalar({ type: 'rmsprop', learningRate: 0.1 }, 1, g, lr), expected, 'rmsprop', 1e-6);
    });
  });

  it('skips weight decay for noDecay params', () => {
    for (const type of ['sgd', 'adam', 'adamw', 'adagrad', 'rmsprop'] as const) {
      const decayed = makeParam('w', [1, 2]);
      const kept = makeParam('b', [1, 2], true);
      const optimizer = createOptimizer({ type, learningRate: 0.1, weightDecay: 0.5 }, [decayed, kept], typescriptBackend);
      optimizer.step(0.1); // zero gradients: only weight decay can move a param
      assert.deepEqual([...kept.data], [1, 2], type);
      assert.ok(decayed.data[0] < 1 && decayed.data[1] < 2, type);
    }
  });

  it('getState/setState resume the exact trajectory in a fresh optimizer', () => {
    for (const config of fixture.cases.map((c) => c.config)) {
      const run = (restoreAfter: number | undefined): FloatArray => {
        const w = makeParam('w', [0.3, -0.2, 0.1]);
        let optimizer = createOptimizer(config, [w], typescriptBackend);
        for (let k = 0; k < 5; k++) {
          if (k === restoreAfter) {
            const state = optimizer.getState();
            optimizer = createOptimizer(config, [w], typescriptBackend);
            optimizer.setState(state);
            assert.equal(optimizer.stepCount, k);
          }
          w.grad.set([Math.sin(k), Math.cos(k), 0.5 - k]);
          optimizer.step(config.learningRate);
        }
        return w.data;
      };
      assert.deepEqual(run(3), run(undefined), config.type);
    }
  });

  it('setState rejects a state from another optimizer or other params, naming the problem', () => {
    const w = makeParam('w', [1, 2]);
    const adamState = createOptimizer({ type: 'adam', learningRate: 0.1 }, [w], typescriptBackend).getState();
    assert.throws(() => createOptimizer({ type: 'rmsprop', learningRate: 0.1 }, [w], typescriptBackend).setState(adamState), /missing rmsprop\.square\.w.*unknown key adam\.m\.w/);
    const wider = makeParam('w', [1, 2, 3]);
    assert.throws(() => createOptimizer({ type: 'adam', learningRate: 0.1 }, [wider], typescriptBackend).setState(adamState), /adam\.m\.w has 2 values, expected 3/);
  });

  it('rejects invalid hyper-parameters', () => {
    const w = makeParam('w', [1]);
    assert.throws(() => createOptimizer({ type: 'sgd', learningRate: 0.1, nesterov: true }, [w], typescriptBackend), /Nesterov/);
    assert.throws(() => createOptimizer({ type: 'adam', learningRate: 0.1, beta1: 1 }, [w], typescriptBackend), /beta1/);
    assert.throws(() => createOptimizer({ type: 'nadam' as 'adam', learningRate: 0.1 }, [w], typescriptBackend), /unknown optimizer type "nadam"/);
  });

  it('keeps the heap flat over 2,000 steps (state never grows)', () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const w = makeParam('w', Array.from({ length: 10_000 }, (_, i) => Math.sin(i)));
    const optimizer = createOptimizer({ type: 'adam', learningRate: 0.001 }, [w], typescriptBackend);
    w.grad.fill(0.01);
    for (let k = 0; k < 100; k++) optimizer.step(0.001);
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let k = 0; k < 2_000; k++) optimizer.step(0.001);
    gc();
    assert.ok(process.memoryUsage().heapUsed - before < 256 * 1024);
  });
});

describe('learning-rate schedules', () => {
  it('constant returns the base rate', () => {
    assert.equal(learningRateAt({ type: 'constant' }, 0.3, 17, 20), 0.3);
  });

  it('step decays by gamma every stepSize epochs', () => {
    const rates = [0, 1, 2, 3, 4, 5, 6].map((e) => learningRateAt({ type: 'step', stepSize: 3, gamma: 0.5 }, 0.8, e, 10));
    assertClose(rates, [0.8, 0.8, 0.8, 0.4, 0.4, 0.4, 0.2], 'step', 1e-15);
    assert.throws(() => learningRateAt({ type: 'step' }, 0.1, 0, 10), /stepSize/);
  });

  it('cosine anneals from the base to minLearningRate over totalEpochs', () => {
    const schedule = { type: 'cosine', minLearningRate: 0.1 } as const;
    assert.equal(learningRateAt(schedule, 1, 0, 10), 1);
    assertClose([learningRateAt(schedule, 1, 5, 10)], [0.55], 'halfway', 1e-12);
    assertClose([learningRateAt(schedule, 1, 10, 10)], [0.1], 'end', 1e-12);
    assertClose([learningRateAt(schedule, 1, 14, 10)], [0.1], 'past the end', 1e-12);
    // (1 + cos(π/4)) / 2 of the way from 0 to 2
    assertClose([learningRateAt({ type: 'cosine' }, 2, 1, 4)], [1 + Math.SQRT1_2], 'default min 0', 1e-12);
  });
});

describe('gradient clipping', () => {
  const makeGrads = (a: number[], b: number[]): Param[] => {
    const p = makeParam('a', a.map(() => 0));
    const q = makeParam('b', b.map(() => 0));
    p.grad.set(a);
    q.grad.set(b);
    return [p, q];
  };

  it('gradNorm is the global L2 norm over every param', () => {
    assert.equal(gradNorm(makeGrads([3], [0, 4])), 5);
  });

  it('clipGradNorm scales all grads by maxNorm / (norm + 1e-6) and returns the norm before clipping', () => {
    const params = makeGrads([3], [0, 4]);
    assert.equal(clipGradNorm(params, 1), 5);
    const scale = 1 / (5 + 1e-6);
    assertClose([...params[0].grad, ...params[1].grad], [3 * scale, 0, 4 * scale], 'clipped', 1e-6);
    assert.ok(Math.abs(gradNorm(params) - 1) < 1e-6);
  });

  it('clipGradNorm leaves gradients under the limit untouched', () => {
    const params = makeGrads([0.3], [-0.4]);
    assert.ok(Math.abs(clipGradNorm(params, 1) - 0.5) < 1e-7);
    assert.deepEqual([...params[0].grad, ...params[1].grad], [Math.fround(0.3), Math.fround(-0.4)]);
  });

  it('clipGradNorm returns a non-finite norm and leaves the gradients for the caller to skip', () => {
    const params = makeGrads([Number.NaN], [1]);
    assert.ok(Number.isNaN(clipGradNorm(params, 1)));
    assert.equal(params[1].grad[0], 1);
  });

  it('clipGradValue clamps each entry', () => {
    const params = makeGrads([3, -0.2], [-7]);
    clipGradValue(params, 0.5);
    assertClose([...params[0].grad, ...params[1].grad], [0.5, -0.2, -0.5], 'clamped', 1e-7);
  });
});
