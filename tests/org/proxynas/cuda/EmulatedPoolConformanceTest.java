package org.proxynas.cuda;

import org.junit.jupiter.api.Test;
import org.proxynas.tensor.ConvGeom;


/**
 * cuda/pool.cu under emulation against the CPU reference (CpuPool): odd sizes, stride 1 and 2, dilation 2, padding
 * at and beyond the window's reach, both accumulate modes, both count_include_pad modes, rank-2 inputs.
 *
 * <p>Tolerances. Max pool, forward and backward: <b>bit-exact</b>, on inputs full of ties (the first maximum in
 * row-major order is selected, and the gradient terms are added in the CPU's order). Average pool: the kernel sums
 * the taps in row-major order as the CPU's stride-2 path does (bit-exact there), but the CPU's stride-1 path is a
 * convolution with a kernel of ones over a padded plane, whose summation order differs: at most k*k fp32 roundings
 * of values of magnitude ~ 6, so <b>1e-5 absolute + 1e-5 relative</b>. Global average pool: both sum in double and
 * round once, in different orders: <b>1e-6 relative + 1e-7 absolute</b>.
 */
class EmulatedPoolConformanceTest extends EmulatedSpatialChecks {
    static final ConvGeom[] GEOMS = {
            new ConvGeom(3, 1, 1, 1), new ConvGeom(3, 2, 1, 1), new ConvGeom(3, 1, 2, 2), new ConvGeom(3, 2, 2, 2),
            new ConvGeom(2, 2, 0, 1), new ConvGeom(5, 2, 2, 1), new ConvGeom(3, 1, 0, 1), new ConvGeom(2, 1, 1, 1)};
    static final int[][] IMAGES = {{2, 3, 7, 9}, {1, 2, 8, 6}};

    static int[] out(int[] x, ConvGeom g) { return new int[]{x[0], x[1], g.outSize(x[2]), g.outSize(x[3])}; }

    @Test
    void maxPoolBitExactOnTies() {
        for (ConvGeom g : GEOMS) {
            for (int[] x : IMAGES) {
                int[] y = out(x, g);
                compare("maxPoolForward " + g, new int[][]{x, y}, Values.TIES, 0, 0,
                        (k, t) -> k.maxPoolForward(t[0], t[1], g));
                for (boolean acc : new boolean[]{false, true}) {
                    compare("maxPoolBackward " + g + " acc=" + acc, new int[][]{x, y, x}, Values.TIES, 0, 0,
                            (k, t) -> k.maxPoolBackward(t[0], t[1], t[2], g, acc));
                }
            }
        }
        // gaussian inputs too (no ties, the winner is unique)
        ConvGeom g = new ConvGeom(3, 2, 1, 1);
        compare("maxPoolBackward gaussian", new int[][]{{2, 2, 9, 7}, {2, 2, 5, 4}, {2, 2, 9, 7}}, Values.GAUSSIAN, 0, 0,
                (k, t) -> k.maxPoolBackward(t[0], t[1], t[2], g, true));
    }

    @Test
    void avgPoolMatches() {
        for (ConvGeom g : GEOMS) {
            for (int[] x : IMAGES) {
                int[] y = out(x, g);
                for (boolean inc : new boolean[]{false, true}) {
                    double tol = g.stride() == 1 ? 1e-5 : 0;
                    compare("avgPoolForward " + g + " inc=" + inc, new int[][]{x, y}, Values.GAUSSIAN, tol, tol,
                            (k, t) -> k.avgPoolForward(t[0], t[1], g, inc));
                    for (boolean acc : new boolean[]{false, true}) {
                        compare("avgPoolBackward " + g + " inc=" + inc + " acc=" + acc, new int[][]{y, x},
                                Values.GAUSSIAN, tol, tol, (k, t) -> k.avgPoolBackward(t[0], t[1], g, inc, acc));
                    }
                }
            }
        }
    }

    @Test
    void globalAvgPoolMatches() {
        int[][][] cases = {{{2, 3, 7, 9}, {2, 3}}, {{1, 2, 33, 17}, {1, 2, 1, 1}}, {{5, 7}, {5, 7}}, {{3, 1, 1, 1}, {3, 1}}};
        for (int[][] s : cases) {
            compare("globalAvgPoolForward", new int[][]{s[0], s[1]}, Values.GAUSSIAN, 1e-6, 1e-7,
                    (k, t) -> k.globalAvgPoolForward(t[0], t[1]));
            for (boolean acc : new boolean[]{false, true}) {
                compare("globalAvgPoolBackward acc=" + acc, new int[][]{s[1], s[0]}, Values.GAUSSIAN, 0, 0,
                        (k, t) -> k.globalAvgPoolBackward(t[0], t[1], acc));
            }
        }
    }

}
