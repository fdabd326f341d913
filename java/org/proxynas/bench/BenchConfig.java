package org.proxynas.bench;

import java.util.List;

/**
 * One benchmark session: the supernet size, the batches, which (mode, phase) pairs to run, and the timing protocol
 * of benchmarks/torch_peer.py. warmup, iters and minIters may be null: the peer's defaults for the
 * backend then apply ({@link #resolve}).
 */
public record BenchConfig(int channels, int layers, int imageSize, int batch, int evalBatch,
                          List<BenchMode> modes, List<BenchPhase> phases,
                          Integer warmup, Integer iters, Integer minIters, int batchesToRotate,
                          double budgetSeconds, long seed) {
    public static final int CLASSES = 10, IN_CHANNELS = 3;
    public static final float LR = 0.025f, MOMENTUM = 0.9f, WEIGHT_DECAY = 3e-4f;

    public BenchConfig {
        positive("--channels", channels);
        if (layers < 3) throw new IllegalArgumentException("--layers must be >= 3 (two reduction cells), got " + layers);
        if (imageSize < 8) throw new IllegalArgumentException("--image-size must be >= 8 (two reductions of a 3x3 stem), got " + imageSize);
        positive("--batch", batch);
        positive("--eval-batch", evalBatch);
        if (modes.isEmpty()) throw new IllegalArgumentException("--modes names no mode");
        if (phases.isEmpty()) throw new IllegalArgumentException("--phases names no phase");
        if (phases.contains(BenchPhase.ALPHA_STEP) && modes.contains(BenchMode.SINGLE)) {
            throw new IllegalArgumentException("--phases alpha_step needs --modes mixture (the alpha step has no single-path form)");
        }
        if (warmup != null && warmup < 0) throw new IllegalArgumentException("--warmup must be >= 0, got " + warmup);
        if (iters != null) positive("--iters", iters);
        if (minIters != null) positive("--min-iters", minIters);
        positive("--n-batches", batchesToRotate);
        if (!(budgetSeconds > 0) || Double.isInfinite(budgetSeconds)) {
            throw new IllegalArgumentException("--budget-seconds must be a positive number, got " + budgetSeconds);
        }
        modes = List.copyOf(modes);
        phases = List.copyOf(phases);
    }

    private static void positive(String option, int v) {
        if (v <= 0) throw new IllegalArgumentException(option + " must be > 0, got " + v);
    }

    /** The peer's defaults where unset: warm-up 10 / 1, 50 / 10 timed steps, at least 3 / 2, on a GPU / the CPU. */
    public BenchConfig resolve(boolean gpu) {
        return new BenchConfig(channels, layers, imageSize, batch, evalBatch, modes, phases,
                warmup != null ? warmup : gpu ? 10 : 1, iters != null ? iters : gpu ? 50 : 10,
                minIters != null ? minIters : gpu ? 3 : 2, batchesToRotate, budgetSeconds, seed);
    }

    public int batchFor(BenchPhase phase) { return phase == BenchPhase.EVAL_FORWARD ? evalBatch : batch; }
}
