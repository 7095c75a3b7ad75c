"""__TITLE__

The files beside this one:
    model.safetensors    the weights; their names are this module's state_dict keys
    spec.json            the RNN Lab spec the run was trained from
    vocab.json           vocabularies and class names (when the model reads or writes tokens)
    normalization.json   feature statistics (when the inputs are real numbers)

Use:
    import model as exported
    net = exported.load_model()                    # this folder's weights, in eval mode, on the CPU
    batch = exported.encode(net, "a raw input")    # the keyword arguments net(...) takes
    outputs = net(**batch)                         # logits, or normalised values
    exported.predict(net, "a raw input")           # the same answer as rnn-lab predict

Tensors are time-major, as nn.RNN's default: token ids T×B, features T×B×F, per-step outputs
T×B×O; lengths (B, int64) give each sequence's valid steps. Padded steps are packed away
(pack_padded_sequence): they keep the state, and the backward direction of a bidirectional layer
starts at each sequence's own last step. Only PyTorch is needed; safetensors files are read and
written without the safetensors package (it is used when installed).
"""
import array
import calendar
import datetime
import json
import math
import os
import re
import struct
import unicodedata

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

# The network as RNN Lab's engine describes it (NetworkConfig).
CONFIG = {}  # the export writes the run's NetworkConfig here as a literal (src/export/modelPy.ts)

WEIGHTS_FILE = "model.safetensors"
HERE = os.path.dirname(os.path.abspath(__file__))
RECURRENT_MODULES = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


def merge(forward, backward, mode):
    """A bidirectional layer's output from its two directions (…×H each): concat [f; b] (…×2H),
    sum f + b, mean (f + b)/2 or mul f ⊙ b. A unidirectional layer's output is f itself."""
    if backward is None:
        return forward
    if mode == "concat":
        return torch.cat([forward, backward], dim=-1)
    if mode == "sum":
        return forward + backward
    if mode == "mean":
        return 0.5 * (forward + backward)
    return forward * backward


def merged_width(hidden_size, bidirectional, mode):
    return 2 * hidden_size if bidirectional and mode == "concat" else hidden_size


class RecurrentStack(nn.Module):
    """L recurrent layers, each its own one-layer nn.RNN / nn.LSTM / nn.GRU (one or two directions),
    so that skip and dense connections and any merge can sit between layers.

    The stack owns the parameters under the names a multi-layer nn.LSTM gives them
    (weight_ih_l{k}, weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k}, each with _reverse for the backward
    direction) and lends them to layer k's module at each call. The layer modules are deliberately
    not registered as submodules: state_dict, optimizers, .to(device) and DDP see one copy of every
    weight, under its canonical name.
    """

    def __init__(self, cell, activation, input_sizes, hidden_size, bidirectional):
        super().__init__()
        self.layers = []  # nn.RNN / nn.LSTM / nn.GRU, one per layer (not submodules, see above)
        self.lent = []  # per layer: (the layer module's parameter name, the stack's name)
        for k, input_size in enumerate(input_sizes):
            options = {"nonlinearity": activation} if cell == "rnn" else {}
            layer = RECURRENT_MODULES[cell](input_size, hidden_size, bidirectional=bidirectional, **options)
            names = []
            for name, parameter in list(layer.named_parameters()):
                stack_name = name.replace("_l0", "_l%d" % k)
                self.register_parameter(stack_name, parameter)
                names.append((name, stack_name))
            self.layers.append(layer)
            self.lent.append(names)

    def forward(self, k, x, lengths, state=None):
        """Layer k over x (T×B×X) with per-sequence lengths (B). state: the initial h (D×B×H), or
        (h, c) for LSTM, or None for zeros. Returns the outputs T×B×D·H (zero after each sequence's
        end) and the final state in the same form, taken at each sequence's own last step."""
        layer = self.layers[k]
        for name, stack_name in self.lent[k]:
            setattr(layer, name, getattr(self, stack_name))
        packed = pack_padded_sequence(x, lengths.cpu(), enforce_sorted=False)
        outputs, final = layer(packed, state)
        outputs, _ = pad_packed_sequence(outputs, total_length=x.shape[0])
        return outputs, final


class RecurrentBody(nn.Module):
    """Token embedding (or one-hot ids, or real-valued features) → recurrent stack, connected by
        none:  x^{l+1} = drop(y^l)
        skip:  x^{l+1} = drop(y^l) + P_l(x^l)       P_l: identity, or skip.{l} (a bias-free nn.Linear)
                                                    when the widths differ; the top layer too
        dense: x^{l+1} = [x¹; drop(y¹); …; drop(y^l)]
    where y^l = merge(forward_l, backward_l) and drop is dropout between layers (none above the top).
    The output is z^L = y^L + P_L(x^L) with skip connections, y^L otherwise.
    """

    def __init__(self, net, source, hidden_size, bidirectional, fed_width=0):
        super().__init__()
        self.cell = net["cell"]
        self.connections = net["connections"]
        self.merge_mode = net["merge"]
        self.num_layers = net["layers"]
        self.hidden_size = hidden_size
        self.bidirectional = bidirectional
        self.tokens = source["kind"] == "tokens"
        self.vocab_size = source.get("vocabSize")
        if self.tokens and source["embeddingSize"] > 0:
            self.embedding = nn.Embedding(source["vocabSize"], source["embeddingSize"])
            input_width = source["embeddingSize"]
        else:
            self.embedding = None
            input_width = source["vocabSize"] if self.tokens else source["size"]
        self.width = merged_width(hidden_size, bidirectional, self.merge_mode)
        # fed_width: a decoder with attention feeding also reads h̃_{t−1} (after the tokens) in its first layer.
        input_width += fed_width
        input_sizes = [input_width if l == 0 else input_width + l * self.width if self.connections == "dense" else self.width
                       for l in range(self.num_layers)]
        self.rnn = RecurrentStack(self.cell, net["activation"], input_sizes, hidden_size, bidirectional)
        self.skip = nn.ModuleDict({str(l): nn.Linear(x, self.width, bias=False) for l, x in enumerate(input_sizes)
                                   if self.connections == "skip" and x != self.width})
        self.dropout = nn.Dropout(net["dropout"])

    def embed(self, x):
        """x¹: embedded ids, one-hot ids (embeddingSize 0: W_ih reads the one-hot vector), or the features."""
        if not self.tokens:
            return x
        if self.embedding is not None:
            return self.embedding(x)
        return F.one_hot(x, self.vocab_size).to(self.rnn.weight_ih_l0.dtype)

    def project(self, l, x):
        """P_l(x): the skip projection of layer l, the identity when the widths match."""
        return self.skip[str(l)](x) if str(l) in self.skip else x

    def directions(self, outputs):
        """T×B×D·H → (forward T×B×H, backward T×B×H or None)."""
        if not self.bidirectional:
            return outputs, None
        return outputs[..., :self.hidden_size], outputs[..., self.hidden_size:]

    def run_stack(self, x, lengths, initial=None, fed=None):
        """x: ids T×B or features T×B×F; initial: per layer, the state RecurrentStack takes (or None);
        fed: T×B×W read after x¹ (attention feeding), or None.
        Returns the top output T×B×W, the final state of every layer, and the top layer's input x^L."""
        below = self.embed(x)
        if fed is not None:
            below = torch.cat([below, fed], dim=-1)
        dense_inputs = [below]
        finals = []
        for l in range(self.num_layers):
            layer_input = torch.cat(dense_inputs, dim=-1) if self.connections == "dense" else below
            outputs, final = self.rnn(l, layer_input, lengths, None if initial is None else initial[l])
            y = merge(*self.directions(outputs), self.merge_mode)
            if l < self.num_layers - 1:
                y = self.dropout(y)
            below = y + self.project(l, layer_input) if self.connections == "skip" else y
            dense_inputs.append(y)
            finals.append(final)
        return below, finals, layer_input

    def final_hidden(self, final):
        """h of a layer's final state (D×B×H), without LSTM's c."""
        return final[0] if self.cell == "lstm" else final


class ManyToOne(RecurrentBody):
    """One output per sequence: o = head(merge(forward final, backward final) of the top layer),
    plus P_L(x^L at each sequence's last step) with skip connections."""

    def __init__(self, net):
        super().__init__(net, net["input"], net["hiddenSize"], net["bidirectional"])
        self.head = nn.Linear(self.width, net["output"]["size"])

    def forward(self, inputs, lengths):
        """inputs: ids T×B or features T×B×F; lengths: B. Returns B×O."""
        _, finals, top_input = self.run_stack(inputs, lengths)
        h = self.final_hidden(finals[-1])
        features = merge(h[0], h[1] if self.bidirectional else None, self.merge_mode)
        if self.connections == "skip":
            last = lengths.to(top_input.device) - 1
            features = features + self.project(self.num_layers - 1, top_input[last, torch.arange(len(last), device=last.device)])
        return self.head(features)


class ManyToMany(RecurrentBody):
    """One output per step (taggers, language models, aligned series): o_t = head(top output at t)."""

    def __init__(self, net):
        super().__init__(net, net["input"], net["hiddenSize"], net["bidirectional"])
        self.head = nn.Linear(self.width, net["output"]["size"])

    def forward(self, inputs, lengths, state=None):
        """inputs: ids T×B or features T×B×F; lengths: B; state: as forward_with_state returns it.
        Returns T×B×O (rows after a sequence's end are not meaningful)."""
        return self.forward_with_state(inputs, lengths, state)[0]

    def forward_with_state(self, inputs, lengths, state=None):
        """(T×B×O outputs, the final state of every layer) — carry it for truncated BPTT or generation."""
        top, finals, _ = self.run_stack(inputs, lengths, state)
        return self.head(top), finals


class Generator(nn.Module):
    """Greedy decoding for the models that generate tokens (one-to-many, seq2seq), as rnn-lab's:
    feed <bos>, then each step's most likely token, never <pad>, <unk> or <bos>, until <eos>."""

    def decode_step(self, ids, state):
        """One step from ids (1×B): (logits B×O, the next state)."""
        top, state, _ = self.decoder_body().run_stack(ids, torch.ones(ids.shape[1], dtype=torch.long), state)
        return self.head(top[0]), state

    @torch.no_grad()
    def greedy(self, state, batch_size, bos, eos, max_steps):
        """Returns per sequence (token ids without <eos>, Σ log p of the chosen tokens, whether <eos> came)."""
        device = self.head.weight.device
        ids = torch.full((1, batch_size), bos, dtype=torch.long, device=device)
        tokens = [[] for _ in range(batch_size)]
        log_probability = [0.0] * batch_size
        ended = [False] * batch_size
        for _ in range(max_steps):
            if all(ended):
                break
            logits, state = self.decode_step(ids, state)
            log_p = torch.log_softmax(logits.double(), dim=-1)
            allowed = log_p.clone()
            allowed[:, [0, 1, bos]] = -float("inf")
            ids = allowed.argmax(dim=-1).unsqueeze(0)
            for b in range(batch_size):
                if ended[b]:
                    continue
                k = int(ids[0, b])
                log_probability[b] += float(log_p[b, k])
                ended[b] = k == eos
                if not ended[b]:
                    tokens[b].append(k)
        return list(zip(tokens, log_probability, ended))


class OneToMany(RecurrentBody, Generator):
    """A vector v sets h_0 = tanh(init·v + b) of every layer (c_0 = 0 for LSTM); the network then
    reads <bos> y_1 … y_{T−1} and predicts y_1 … <eos>."""

    def __init__(self, net):
        decoder = {"kind": "tokens", "vocabSize": net["decoder"]["vocabSize"], "embeddingSize": net["decoder"]["embeddingSize"]}
        super().__init__(net, decoder, net["hiddenSize"], False)
        self.init = nn.Linear(net["initVectorSize"], net["hiddenSize"])
        self.head = nn.Linear(self.width, net["output"]["size"])

    def decoder_body(self):
        return self

    def initial_state(self, init_vector):
        """init_vector: B×V → the initial state of every layer."""
        h0 = torch.tanh(self.init(init_vector)).unsqueeze(0)
        return [(h0, torch.zeros_like(h0)) if self.cell == "lstm" else h0 for _ in range(self.num_layers)]

    def forward(self, init_vector, decoder_input, decoder_lengths):
        """init_vector: B×V; decoder_input: ids T×B starting with <bos>; decoder_lengths: B. Returns T×B×O."""
        top, _, _ = self.run_stack(decoder_input, decoder_lengths, self.initial_state(init_vector))
        return self.head(top)

    def generate(self, init_vector, bos, eos, max_steps):
        """Greedy decoding from init_vector (B×V): per sequence (ids, Σ log p, ended)."""
        return self.greedy(self.initial_state(init_vector), init_vector.shape[0], bos, eos, max_steps)


class Seq2Seq(Generator):
    """Encoder-decoder: decoder layer l starts from merge(forward final, backward final) of encoder
    layer l (h, and c for LSTM); the decoder is one-directional, as wide as the encoder's output.
    With attention (LuongAttention) the head reads h̃_t; with attentionFeed the decoder also reads
    h̃_{t−1} (0 at the first step) after each token, one step at a time."""

    def __init__(self, net):
        super().__init__()
        width = merged_width(net["hiddenSize"], net["bidirectional"], net["merge"])
        decoder = {"kind": "tokens", "vocabSize": net["decoder"]["vocabSize"], "embeddingSize": net["decoder"]["embeddingSize"]}
        score = net.get("attention", "none")
        self.feed = score != "none" and bool(net.get("attentionFeed"))
        self.encoder = RecurrentBody(net, net["input"], net["hiddenSize"], net["bidirectional"])
        self.decoder = RecurrentBody(net, decoder, width, False, width if self.feed else 0)
        self.attention = LuongAttention(score, width) if score != "none" else None
        self.head = nn.Linear(width, net["output"]["size"])

    def decoder_body(self):
        return self.decoder

    def bridge(self, source, source_lengths):
        """Runs the encoder; returns the decoder's initial state of every layer, and for attention
        {layers, memory: the encoder's outputs T×B×W, valid: T×B, previous: h̃ before the first step}."""
        memory, finals, _ = self.encoder.run_stack(source, source_lengths)
        encoder = self.encoder

        def merged(state):
            return merge(state[0], state[1] if encoder.bidirectional else None, encoder.merge_mode).unsqueeze(0)
        layers = [(merged(f[0]), merged(f[1])) if encoder.cell == "lstm" else merged(f) for f in finals]
        if self.attention is None:
            return layers
        previous = torch.zeros(memory.shape[1], memory.shape[2], dtype=memory.dtype, device=memory.device)
        return {"layers": layers, "memory": memory, "valid": source_mask(memory.shape[0], source_lengths.to(memory.device)), "previous": previous}

    def attend(self, decoder_input, decoder_lengths, state):
        """h̃ (T2×B×W) and the next attention state, from the bridge's (or a step's) state."""
        if not self.feed:
            top, layers, _ = self.decoder.run_stack(decoder_input, decoder_lengths, state["layers"])
            h_tilde, _ = self.attention(top, state["memory"], state["valid"])
            return h_tilde, dict(state, layers=layers, previous=h_tilde[-1])
        # Feeding: step t reads [y_{t−1}; h̃_{t−1}]. Steps past a sequence's end run too; their rows are not meaningful.
        ones = torch.ones(decoder_input.shape[1], dtype=torch.long)
        outputs = []
        for t in range(decoder_input.shape[0]):
            top, layers, _ = self.decoder.run_stack(decoder_input[t:t + 1], ones, state["layers"], state["previous"].unsqueeze(0))
            h_tilde, _ = self.attention(top, state["memory"], state["valid"])
            state = dict(state, layers=layers, previous=h_tilde[0])
            outputs.append(h_tilde[0])
        return torch.stack(outputs), state

    def decode_step(self, ids, state):
        if self.attention is None:
            return super().decode_step(ids, state)
        h_tilde, state = self.attend(ids, torch.ones(ids.shape[1], dtype=torch.long), state)
        return self.head(h_tilde[0]), state

    def forward(self, source, source_lengths, decoder_input, decoder_lengths):
        """source: ids T×B (or features T×B×F); decoder_input: ids T2×B starting with <bos>. Returns T2×B×O."""
        state = self.bridge(source, source_lengths)
        if self.attention is not None:
            return self.head(self.attend(decoder_input, decoder_lengths, state)[0])
        top, _, _ = self.decoder.run_stack(decoder_input, decoder_lengths, state)
        return self.head(top)

    def generate(self, source, source_lengths, bos, eos, max_steps):
        """Greedy decoding of each source sequence: per sequence (ids, Σ log p, ended)."""
        return self.greedy(self.bridge(source, source_lengths), source.shape[1], bos, eos, max_steps)


from attention import LuongAttention, source_mask  # inlined here by the build (scripts/build-python.mjs)


def build_model(net=CONFIG):
    """The module for a network config, with PyTorch's default initialisation."""
    classes = {"many-to-one": ManyToOne, "many-to-many": ManyToMany, "one-to-many": OneToMany, "seq2seq": Seq2Seq}
    return classes[net["task"]](net)


# --- safetensors -------------------------------------------------------------------------------

from safetensors_file import SAFETENSORS_DTYPES, load_weights, read_safetensors, write_safetensors  # inlined here by the build (scripts/build-python.mjs)


# --- loading, encoding, predicting -------------------------------------------------------------

from vocabulary import Vocabulary  # inlined here by the build (scripts/build-python.mjs)


def read_json(folder, name):
    path = os.path.join(folder, name)
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def load_model(folder=HERE, net=CONFIG):
    """The module with the folder's weights loaded (strictly: every canonical name, no other), in
    eval mode, with its vocabularies, class names and normalisation attached for encode/predict."""
    model = build_model(net)
    model.load_state_dict(load_weights(os.path.join(folder, WEIGHTS_FILE)))
    vocab = read_json(folder, "vocab.json") or {}
    model.config = net
    model.input_vocab = Vocabulary(**vocab["input"]) if "input" in vocab else None
    model.output_vocab = Vocabulary(**vocab["output"]) if "output" in vocab else None
    model.labels = vocab.get("labels")
    model.normalization = read_json(folder, "normalization.json")
    model.spec = read_json(folder, "spec.json")
    return model.eval()


from series import series_rows, series_values  # inlined here by the build (scripts/build-python.mjs)


from prediction import decoder_batch, encode, encode_batch, predict  # inlined here by the build (scripts/build-python.mjs)
