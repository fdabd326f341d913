#!/usr/bin/env python3
"""PyTorch peer of `proxynas bench`: the DARTS search supernet's training step and validation pass.

The anchor every ProxyNAS step time is compared against (benchmarks/RESULTS.md). It builds the same supernet as
the Java engine (DARTS cell space, 8 primitives, 4 nodes and 14 edges per cell, reductions at L//3 and 2L//3,
affine-free batch-norms inside the cells; C=16, L=8, 10 classes, 3x32x32 by default: 1,930,618 weights) and times

  modes   mixture (DARTS: every edge sums softmax(alpha)_k * op_k(x))
          single  (PVLL-NAS: every edge runs op k* = argmax softmax((alpha + g)/tau), g Gumbel, drawn once per run)
  phases  train_step   (batch 64: forward, cross-entropy, backward, SGD lr 0.025 momentum 0.9 wd 3e-4)
          eval_forward (batch 256: eval mode under no_grad)
  variants (CUDA) eager, eager_cudnn_bench, channels_last, cuda_graph, compile_max_autotune_no_cg,
          compile_reduce_overhead; on the CPU only eager unless --variants names more.

Each (variant, mode, phase) gets a fresh model, warm-up steps, then timed steps over --n-batches rotating random
batches; CUDA steps are timed with event pairs and a synchronize. --budget-seconds bounds the whole run (a soft
share per run after --min-iters steps, and a SIGALRM hard cap). The JSON (--out) has meta, param_count,
single_path_sample, runs (times_ms, wall_ms, median/p10/p90, images_per_s, peak_mem_mb, status, ...),
skipped_for_budget and budget: the layout docs/formats.md describes and `proxynas bench` writes too.

Needs only PyTorch (1.13 on the CPU, 2.x on CUDA) and the standard library:
  /usr/bin/python3 benchmarks/torch_peer.py --quick
  /usr/bin/python3 benchmarks/torch_peer.py --budget-seconds 600 --out torch.json
tests/reference/torch_reference.py imports the supernet from here for the golden gradients.
"""
import argparse, datetime, gc, inspect, json, os, platform, signal, sys, time, traceback
import torch
import torch.nn as nn
import torch.nn.functional as F

PRIMITIVES = ['none', 'max_pool_3x3', 'avg_pool_3x3', 'skip_connect',
              'sep_conv_3x3', 'sep_conv_5x5', 'dil_conv_3x3', 'dil_conv_5x5']
EXPECTED_PARAMS = 1930618  # weights (alphas excluded) at C=16, L=8, 10 classes, RGB
HAS_COMPILE = int(torch.__version__.split('.')[0]) >= 2 and hasattr(torch, 'compile')


# ------------------------------------------------------------------------------------------------ the supernet
def bn(c):
    return nn.BatchNorm2d(c, affine=False)  # affine-free inside the cells, as in the search supernet


def relu_conv_bn(c_in, c_out):
    return nn.Sequential(nn.ReLU(), nn.Conv2d(c_in, c_out, 1, bias=False), bn(c_out))


def dil_conv(c, k, stride, pad, dil):  # ReLU, depthwise k x k (dilated), pointwise, BN
    return nn.Sequential(nn.ReLU(), nn.Conv2d(c, c, k, stride, pad, dilation=dil, groups=c, bias=False),
                         nn.Conv2d(c, c, 1, bias=False), bn(c))


def sep_conv(c, k, stride):  # two undilated blocks; only the first one strides
    return nn.Sequential(*dil_conv(c, k, stride, k // 2, 1), *dil_conv(c, k, 1, k // 2, 1))


class Zero(nn.Module):
    def __init__(self, stride):
        super().__init__()
        self.stride = stride

    def forward(self, x):
        return (x if self.stride == 1 else x[:, :, ::self.stride, ::self.stride]).mul(0.)


class FactorizedReduce(nn.Module):  # ReLU, two stride-2 1x1 convs (the second shifted by a pixel), concat, BN
    def __init__(self, c_in, c_out):
        super().__init__()
        self.c1 = nn.Conv2d(c_in, c_out // 2, 1, stride=2, bias=False)
        self.c2 = nn.Conv2d(c_in, c_out // 2, 1, stride=2, bias=False)
        self.bn = bn(c_out)

    def forward(self, x):
        x = F.relu(x)
        return self.bn(torch.cat([self.c1(x), self.c2(x[:, :, 1:, 1:])], dim=1))


def make_op(name, c, stride):
    if name == 'none':
        return Zero(stride)
    if name == 'max_pool_3x3':
        return nn.Sequential(nn.MaxPool2d(3, stride, 1), bn(c))
    if name == 'avg_pool_3x3':
        return nn.Sequential(nn.AvgPool2d(3, stride, 1, count_include_pad=False), bn(c))
    if name == 'skip_connect':
        return nn.Identity() if stride == 1 else FactorizedReduce(c, c)
    k = int(name[-1])
    return sep_conv(c, k, stride) if name.startswith('sep') else dil_conv(c, k, stride, k - 1, 2)


class MixedOp(nn.Module):
    def __init__(self, c, stride):
        super().__init__()
        self.ops = nn.ModuleList(make_op(p, c, stride) for p in PRIMITIVES)

    def forward(self, x, w, k=None):
        if k is not None:  # single path: op k* alone, scaled by its weight
            return w[k] * self.ops[k](x)
        out = w[0] * self.ops[0](x)
        for i in range(1, len(self.ops)):
            out = out + w[i] * self.ops[i](x)
        return out


class Cell(nn.Module):
    def __init__(self, c_pp, c_p, c, reduction, reduction_prev, steps=4):
        super().__init__()
        self.reduction, self.steps = reduction, steps
        self.pre0 = FactorizedReduce(c_pp, c) if reduction_prev else relu_conv_bn(c_pp, c)
        self.pre1 = relu_conv_bn(c_p, c)
        # edge order: node 0 from (s0, s1), node 1 from (s0, s1, n0), ...; edges from s0/s1 stride in a reduction
        self.edges = nn.ModuleList(MixedOp(c, 2 if reduction and j < 2 else 1)
                                   for i in range(steps) for j in range(2 + i))

    def forward(self, s0, s1, w, ks):
        states, e = [self.pre0(s0), self.pre1(s1)], 0
        for _ in range(self.steps):
            node = None
            for h in list(states):
                y = self.edges[e](h, w[e], None if ks is None else ks[e])
                e += 1
                node = y if node is None else node + y
            states.append(node)
        return torch.cat(states[2:], dim=1)


class Network(nn.Module):
    def __init__(self, C=16, layers=8, num_classes=10, in_ch=3, steps=4, stem_mult=3, tau=0.1):
        super().__init__()
        c = stem_mult * C
        self.stem = nn.Sequential(nn.Conv2d(in_ch, c, 3, padding=1, bias=False), nn.BatchNorm2d(c))
        c_pp, c_p, c, red_prev, cells = c, c, C, False, []
        for i in range(layers):
            red = i in (layers // 3, 2 * layers // 3)
            if red:
                c *= 2
            cells.append(Cell(c_pp, c_p, c, red, red_prev, steps))
            red_prev, c_pp, c_p = red, c_p, steps * c
        self.cells = nn.ModuleList(cells)
        self.classifier = nn.Linear(c_p, num_classes)
        edges = sum(2 + i for i in range(steps))
        self.alphas_normal = nn.Parameter(1e-3 * torch.randn(edges, len(PRIMITIVES)))
        self.alphas_reduce = nn.Parameter(1e-3 * torch.randn(edges, len(PRIMITIVES)))
        self.register_buffer('g_normal', torch.zeros(edges, len(PRIMITIVES)))
        self.register_buffer('g_reduce', torch.zeros(edges, len(PRIMITIVES)))
        self.mode, self.tau, self.k_normal, self.k_reduce = 'mixture', tau, None, None

    def sample_path(self, seed):
        """The PVLL sample k* = argmax softmax((alpha + g)/tau) with Gumbel g, drawn once and kept."""
        gen = torch.Generator().manual_seed(seed)
        for kind in ('normal', 'reduce'):
            a = getattr(self, 'alphas_' + kind).detach().cpu()
            g = -torch.log(-torch.log(torch.rand(a.shape, generator=gen).clamp_(1e-12, 1 - 1e-7)))
            getattr(self, 'g_' + kind).copy_(g)
            setattr(self, 'k_' + kind, F.softmax((a + g) / self.tau, dim=-1).argmax(-1).tolist())

    def forward(self, x):
        s0 = s1 = self.stem(x)
        for cell in self.cells:
            kind = 'reduce' if cell.reduction else 'normal'
            a = getattr(self, 'alphas_' + kind)
            if self.mode == 'mixture':
                w, ks = F.softmax(a, dim=-1), None
            else:
                w, ks = F.softmax((a + getattr(self, 'g_' + kind)) / self.tau, dim=-1), getattr(self, 'k_' + kind)
            s0, s1 = s1, cell(s0, s1, w, ks)
        return self.classifier(F.adaptive_avg_pool2d(s1, 1).flatten(1))


def weight_params(model):
    return [p for n, p in model.named_parameters() if not n.startswith('alphas')]


# ------------------------------------------------------------------------------------------------ timing
class OutOfBudget(Exception):
    pass


def on_alarm(signum, frame):
    raise OutOfBudget()


def percentile(xs, q):  # linear interpolation between the two nearest ranks
    s = sorted(xs)
    i = q * (len(s) - 1)
    lo = int(i)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (i - lo)


def capture_graph(fn, warm=3):
    """Warms fn on a side stream (lazy init, cuDNN autotuning), then captures one call as a CUDA graph."""
    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):
        for _ in range(warm):
            fn()
    torch.cuda.current_stream().wait_stream(side)
    torch.cuda.synchronize()
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        fn()
    return graph


def tf32_state():
    try:
        if hasattr(torch.backends.cudnn, 'conv') and hasattr(torch.backends.cudnn.conv, 'fp32_precision'):
            return {'conv': torch.backends.cudnn.conv.fp32_precision, 'matmul': torch.backends.cuda.matmul.fp32_precision}
        return {'conv_allow_tf32': torch.backends.cudnn.allow_tf32, 'matmul_allow_tf32': torch.backends.cuda.matmul.allow_tf32}
    except Exception as e:
        return {'error': repr(e)}


def set_tf32(on):
    if hasattr(torch.backends.cudnn, 'conv') and hasattr(torch.backends.cudnn.conv, 'fp32_precision'):
        torch.backends.cudnn.conv.fp32_precision = torch.backends.cuda.matmul.fp32_precision = 'tf32' if on else 'ieee'
    else:
        torch.backends.cudnn.allow_tf32 = torch.backends.cuda.matmul.allow_tf32 = on


# name -> (cudnn.benchmark, channels_last, how): how is eager, graph, or a torch.compile mode
VARIANTS = {
    'eager': (False, False, 'eager'),
    'eager_cudnn_bench': (True, False, 'eager'),
    'channels_last': (True, True, 'eager'),
    'cuda_graph': (True, False, 'graph'),
    'compile_max_autotune_no_cg': (True, False, 'max-autotune-no-cudagraphs'),
    'compile_reduce_overhead': (True, False, 'reduce-overhead'),
}


def build_step(args, model, fwd, phase, how, mark):
    if phase == 'train_step':
        model.train()
        extra = {'capturable': True} if how == 'graph' and 'capturable' in inspect.signature(torch.optim.SGD).parameters else {}
        opt = torch.optim.SGD(weight_params(model), lr=args.lr, momentum=0.9, weight_decay=3e-4, **extra)
        loss_fn, alphas = nn.CrossEntropyLoss(), [model.alphas_normal, model.alphas_reduce]

        def step(x, y):
            if mark:
                mark()
            opt.zero_grad(set_to_none=True)
            for a in alphas:
                a.grad = None
            loss_fn(fwd(x), y).backward()
            opt.step()
        return step
    model.eval()

    def step(x, y):
        if mark:
            mark()
        with torch.no_grad():
            return fwd(x)
    return step


def measure(args, dev, variant, mode, phase, rec, clock):
    """One run: fresh model, warm-up, timed steps. Fills rec as it goes, so a run cut short keeps its timings."""
    cuda = dev.type == 'cuda'
    bench, channels_last, how = VARIANTS[variant]
    bench = bench and cuda
    if cuda:
        torch.backends.cudnn.benchmark = bench
        gc.collect()
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()
    torch.manual_seed(args.seed)
    model = Network(args.C, args.layers, args.num_classes, args.in_ch, tau=args.tau).to(dev)
    model.sample_path(args.seed)
    model.mode = mode
    for a in (model.alphas_normal, model.alphas_reduce):
        a.requires_grad_(args.alpha_grad)
    layout = torch.channels_last if channels_last else torch.contiguous_format
    if channels_last:
        model = model.to(memory_format=layout)
    bs = args.batch if phase == 'train_step' else args.eval_batch
    gen = torch.Generator(device='cpu').manual_seed(args.seed + 1)
    batches = [(torch.randn(bs, args.in_ch, args.hw, args.hw, generator=gen).to(dev).contiguous(memory_format=layout),
                torch.randint(0, args.num_classes, (bs,), generator=gen).to(dev)) for _ in range(args.n_batches)]
    fwd = model
    if how not in ('eager', 'graph'):
        (getattr(torch.compiler, 'reset', None) or torch._dynamo.reset)()
        torch._dynamo.utils.counters.clear()
        fwd = torch.compile(model, mode=how)
    mark = getattr(getattr(torch, 'compiler', None), 'cudagraph_mark_step_begin', None) if how == 'reduce-overhead' else None
    step = build_step(args, model, fwd, phase, how, mark)
    if how == 'graph':  # static inputs; copying the batch in is part of every timed step
        sx, sy = batches[0][0].clone(), batches[0][1].clone()
        t0, eager = time.perf_counter(), step
        graph = capture_graph(lambda: eager(sx, sy))
        rec['capture_s'] = round(time.perf_counter() - t0, 3)

        def step(x, y):
            sx.copy_(x)
            sy.copy_(y)
            graph.replay()
    rec.update(batch=bs, cudnn_benchmark=bench, channels_last=channels_last, how=how, times_ms=[], wall_ms=[])
    for i in range(max(1, args.warmup)):  # the first call includes any compilation
        t0 = time.perf_counter()
        step(*batches[i % len(batches)])
        if cuda:
            torch.cuda.synchronize()
        if i == 0:
            rec['first_iter_s'] = round(time.perf_counter() - t0, 3)
    if how not in ('eager', 'graph'):
        rec['compile_s'] = rec['first_iter_s']
    rec['warmup_total_s'] = round(clock() - rec['_t_start'], 3)
    share = max(0.0, args.budget_seconds - clock()) / max(1, rec['_runs_left'])
    events = (torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)) if cuda else None
    loop_start = time.perf_counter()
    for i in range(args.iters):
        x, y = batches[(args.warmup + i) % len(batches)]
        t0 = time.perf_counter()
        if cuda:
            events[0].record()
        step(x, y)
        if cuda:
            events[1].record()
            torch.cuda.synchronize()
        wall = (time.perf_counter() - t0) * 1e3
        rec['wall_ms'].append(round(wall, 4))
        rec['times_ms'].append(round(events[0].elapsed_time(events[1]), 4) if cuda else round(wall, 4))
        if time.perf_counter() - loop_start > share and i + 1 >= min(args.min_iters, args.iters):
            rec['truncated_by_budget_share'] = True
            break
    if cuda:
        rec['peak_mem_mb'] = round(torch.cuda.max_memory_allocated() / 2 ** 20, 1)
    if how not in ('eager', 'graph'):  # did the compiled model stay one graph (and graphed)?
        c = torch._dynamo.utils.counters
        rec['compile_counters'] = dict(unique_graphs=c['stats']['unique_graphs'], graph_breaks=sum(c['graph_break'].values()),
                                       cudagraph_skips=c['inductor']['cudagraph_skips'])


def summarize(rec):
    t = rec.get('times_ms') or []
    if t:
        med = percentile(t, 0.5)
        rec.update(iters_done=len(t), median_ms=round(med, 3), p10_ms=round(percentile(t, 0.1), 3),
                   p90_ms=round(percentile(t, 0.9), 3), mean_ms=round(sum(t) / len(t), 3),
                   wall_median_ms=round(percentile(rec['wall_ms'], 0.5), 3),
                   images_per_s=round(rec['batch'] / (med / 1e3), 1))
    for k in [k for k in rec if k.startswith('_')]:
        del rec[k]
    return rec


# ------------------------------------------------------------------------------------------------ main
def parse_args():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--C', type=int, default=16)
    ap.add_argument('--layers', type=int, default=8)
    ap.add_argument('--num-classes', type=int, default=10)
    ap.add_argument('--in-ch', type=int, default=3)
    ap.add_argument('--hw', type=int, default=32, help='input height = width')
    ap.add_argument('--batch', type=int, default=64, help='train_step batch')
    ap.add_argument('--eval-batch', type=int, default=256, help='eval_forward batch')
    ap.add_argument('--modes', default='mixture,single')
    ap.add_argument('--phases', default='train_step,eval_forward')
    ap.add_argument('--variants', default=None, help='comma list of variants (default: all available on CUDA, eager on the CPU)')
    ap.add_argument('--warmup', type=int, default=None, help='default 10 on CUDA, 1 on the CPU')
    ap.add_argument('--iters', type=int, default=None, help='timed steps; default 50 on CUDA, 10 on the CPU')
    ap.add_argument('--min-iters', type=int, default=None, help='timed steps done even past the budget share; default 3 CUDA, 2 CPU')
    ap.add_argument('--n-batches', type=int, default=4, help='preallocated random batches to rotate')
    ap.add_argument('--lr', type=float, default=0.025)
    ap.add_argument('--tau', type=float, default=0.1)
    ap.add_argument('--no-alpha-grad', dest='alpha_grad', action='store_false',
                    help='alphas do not require grad (default: they do, as in the reference code)')
    ap.add_argument('--tf32', choices=['default', 'on', 'off'], default='default')
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--cpu', action='store_true')
    ap.add_argument('--quick', action='store_true', help='a few steps only (smoke test)')
    ap.add_argument('--budget-seconds', type=float, default=600.0)
    ap.add_argument('--out', default='peers_result.json')
    return ap.parse_args()


def describe(args, dev, cuda):
    meta = dict(date=datetime.datetime.now().isoformat(timespec='seconds'), torch=torch.__version__,
                python=platform.python_version(), platform=platform.platform(), device=dev.type,
                cpu_count=os.cpu_count(), torch_threads=torch.get_num_threads(), args=vars(args),
                torch_compile_available=HAS_COMPILE, cuda_graph_available=cuda and hasattr(torch.cuda, 'CUDAGraph'))
    if cuda:
        meta.update(device_name=torch.cuda.get_device_name(0), cuda=torch.version.cuda,
                    cudnn=torch.backends.cudnn.version(), tf32=tf32_state())
    else:
        try:
            meta['cpu_model'] = next(l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if 'model name' in l)
        except Exception:
            meta['cpu_model'] = platform.processor()
    return meta


def print_table(runs):
    head = (f"{'variant':27s} {'mode':8s} {'phase':12s} {'batch':>5s} {'med ms':>9s} {'p10':>9s} {'p90':>9s} "
            f"{'img/s':>9s} {'n':>3s} {'peakMB':>8s} {'1st s':>7s}  status")
    print('\n' + head + '\n' + '-' * len(head))
    for r in runs:
        def num(k, w, d=2):
            return f"{r[k]:{w}.{d}f}" if isinstance(r.get(k), (int, float)) else f"{'-':>{w}s}"
        err = f"  {' '.join(r['error'].split())[:90]}" if 'error' in r else ''
        print(f"{r['variant']:27s} {r['mode']:8s} {r['phase']:12s} {r.get('batch', 0):5d} {num('median_ms', 9)} "
              f"{num('p10_ms', 9)} {num('p90_ms', 9)} {num('images_per_s', 9, 1)} {r.get('iters_done', 0):3d} "
              f"{num('peak_mem_mb', 8, 0)} {num('first_iter_s', 7)}  {r['status']}{err}")


def main():
    args = parse_args()
    started = time.perf_counter()
    clock = lambda: time.perf_counter() - started
    cuda = torch.cuda.is_available() and not args.cpu
    dev = torch.device('cuda' if cuda else 'cpu')
    if args.warmup is None:
        args.warmup = (3 if args.quick else 10) if cuda else 1
    if args.iters is None:
        args.iters = (5 if args.quick else 50) if cuda else (2 if args.quick else 10)
    if args.min_iters is None:
        args.min_iters = 3 if cuda else 2
    if not cuda:
        torch.set_num_threads(os.cpu_count() or 1)
    if cuda and args.tf32 != 'default':
        set_tf32(args.tf32 == 'on')
    meta = describe(args, dev, cuda)

    # the weight count and the single path every timed model uses (same seed)
    torch.manual_seed(args.seed)
    ref = Network(args.C, args.layers, args.num_classes, args.in_ch, tau=args.tau)
    ref.sample_path(args.seed)
    n_params = sum(p.numel() for p in weight_params(ref))
    default_size = (args.C, args.layers, args.num_classes, args.in_ch) == (16, 8, 10, 3)
    param_count = dict(count=n_params, count_M=round(n_params / 1e6, 6), expected=EXPECTED_PARAMS if default_size else None,
                       match=(n_params == EXPECTED_PARAMS) if default_size else None)
    sample = {k: [PRIMITIVES[i] for i in getattr(ref, 'k_' + k)] for k in ('normal', 'reduce')}
    sample.update(k_normal=ref.k_normal, k_reduce=ref.k_reduce)
    del ref
    print(f"torch {torch.__version__} on {meta.get('device_name', meta.get('cpu_model'))}, threads={torch.get_num_threads()}")
    print(f"param count (weights, excl. alphas) = {n_params / 1e6:.6f} M"
          + (f"  expected 1.930618 M: {'OK' if param_count['match'] else 'MISMATCH'}" if default_size else ''))
    print(f"single-path sample (seed {args.seed}): normal={sample['normal']}\n  reduce={sample['reduce']}")

    available = [v for v, (_, _, how) in VARIANTS.items()
                 if how == 'eager' or (how == 'graph' and meta['cuda_graph_available']) or (how not in ('eager', 'graph') and HAS_COMPILE)]
    wanted = args.variants.split(',') if args.variants else None
    variants = [v for v in wanted if v in available] if wanted else available if cuda else ['eager']
    meta['unavailable_variants'] = [v for v in VARIANTS if v not in available]
    if wanted and len(variants) < len(wanted):
        print(f"note: not run (unknown or unavailable here): {sorted(set(wanted) - set(variants))}")
    plan = [(v, m, p) for v in variants for m in args.modes.split(',') for p in args.phases.split(',')]
    runs, skipped = [], []
    signal.signal(signal.SIGALRM, on_alarm)
    for i, (v, m, p) in enumerate(plan):
        rec = dict(variant=v, mode=m, phase=p, status='ok', _t_start=clock(), _runs_left=len(plan) - i)
        left = args.budget_seconds - clock()
        if left <= 0:
            skipped.append(f'{v}/{m}/{p}')
            continue
        signal.setitimer(signal.ITIMER_REAL, left)  # hard cap on a compile or a step that would overrun
        try:
            measure(args, dev, v, m, p, rec, clock)
        except OutOfBudget:
            rec['status'] = 'budget_exhausted' + (' (partial)' if rec.get('times_ms') else '')
        except Exception as e:
            rec['status'] = 'failed'
            rec['error'] = f'{type(e).__name__}: {e}'[:2000]
            rec['traceback_tail'] = traceback.format_exc()[-1500:]
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        rec['run_s'] = round(clock() - rec['_t_start'], 3)
        runs.append(summarize(rec))
        print(f"[{clock():7.1f}s] {v:27s} {m:8s} {p:12s} {rec['status']:10s} "
              f"median={rec.get('median_ms', float('nan')):.2f} ms  n={rec.get('iters_done', 0)}", flush=True)
    if cuda:
        torch.backends.cudnn.benchmark = False

    print_table(runs)
    cut = [f"{r['variant']}/{r['mode']}/{r['phase']}" for r in runs if r['status'].startswith('budget')]
    if skipped or cut:
        print(f"\nBUDGET of {args.budget_seconds:.0f} s SPENT: interrupted {cut or 'none'}; skipped {skipped or 'none'}")
    result = dict(meta=meta, param_count=param_count, single_path_sample=sample, runs=runs, skipped_for_budget=skipped,
                  budget=dict(seconds=args.budget_seconds, spent_s=round(clock(), 1), exhausted=bool(skipped or cut),
                              interrupted=cut))
    tmp = args.out + '.tmp'
    with open(tmp, 'w') as fh:
        json.dump(result, fh, indent=1)
    os.replace(tmp, args.out)
    print(f"\nwrote {os.path.abspath(args.out)}  (total {clock():.1f} s)")
    return 0 if param_count['match'] in (True, None) else 1


if __name__ == '__main__':
    sys.exit(main())
