#!/usr/bin/env python3
"""Golden gradients for the Java supernet and evaluation network, computed by PyTorch.

Both sides fill every parameter and input from the same closed-form patterns (no stored weights), run one
forward + cross-entropy + backward in training mode, and compare: the loss, the logits, every gradient entry of
every parameter (tensors over FULL_LIMIT entries, only the evaluation network's auxiliary convolutions, keep a
sum and a strided sample to keep the file small), and (mixture mode) the mixture-weight gradients.

Regenerate (Debian: apt-get install python3-torch) from the repository root:
    /usr/bin/python3 tests/reference/torch_reference.py benchmarks/torch_peer.py tests/resources/org/proxynas/nn
The supernet comes from the project's PyTorch peer benchmark (benchmarks/torch_peer.py); the evaluation network
follows DARTS's NetworkCIFAR (quark0/darts cnn/model.py), written out below.
"""
import gzip, importlib.util, json, math, sys
import torch, torch.nn as nn, torch.nn.functional as F

spec = importlib.util.spec_from_file_location('peer', sys.argv[1])
T = importlib.util.module_from_spec(spec); spec.loader.exec_module(T)
OUT = sys.argv[2]
SAMPLES = 16
FULL_LIMIT = 20000

def pattern(n, j):  # parameter j, element i
    return torch.tensor([0.3 * math.sin(1.3 * i + 0.7 * j + 0.1) for i in range(n)], dtype=torch.float32)

def images(n, c, s):
    return torch.tensor([math.sin(0.37 * i) for i in range(n * c * s * s)], dtype=torch.float32).view(n, c, s, s)

def fill(params):
    for j, p in enumerate(params):
        p.data.copy_(pattern(p.numel(), j).view(p.shape))

def gradient(g):
    g = g.flatten()
    if g.numel() <= FULL_LIMIT:
        return {'grad': g.tolist()}
    idx = [round(k * (g.numel() - 1) / (SAMPLES - 1)) for k in range(SAMPLES)] if g.numel() > SAMPLES else list(range(g.numel()))
    return {'sum': g.double().sum().item(), 'index': idx, 'value': [g[i].item() for i in idx]}

def record(name, params, names, loss, logits, extra):
    out = {'loss': loss.item(), 'logits': logits.flatten().tolist(),
           'params': [dict(name=n, shape=list(p.shape), **gradient(torch.zeros_like(p) if p.grad is None else p.grad)) for n, p in zip(names, params)]}
    out.update(extra)
    with gzip.open(f'{OUT}/{name}.json.gz', 'wt') as f:
        json.dump(out, f)
    print(name, 'loss', loss.item(), len(params), 'params')

# ---- supernet, C=2, L=3, 3 classes, 8x8 RGB, batch 4
def supernet(mode):
    net = T.Network(C=2, layers=3, num_classes=3, in_ch=3)
    params = T.weight_params(net)
    fill(params)
    x, y = images(4, 3, 8), torch.tensor([n % 3 for n in range(4)])
    extra = {}
    if mode == 'mixture':
        w = torch.tensor([[math.sin(e * 1.1 + k * 0.9) * 2 for k in range(8)] for e in range(14)])
        net.alphas_normal.data.copy_(w); net.alphas_reduce.data.copy_(-w)
    else:
        net.mode = 'single'
        net.k_normal = [(3 * e + 1) % 8 for e in range(14)]
        net.k_reduce = [(5 * e + 2) % 8 for e in range(14)]
        # g = 0 and tau = 1 give edge weights softmax(alpha)[k*], set through alpha
        net.tau = 1.0
        w = torch.tensor([[math.cos(e * 0.7 + k * 0.3) for k in range(8)] for e in range(14)])
        net.alphas_normal.data.copy_(w); net.alphas_reduce.data.copy_(w * 0.5)
        extra['k_normal'], extra['k_reduce'] = net.k_normal, net.k_reduce
        extra['w_normal'] = [F.softmax(w, -1)[e, k].item() for e, k in enumerate(net.k_normal)]
        extra['w_reduce'] = [F.softmax(w * 0.5, -1)[e, k].item() for e, k in enumerate(net.k_reduce)]
    net.train()
    logits = net(x)
    loss = F.cross_entropy(logits, y)
    loss.backward()
    if mode == 'mixture':
        # the Java net takes mixture weights; it checks dL/dalpha through the softmax Jacobian
        extra['mix_normal'] = F.softmax(net.alphas_normal, -1).tolist()
        extra['mix_reduce'] = F.softmax(net.alphas_reduce, -1).tolist()
        extra['alpha_grad_normal'] = net.alphas_normal.grad.tolist()
        extra['alpha_grad_reduce'] = net.alphas_reduce.grad.tolist()
    names = [n for n, _ in net.named_parameters() if not n.startswith('alphas')]
    record('supernet_' + mode, params, names, loss, logits, extra)

# ---- evaluation network (DARTS NetworkCIFAR), affine BN, auxiliary head
def bn(c): return nn.BatchNorm2d(c, affine=True)
class FR(nn.Module):
    def __init__(s, ci, co):
        super().__init__(); s.c1 = nn.Conv2d(ci, co // 2, 1, 2, bias=False); s.c2 = nn.Conv2d(ci, co // 2, 1, 2, bias=False); s.bn = bn(co)
    def forward(s, x):
        x = F.relu(x); return s.bn(torch.cat([s.c1(x), s.c2(x[:, :, 1:, 1:])], 1))
def rcb(ci, co): return nn.Sequential(nn.ReLU(), nn.Conv2d(ci, co, 1, bias=False), bn(co))
def dil(c, k, st, p, d): return nn.Sequential(nn.ReLU(), nn.Conv2d(c, c, k, st, p, dilation=d, groups=c, bias=False), nn.Conv2d(c, c, 1, bias=False), bn(c))
def op(name, c, st):
    if name == 'max_pool_3x3': return nn.MaxPool2d(3, st, 1)
    if name == 'avg_pool_3x3': return nn.AvgPool2d(3, st, 1, count_include_pad=False)
    if name == 'skip_connect': return nn.Identity() if st == 1 else FR(c, c)
    k = int(name[-1])
    if name.startswith('sep'): return nn.Sequential(*dil(c, k, st, k // 2, 1), *dil(c, k, 1, k // 2, 1))
    return dil(c, k, st, k - 1, 2)
class Cell(nn.Module):
    def __init__(s, geno, cpp, cp, c, red, red_prev):
        super().__init__()
        s.pre0 = FR(cpp, c) if red_prev else rcb(cpp, c); s.pre1 = rcb(cp, c)
        names, s.idx = zip(*geno)
        s.ops = nn.ModuleList(op(n, c, 2 if red and i < 2 else 1) for n, i in zip(names, s.idx))
    def forward(s, s0, s1):
        st = [s.pre0(s0), s.pre1(s1)]
        for i in range(4):
            st.append(s.ops[2 * i](st[s.idx[2 * i]]) + s.ops[2 * i + 1](st[s.idx[2 * i + 1]]))
        return torch.cat(st[2:], 1)
class Aux(nn.Module):
    def __init__(s, c, classes):
        super().__init__()
        s.features = nn.Sequential(nn.ReLU(), nn.AvgPool2d(5, 3, 0, count_include_pad=False), nn.Conv2d(c, 128, 1, bias=False), bn(128),
                                   nn.ReLU(), nn.Conv2d(128, 768, 2, bias=False), bn(768), nn.ReLU())
        s.classifier = nn.Linear(768, classes)
    def forward(s, x): return s.classifier(s.features(x).flatten(1))
class EvalNet(nn.Module):
    def __init__(s, normal, reduce, C, layers, classes, in_ch):
        super().__init__()
        cc = 3 * C
        s.stem = nn.Sequential(nn.Conv2d(in_ch, cc, 3, padding=1, bias=False), bn(cc))
        cpp, cp, cc, rp, cells = cc, cc, C, False, []
        s.aux_at = 2 * layers // 3
        for i in range(layers):
            red = i in (layers // 3, 2 * layers // 3)
            if red: cc *= 2
            cells.append(Cell(reduce if red else normal, cpp, cp, cc, red, rp)); rp, cpp, cp = red, cp, 4 * cc
            if i == s.aux_at: caux = cp
        s.cells = nn.ModuleList(cells); s.classifier = nn.Linear(cp, classes); s.aux = Aux(caux, classes)
    def forward(s, x):
        s0 = s1 = s.stem(x); aux = None
        for i, c in enumerate(s.cells):
            s0, s1 = s1, c(s0, s1)
            if i == s.aux_at: aux = s.aux(s1)
        return s.classifier(F.adaptive_avg_pool2d(s1, 1).flatten(1)), aux

PC_DARTS_NORMAL = [('sep_conv_3x3', 1), ('skip_connect', 0), ('sep_conv_3x3', 0), ('dil_conv_3x3', 1), ('sep_conv_5x5', 0), ('sep_conv_3x3', 1), ('avg_pool_3x3', 0), ('dil_conv_3x3', 1)]
PC_DARTS_REDUCE = [('sep_conv_5x5', 1), ('max_pool_3x3', 0), ('sep_conv_5x5', 1), ('sep_conv_5x5', 2), ('sep_conv_3x3', 0), ('sep_conv_3x3', 3), ('sep_conv_3x3', 1), ('sep_conv_3x3', 2)]

def evalnet():
    net = EvalNet(PC_DARTS_NORMAL, PC_DARTS_REDUCE, C=4, layers=3, classes=3, in_ch=3)
    named = [(n, p) for n, p in net.named_parameters() if not n.startswith('aux.')] + [(n, p) for n, p in net.named_parameters() if n.startswith('aux.')]
    names, params = [n for n, _ in named], [p for _, p in named]   # the Java order: main network, then the auxiliary head
    fill(params)
    x, y = images(4, 3, 32), torch.tensor([n % 3 for n in range(4)])
    net.train()
    logits, aux = net(x)
    loss = F.cross_entropy(logits, y) + 0.4 * F.cross_entropy(aux, y)
    loss.backward()
    record('evalnet_pc_darts', params, names, loss, logits, {'aux_logits': aux.flatten().tolist()})

torch.set_num_threads(1)
supernet('mixture'); supernet('single'); evalnet()
