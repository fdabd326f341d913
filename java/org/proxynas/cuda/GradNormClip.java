package org.proxynas.cuda;

import org.proxynas.tensor.OptimChecks;
import org.proxynas.tensor.Tensor;

import java.util.List;

/**
 * The global gradient-norm clip on the device (cuda/step.cu), shared by the eager {@code Kernels.clipGradNorm} and
 * the captured step ({@link GraphStepKernels}): pass 1 (grad_sumsq_partial_f32) writes each block's sum of squares
 * over a table of gradients, pass 2 (grad_clip_coef_f32, one block) adds the partials in a fixed order and writes the
 * clip coefficient to device memory, so nothing is read back. Deterministic: the grid depends only on the total
 * element count and the launcher, never on the order blocks run in, so the eager and the captured step are
 * bit-identical. Against the CPU reference (per-tensor sums in another order) the sum of squares agrees to the
 * double-rounding bound stated in EmulatedGradNormClipTest.
 */
final class GradNormClip {
    /** Floats per table row: 4 long longs (param, grad, momentum addresses; element count) as float pairs. */
    static final int ROW_FLOATS = 8;

    private final Launches l;

    GradNormClip(Launches launches) { this.l = launches; }

    /** Writes row t: the 4 long longs as little-endian float pairs, read as long long by the kernels. */
    static void putRow(float[] rows, int t, long param, long grad, long momentum, long count) {
        long[] row = {param, grad, momentum, count};
        for (int f = 0; f < row.length; f++) {
            rows[ROW_FLOATS * t + 2 * f] = Float.intBitsToFloat((int) row[f]);
            rows[ROW_FLOATS * t + 2 * f + 1] = Float.intBitsToFloat((int) (row[f] >>> 32));
        }
    }

    /**
     * Queues both passes over count table rows holding elements gradient values in all: coef[0] = min(1, maxNorm /
     * (norm + 1e-6)); sumSq (a null pointer for none) receives the sum of squares as a double.
     */
    void coefficient(Launcher.Ptr rows, int count, long elements, double maxNorm, Launcher.Ptr coef, Launcher.Ptr sumSq) {
        int grid = l.grid(elements, l.threads("grad_sumsq_partial_f32"));
        Launcher.Ptr partial = l.scratchDoubles("gradient-norm partials", grid);
        l.launch("grad_sumsq_partial_f32", grid, 0, rows, count, partial);
        l.launch("grad_clip_coef_f32", 1, 0, partial, grid, Double.doubleToRawLongBits(maxNorm), coef, sumSq);
    }

    /** Kernels.clipGradNorm: both passes, then every gradient *= coef[0] in one launch; no read back. */
    void clip(List<Tensor> grads, double maxNorm) {
        OptimChecks.clipGradNorm(grads, maxNorm);
        Table t = table(grads);
        Launcher.Ptr coef = new Launcher.Ptr(l.backend().scratch().take("gradient clip coefficient", 4));
        coefficient(t.rows(), grads.size(), t.elements(), maxNorm, coef, new Launcher.Ptr(0));
        l.launch("scale_grads_multi_f32", l.grid(t.largest(), l.threads("scale_grads_multi_f32")), 0, t.rows(),
                grads.size(), coef);
    }

    /** The global sum of squares of grads by the two passes, read back (one synchronisation; for checks). */
    double sumSquares(List<Tensor> grads) {
        OptimChecks.clipGradNorm(grads, 1);
        Table t = table(grads);
        Tensor out = l.partialBuffer(1 + 1);  // the double sum, then the coefficient (unused)
        long base = l.backend().address(out);
        coefficient(t.rows(), grads.size(), t.elements(), 1, new Launcher.Ptr(base + 8), new Launcher.Ptr(base));
        return Launches.partials(out)[0];
    }

    private record Table(Launcher.Ptr rows, long elements, long largest) {}

    /** The gradients' rows as a device table, cached by content (uploaded once per set of gradient buffers). */
    private Table table(List<Tensor> grads) {
        float[] rows = new float[ROW_FLOATS * grads.size()];
        long elements = 0, largest = 0;
        for (int t = 0; t < grads.size(); t++) {
            Tensor g = grads.get(t);
            putRow(rows, t, 0, l.backend().address(g), 0, g.size());
            elements += g.size();
            largest = Math.max(largest, g.size());
        }
        return new Table(new Launcher.Ptr(l.backend().tables().address(rows)), elements, largest);
    }
}
