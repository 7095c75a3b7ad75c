/**
 * The `done` line of `rnn-lab eval --json` (docs/contracts.md, "Evaluation output"), as the extension
 * reads it: train's done shape plus, where they apply, the confusion matrix, per-class scores, the
 * worst examples and the time-series predictions. `asEvaluationResult` checks the shape at runtime.
 */
export interface EvaluationResult {
  event: 'done';
  run: string;
  metrics: Record<string, number>;
  split: 'test' | 'validation';
  best: { epoch: number };
  /** Rows: true class; columns: predicted class. */
  confusionMatrix?: { labels: string[]; matrix: number[][] };
  perClass?: { label: string; precision: number; recall: number; f1: number; support: number }[];
  worst?: {
    file: string; line: number; input: string; target: string; predicted: string; probability?: number; loss: number;
    /** seq2seq with attention: target tokens × source tokens. */
    alignment?: { sourceTokens: string[]; tokens: string[]; attention: number[][] };
  }[];
  /** Time series, original units; `naive` is the last-value forecast when the CLI reports it, and
   * `seasonalNaive` the value one season back (`data.season`; NaN where none was observed). Several
   * targets or forecast steps: windows × steps × targets, row-major, with their `shape` and `targets`. */
  predictions?: { actual: number[]; predicted: number[]; naive?: number[]; seasonalNaive?: number[]; shape?: [number, number, number]; targets?: string[] };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNums = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number');

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** A worst example's alignment: one row of source weights per token. */
function isAlignment(v: unknown): v is { sourceTokens: string[]; tokens: string[]; attention: number[][] } {
  return isObj(v) && isStrings(v.sourceTokens) && isStrings(v.tokens) && Array.isArray(v.attention) && v.attention.length === v.tokens.length &&
    v.attention.every((row) => isNums(row) && row.length === (v.sourceTokens as string[]).length);
}

/** The value as an EvaluationResult, or undefined; optional parts with a wrong shape are dropped. */
export function asEvaluationResult(v: unknown): EvaluationResult | undefined {
  if (!isObj(v) || v.event !== 'done' || !isObj(v.metrics) || !Object.values(v.metrics).every((m) => typeof m === 'number')) return undefined;
  const result: EvaluationResult = {
    event: 'done', run: String(v.run ?? ''), metrics: v.metrics as Record<string, number>,
    split: v.split === 'test' ? 'test' : 'validation', best: { epoch: isObj(v.best) && typeof v.best.epoch === 'number' ? v.best.epoch : 0 },
  };
  const cm = v.confusionMatrix;
  if (isObj(cm) && Array.isArray(cm.labels) && cm.labels.every((l) => typeof l === 'string') && Array.isArray(cm.matrix) &&
    cm.matrix.length === cm.labels.length && cm.matrix.every((row) => isNums(row) && row.length === (cm.labels as string[]).length)) {
    result.confusionMatrix = { labels: cm.labels as string[], matrix: cm.matrix as number[][] };
  }
  if (Array.isArray(v.perClass) && v.perClass.every((c) => isObj(c) && typeof c.label === 'string' && typeof c.precision === 'number' &&
    typeof c.recall === 'number' && typeof c.f1 === 'number' && typeof c.support === 'number')) {
    result.perClass = v.perClass as EvaluationResult['perClass'];
  }
  if (Array.isArray(v.worst) && v.worst.every((w) => isObj(w) && typeof w.file === 'string' && typeof w.line === 'number' && typeof w.loss === 'number')) {
    result.worst = (v.worst as Obj[]).map((w) => ({
      file: w.file as string, line: w.line as number, input: String(w.input ?? ''), target: String(w.target ?? ''),
      predicted: String(w.predicted ?? ''), loss: w.loss as number, ...(typeof w.probability === 'number' ? { probability: w.probability } : {}),
      ...(isAlignment(w.alignment) ? { alignment: w.alignment } : {}),
    }));
  }
  const p = v.predictions;
  if (isObj(p) && isNums(p.actual) && isNums(p.predicted) && p.actual.length === p.predicted.length) {
    // several targets or forecast steps (windows × steps × targets): kept whole, with their shape
    const shape = isNums(p.shape) && p.shape.length === 3 && p.shape.every((d) => Number.isInteger(d) && d > 0) &&
      p.shape[0] * p.shape[1] * p.shape[2] === p.actual.length ? p.shape as [number, number, number] : undefined;
    const targets = shape && Array.isArray(p.targets) && p.targets.length === shape[2] && p.targets.every((t) => typeof t === 'string') ? p.targets as string[] : undefined;
    // JSON has no NaN: a seasonal value that was never observed arrives as null
    const seasonal = Array.isArray(p.seasonalNaive) && p.seasonalNaive.length === p.actual.length && p.seasonalNaive.every((v) => v === null || typeof v === 'number')
      ? (p.seasonalNaive as (number | null)[]).map((v) => v ?? NaN) : undefined;
    result.predictions = {
      actual: p.actual, predicted: p.predicted,
      ...(isNums(p.naive) && p.naive.length === p.actual.length ? { naive: p.naive } : {}),
      ...(seasonal && { seasonalNaive: seasonal }),
      ...(shape && { shape }), ...(targets && { targets }),
    };
  }
  return result;
}
