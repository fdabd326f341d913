package org.proxynas.cuda;

import org.junit.jupiter.api.Test;
import org.proxynas.tensor.Tensor;

import java.util.Arrays;


/**
 * cuda/channels.cu (copyChannels, weightedSum, scaleSamples) under emulation against the CPU reference
 * (CpuElementwise). Tolerance: <b>bit-exact</b>. Each output element is one copy, or the same fp32 products and
 * sums in the same order as the CPU (no FMA), so there is nothing to round differently. weightedSum covers more
 * terms than one launch takes (chained launches) and y aliasing an input inside and past the first launch.
 */
class EmulatedChannelsConformanceTest extends EmulatedSpatialChecks {

    @Test
    void copyChannelsMatches() {
        int[][][] cases = {{{2, 5, 3, 3}, {2, 4, 3, 3}}, {{3, 7}, {3, 9}}, {{1, 3, 1, 5}, {1, 6, 1, 5}}};
        for (int[][] s : cases) {
            int srcC = s[0][1], dstC = s[1][1];
            for (int ch = 1; ch <= Math.min(srcC, dstC); ch += 2) {
                int srcCh = srcC - ch, dstCh = (dstC - ch) / 2, channels = ch;
                for (boolean acc : new boolean[]{false, true}) {
                    compare("copyChannels " + Arrays.deepToString(s) + " " + channels + " acc=" + acc, s, Values.GAUSSIAN, 0, 0,
                            (k, t) -> k.copyChannels(t[0], srcCh, t[1], dstCh, channels, acc));
                }
            }
        }
    }

    @Test
    void weightedSumMatches() {
        int[] shape = {3, 2, 5, 7};
        for (int terms : new int[]{0, 1, 3, 8, 11}) {
            float[] w = new float[terms];
            for (int i = 0; i < terms; i++) w[i] = (float) Math.sin(i + 1.5) * 1.7f;
            int[][] shapes = new int[terms + 1][];
            Arrays.fill(shapes, shape);
            for (boolean acc : new boolean[]{false, true}) {
                compare("weightedSum terms=" + terms + " acc=" + acc, shapes, Values.GAUSSIAN, 0, 0,
                        (k, t) -> k.weightedSum(Arrays.copyOf(t, terms), w, t[terms], acc));
                // y is also input 0 (first launch) and, past the first launch, input 9
                if (terms >= 1) {
                    compare("weightedSum aliased terms=" + terms + " acc=" + acc, shapes, Values.GAUSSIAN, 0, 0, (k, t) -> {
                        Tensor[] xs = Arrays.copyOf(t, terms);
                        xs[0] = t[terms];
                        if (terms > 9) xs[9] = t[terms];
                        k.weightedSum(xs, w, t[terms], acc);
                    });
                }
            }
        }
    }

    @Test
    void scaleSamplesMatches() {
        for (int[] shape : new int[][]{{4, 3, 5, 5}, {3, 7}, {1, 2, 3, 3}}) {
            float[] scales = new float[shape[0]];
            for (int i = 0; i < scales.length; i++) scales[i] = i % 3 == 1 ? 0f : 1f / (1f - 0.2f) * (i + 1);
            for (boolean acc : new boolean[]{false, true}) {
                compare("scaleSamples " + Arrays.toString(shape) + " acc=" + acc, new int[][]{shape, shape}, Values.GAUSSIAN, 0, 0,
                        (k, t) -> k.scaleSamples(t[0], scales, t[1], acc));
                compare("scaleSamples in place " + Arrays.toString(shape) + " acc=" + acc, new int[][]{shape}, Values.GAUSSIAN, 0, 0,
                        (k, t) -> k.scaleSamples(t[0], scales, t[0], acc));
            }
        }
    }

}
