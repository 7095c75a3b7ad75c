"""Luong's global attention for the exported Seq2Seq (inlined into model.py by the build)."""
import torch
from torch import nn


class LuongAttention(nn.Module):
    """At decoder step t, with s_t the top decoder layer's output and h_j the encoder's outputs:
        scores  e_tj = s_t·h_j (dot), s_tᵀ W_a h_j (general), vᵀ tanh(W_q s_t + W_k h_j) (additive)
        a_t = softmax_j(e_tj) over the valid source steps (padding masked out)
        c_t = Σ_j a_tj h_j,   h̃_t = tanh(W_c [c_t; s_t] + b_c), which the head reads.
    Parameters: weight (W_a), query, key, energy (W_q, W_k, v; no biases), combine (W_c, b_c)."""

    def __init__(self, score, width):
        super().__init__()
        self.score = score
        if score == "general":
            self.weight = nn.Parameter(torch.empty(width, width))
            nn.init.kaiming_uniform_(self.weight, a=5 ** 0.5)  # as nn.Linear(width, width, bias=False)
        if score == "additive":
            self.query = nn.Linear(width, width, bias=False)
            self.key = nn.Linear(width, width, bias=False)
            self.energy = nn.Linear(width, 1, bias=False)
        self.combine = nn.Linear(2 * width, width)

    def forward(self, s, h, valid):
        """s: T2×B×W decoder outputs; h: T×B×W encoder outputs; valid: T×B booleans.
        Returns h̃ (T2×B×W) and the alignment a (T2×B×T)."""
        if self.score == "dot":
            e = torch.einsum("tbw,jbw->tbj", s, h)
        elif self.score == "general":
            e = torch.einsum("tbw,jbw->tbj", s, h @ self.weight.t())
        else:
            e = self.energy(torch.tanh(self.query(s).unsqueeze(2) + self.key(h).permute(1, 0, 2).unsqueeze(0))).squeeze(-1)
        e = e.masked_fill(~valid.t().unsqueeze(0), float("-inf"))
        a = torch.softmax(e, dim=-1)
        c = torch.einsum("tbj,jbw->tbw", a, h)
        return torch.tanh(self.combine(torch.cat([c, s], dim=-1))), a


def source_mask(steps, lengths):
    """T×B booleans: step j of sequence b is valid (j < lengths[b])."""
    return torch.arange(steps, device=lengths.device).unsqueeze(1) < lengths.unsqueeze(0)
