/**
 * The update rule of each diagram block, written with the block's actual sizes.
 * Gate order and packing follow PyTorch: LSTM [i | f | g | o], GRU [r | z | n].
 */
import { formatParamCount, type DiagramBlock, type DiagramModel, type Dim } from '../../src/protocol/hostWebview';

export interface BlockEquations {
  title: string;
  lines: string[];
  shapes: string[];
}

const dimText = (d: Dim): string => String(d);

function cellLines(model: DiagramModel, act: string): string[] {
  switch (model.cell) {
    case 'rnn':
      return [`hₜ = ${act}(W_ih·xₜ + b_ih + W_hh·hₜ₋₁ + b_hh)`];
    case 'lstm':
      return [
        'iₜ, fₜ, gₜ, oₜ = split₄(W_ih·xₜ + b_ih + W_hh·hₜ₋₁ + b_hh)',
        'iₜ = σ(·)  fₜ = σ(·)  gₜ = tanh(·)  oₜ = σ(·)',
        'cₜ = fₜ ⊙ cₜ₋₁ + iₜ ⊙ gₜ',
        'hₜ = oₜ ⊙ tanh(cₜ)',
      ];
    case 'gru':
      return [
        'rₜ = σ(W_ir·xₜ + b_ir + W_hr·hₜ₋₁ + b_hr)',
        'zₜ = σ(W_iz·xₜ + b_iz + W_hz·hₜ₋₁ + b_hz)',
        'nₜ = tanh(W_in·xₜ + b_in + rₜ ⊙ (W_hn·hₜ₋₁ + b_hn))',
        'hₜ = (1 − zₜ) ⊙ nₜ + zₜ ⊙ hₜ₋₁',
      ];
  }
}

const MERGE_TEXT = { concat: '[→hₜ ; ←hₜ]', sum: '→hₜ + ←hₜ', mean: '(→hₜ + ←hₜ) / 2', mul: '→hₜ ⊙ ←hₜ' } as const;

/** Equations and parameter shapes of one block. */
export function blockEquations(model: DiagramModel, block: DiagramBlock): BlockEquations {
  const shapes = block.params.map((p) => `${p.name} ∈ ℝ^${p.shape.map(dimText).join('×')}`);
  shapes.push(`parameters: ${formatParamCount(block.paramCount)}`);
  const H = model.hiddenSize;
  switch (block.kind) {
    case 'input':
      return {
        title: block.label,
        lines: model.input.kind === 'tokens'
          ? [`xₜ ∈ {0 … ${dimText(model.input.vocabSize)}−1}  (token ids)`]
          : [`xₜ ∈ ℝ^${dimText(block.outputWidth)}  (features)`],
        shapes: [],
      };
    case 'embedding':
      return { title: block.label, lines: [`eₜ = E[xₜ]   E ∈ ℝ^${dimText(block.inputWidth)}×${dimText(block.outputWidth)}`], shapes };
    case 'init':
      return { title: 'initial state', lines: [`h₀ = tanh(W_init·v + b_init)   v ∈ ℝ^${dimText(block.inputWidth)}, h₀ ∈ ℝ^${H}`], shapes };
    case 'attention': {
      const W = dimText(block.outputWidth);
      const score = { dot: 'eₜⱼ = sₜ · hⱼ', general: 'eₜⱼ = sₜᵀ W_a hⱼ', additive: 'eₜⱼ = vᵀ tanh(W_q sₜ + W_k hⱼ)', none: '' }[model.attention ?? 'none'];
      const lines = [
        `sₜ: the top decoder output, hⱼ: the encoder's outputs (j = 1 … T), both ∈ ℝ^${W}`,
        `${score}   aₜ = softmax over the valid j of eₜⱼ`,
        'cₜ = Σⱼ aₜⱼ hⱼ   h̃ₜ = tanh(W_c [cₜ ; sₜ] + b_c)  (the head reads h̃ₜ)',
      ];
      if (model.attentionFeed) lines.push('feeding: the decoder reads [yₜ₋₁ ; h̃ₜ₋₁] at step t (h̃₀ = 0)');
      return { title: `attention · ${model.attention}${model.attentionFeed ? ' · fed' : ''}`, lines, shapes };
    }
    case 'head': {
      const out = model.output.kind === 'classes' ? `ŷ = softmax(W·h + b)` : 'ŷ = W·h + b';
      const loss = model.output.kind === 'classes' ? 'L = −log ŷ[target]  (cross-entropy, nats)' : 'L = ‖ŷ − y‖² / n  (MSE)';
      return { title: block.label, lines: [`${out}   W ∈ ℝ^${dimText(block.outputWidth)}×${dimText(block.inputWidth)}`, loss], shapes };
    }
    case 'layer': {
      const act = model.activation;
      const G = { rnn: 1, lstm: 4, gru: 3 }[model.cell];
      const bidirectional = model.bidirectional && block.part !== 'decoder';
      const lines = [
        `${model.cell.toUpperCase()} cell, xₜ ∈ ℝ^${dimText(block.inputWidth)}, hₜ ∈ ℝ^${H}`,
        ...cellLines(model, act),
        `W_ih ∈ ℝ^${G * H}×${dimText(block.inputWidth)}   W_hh ∈ ℝ^${G * H}×${H}  (the same at every step t)`,
      ];
      if (bidirectional) lines.push(`←hₜ runs the same rule backwards (t = T … 1) with its own weights`, `outₜ = ${MERGE_TEXT[model.merge]} ∈ ℝ^${dimText(block.outputWidth)}`);
      if (model.connections === 'skip') lines.push(`skip: zₜ = outₜ + P·xₜ  (P = I, or skip.${block.layer}.weight when widths differ)`);
      if (model.connections === 'dense' && (block.layer ?? 0) > 0) lines.push(`dense: inₜ = [xₜ ; out⁽¹⁾ₜ ; … ; out⁽ᵏ⁻¹⁾ₜ]`);
      if (model.dropout > 0) lines.push(`dropout p = ${model.dropout} on the layer output (training only)`);
      return { title: block.label, lines, shapes };
    }
  }
}
