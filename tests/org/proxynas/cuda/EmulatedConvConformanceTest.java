package org.proxynas.cuda;

import org.junit.jupiter.api.Test;
import org.proxynas.tensor.ConvGeom;


/**
 * cuda/conv.cu (depthwise, pointwise and dense convolutions) under emulation against the CPU reference (CpuConv): odd
 * sizes, stride 1 and 2, dilation 2, padding beyond the kernel's reach, pointwise offsets 0 and 1 and a stride-1
 * output smaller than the input, both accumulate modes; parameter gradients accumulate onto random values.
 *
 * <p>Tolerance: <b>1e-5 relative + 1e-5 absolute</b> for forward and backward-data (sums of at most 25 products
 * of values ~ N(0, 4) taken in a different order from the CPU's: both sides round every product and partial sum to
 * fp32, so they differ by a few ulps of the terms, ~ 1e-6 here). The weight gradients sum up to a few hundred
 * products: the kernel in double and rounded once, the CPU in fp32 partials, so the difference is the CPU's own
 * rounding error, ~ sqrt(terms) * ulp(|terms|) ~ 1e-5 for these sizes: <b>1e-5 relative + 1e-4 absolute</b>
 * (the absolute part covers sums that cancel to near zero).
 */
class EmulatedConvConformanceTest extends EmulatedSpatialChecks {
    static final ConvGeom[] GEOMS = {
            new ConvGeom(3, 1, 1, 1), new ConvGeom(3, 2, 1, 1), new ConvGeom(5, 1, 2, 1), new ConvGeom(5, 2, 2, 1),
            new ConvGeom(3, 1, 2, 2), new ConvGeom(3, 2, 2, 2), new ConvGeom(1, 1, 1, 1), new ConvGeom(3, 1, 0, 1)};

    @Test
    void depthwiseMatches() {
        for (ConvGeom g : GEOMS) {
            for (int[] x : new int[][]{{2, 3, 7, 9}, {1, 2, 6, 5}}) {
                int[] w = {x[1], 1, g.kernel(), g.kernel()}, y = {x[0], x[1], g.outSize(x[2]), g.outSize(x[3])};
                compare("depthwiseConvForward " + g, new int[][]{x, w, y}, Values.GAUSSIAN, 1e-5, 1e-5,
                        (k, t) -> k.depthwiseConvForward(t[0], t[1], t[2], g));
                for (boolean acc : new boolean[]{false, true}) {
                    compare("depthwiseConvBackwardData " + g + " acc=" + acc, new int[][]{y, w, x}, Values.GAUSSIAN,
                            1e-5, 1e-5, (k, t) -> k.depthwiseConvBackwardData(t[0], t[1], t[2], g, acc));
                }
                compare("depthwiseConvBackwardFilter " + g, new int[][]{x, y, w}, Values.GAUSSIAN, 1e-5, 1e-4,
                        (k, t) -> k.depthwiseConvBackwardFilter(t[0], t[1], t[2], g));
            }
        }
    }

    @Test
    void pointwiseMatches() {
        int[] x = {2, 5, 7, 9};
        // {stride, offset, ho, wo}
        int[][] cases = {{1, 0, 7, 9}, {2, 0, 4, 5}, {2, 1, 3, 4}, {1, 0, 5, 6}, {1, 1, 6, 8}};
        for (int[] c : cases) {
            int s = c[0], off = c[1];
            int[] w = {4, x[1], 1, 1}, y = {x[0], 4, c[2], c[3]};
            String g = " stride " + s + " offset " + off + " out " + c[2] + "x" + c[3];
            compare("pointwiseConvForward" + g, new int[][]{x, w, y}, Values.GAUSSIAN, 1e-5, 1e-5,
                    (k, t) -> k.pointwiseConvForward(t[0], t[1], t[2], s, off));
            for (boolean acc : new boolean[]{false, true}) {
                compare("pointwiseConvBackwardData" + g + " acc=" + acc, new int[][]{y, w, x}, Values.GAUSSIAN, 1e-5, 1e-5,
                        (k, t) -> k.pointwiseConvBackwardData(t[0], t[1], t[2], s, off, acc));
            }
            compare("pointwiseConvBackwardWeight" + g, new int[][]{x, y, w}, Values.GAUSSIAN, 1e-5, 1e-4,
                    (k, t) -> k.pointwiseConvBackwardWeight(t[0], t[1], t[2], s, off));
        }
        // rank-2 [N, F] inputs (H = W = 1)
        compare("pointwiseConvForward rank 2", new int[][]{{3, 6}, {5, 6, 1, 1}, {3, 5}}, Values.GAUSSIAN, 1e-5, 1e-5,
                (k, t) -> k.pointwiseConvForward(t[0], t[1], t[2], 1, 0));
    }

    /**
     * Dense (groups 1) convs: the stem's 3x3 pad 1, the auxiliary head's 1x1 and 2x2 pad 0, stride 2, dilation 2,
     * odd sizes. Forward and backward-data sum up to cin*k*k = 45 products: 1e-5 relative + 2e-5 absolute.
     */
    @Test
    void denseMatches() {
        ConvGeom[] geoms = {new ConvGeom(3, 1, 1, 1), new ConvGeom(3, 2, 1, 1), new ConvGeom(1, 1, 0, 1),
                new ConvGeom(1, 2, 0, 1), new ConvGeom(2, 1, 0, 1), new ConvGeom(2, 2, 0, 1), new ConvGeom(3, 1, 2, 2),
                new ConvGeom(5, 2, 2, 1)};
        for (ConvGeom g : geoms) {
            for (int[] x : new int[][]{{2, 3, 7, 9}, {1, 5, 6, 5}}) {
                int cout = 4;
                int[] w = {cout, x[1], g.kernel(), g.kernel()}, y = {x[0], cout, g.outSize(x[2]), g.outSize(x[3])};
                compare("convForward " + g, new int[][]{x, w, y}, Values.GAUSSIAN, 1e-5, 2e-5,
                        (k, t) -> k.convForward(t[0], t[1], t[2], g));
                for (boolean acc : new boolean[]{false, true}) {
                    compare("convBackwardData " + g + " acc=" + acc, new int[][]{y, w, x}, Values.GAUSSIAN,
                            1e-5, 2e-5, (k, t) -> k.convBackwardData(t[0], t[1], t[2], g, acc));
                }
                compare("convBackwardFilter " + g, new int[][]{x, y, w}, Values.GAUSSIAN, 1e-5, 1e-4,
                        (k, t) -> k.convBackwardFilter(t[0], t[1], t[2], g));
            }
        }
    }


}
