package org.proxynas.cuda;

import org.junit.jupiter.api.Test;
import org.proxynas.tensor.Tensor;


/**
 * cuda/norm.cu (batch norm) under emulation against the CPU reference (CpuNorm): NCHW with odd planes and more
 * values per channel than a block has threads, [N, C] inputs, with and without gamma/beta, with and without running
 * statistics, both accumulate modes; parameter gradients and running statistics start from random values.
 *
 * <p>Tolerances. Training forward and backward: <b>1e-5 relative + 1e-5 absolute</b>. Both sides reduce in double
 * and round the statistics once, but in different orders (CpuNorm: four interleaved partial sums per plane; the
 * kernel: a strided sum per thread and a tree), so mean, invStd and the sums can round to neighbouring floats
 * (1 ulp ~ 6e-8 relative), and the fp32 element formula amplifies that by at most a few ulps of |x - mean| * scale;
 * dgamma/dbeta and the running statistics are double sums rounded once. Eval forward and backward: the same double
 * scale per channel and the same fp32 element formula on both sides: <b>bit-exact</b>.
 */
class EmulatedNormConformanceTest extends EmulatedSpatialChecks {
    static final int[][] SHAPES = {{2, 3, 7, 9}, {3, 2, 1, 1}, {4, 5}, {1, 2, 17, 19}};

    @Test
    void trainForwardMatches() {
        for (int[] x : SHAPES) {
            int[] v = {x[1]};
            for (boolean affine : new boolean[]{false, true}) {
                for (boolean running : new boolean[]{false, true}) {
                    String what = "batchNormTrainForward " + java.util.Arrays.toString(x) + " affine=" + affine + " running=" + running;
                    compare(what, new int[][]{x, affine ? v : null, affine ? v : null, running ? v : null, running ? v : null, x, v, v},
                            Values.GAUSSIAN, 1e-5, 1e-5, (k, t) -> k.batchNormTrainForward(t[0], t[1], t[2], t[3], t[4],
                                    0.1f, 1e-5f, t[5], t[6], t[7]));
                }
            }
        }
    }

    @Test
    void backwardMatches() {
        for (int[] x : SHAPES) {
            int[] v = {x[1]};
            for (boolean affine : new boolean[]{false, true}) {
                for (boolean acc : new boolean[]{false, true}) {
                    String what = "batchNormBackward " + java.util.Arrays.toString(x) + " affine=" + affine + " acc=" + acc;
                    compareBackward(what, x, v, affine, acc);
                }
            }
        }
    }

    /** Backward on real statistics: saveMean/saveInvStd (t[3], t[4]) come from a forward pass of x on each backend. */
    private void compareBackward(String what, int[] x, int[] v, boolean affine, boolean acc) {
        compare(what, new int[][]{x, x, affine ? v : null, v, v, x, affine ? v : null, affine ? v : null}, Values.GAUSSIAN,
                1e-5, 1e-5, (k, t) -> {
                    // real statistics of x (this also overwrites the random saveMean/saveInvStd on both sides)
                    Tensor scratch = t[0].backend().allocate(x);
                    k.batchNormTrainForward(t[1], null, null, null, null, 0.1f, 1e-5f, scratch, t[3], t[4]);
                    k.batchNormBackward(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], acc);
                });
    }

    @Test
    void evalMatchesBitForBit() {
        for (int[] x : SHAPES) {
            int[] v = {x[1]};
            for (boolean affine : new boolean[]{false, true}) {
                String what = "batchNormEvalForward " + java.util.Arrays.toString(x) + " affine=" + affine;
                // runningVar (t[4]) must be positive: POSITIVE draws every tensor from [0.5, 1.5)
                compare(what, new int[][]{x, affine ? v : null, affine ? v : null, v, v, x}, Values.POSITIVE, 0, 0,
                        (k, t) -> k.batchNormEvalForward(t[0], t[1], t[2], t[3], t[4], 1e-5f, t[5]));
                for (boolean acc : new boolean[]{false, true}) {
                    compare("batchNormEvalBackward " + java.util.Arrays.toString(x) + " affine=" + affine + " acc=" + acc,
                            new int[][]{x, affine ? v : null, v, x}, Values.POSITIVE, 0, 0,
                            (k, t) -> k.batchNormEvalBackward(t[0], t[1], t[2], 1e-5f, t[3], acc));
                }
            }
        }
    }

}
