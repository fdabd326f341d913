package org.proxynas.tensor;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Naive references for the spatial suites (conv, pool, norm), written as directly as possible and evaluated in
 * double. A convolution is described by its list of (x index, w index, y index) triples, one per in-bounds tap;
 * forward, input gradient and filter gradient are then three one-line sums over the same triples.
 */
public final class SpatialReference {
    private SpatialReference() {}

    /** One in-bounds tap of a convolution: y[yi] += w[wi] * x[xi]. */
    @FunctionalInterface
    public interface Tap { void at(int xi, int wi, int yi); }

    /**
     * Every tap of a depthwise (groups = C, w [C,1,k,k]) or dense (w [Cout,Cin,k,k]) conv over x [n,cin,h,w].
     * Output size as PyTorch: (in + 2p - d(k-1) - 1) / s + 1.
     */
    public static void convTaps(int n, int cin, int h, int w, int cout, ConvGeom g, boolean depthwise, Tap tap) {
        int k = g.kernel(), s = g.stride(), p = g.padding(), d = g.dilation();
        int ho = (h + 2 * p - d * (k - 1) - 1) / s + 1, wo = (w + 2 * p - d * (k - 1) - 1) / s + 1;
        for (int b = 0; b < n; b++) {
            for (int co = 0; co < cout; co++) {
                for (int i = 0; i < ho; i++) {
                    for (int j = 0; j < wo; j++) {
                        int yi = ((b * cout + co) * ho + i) * wo + j;
                        for (int ci = depthwise ? co : 0; ci < (depthwise ? co + 1 : cin); ci++) {
                            for (int ki = 0; ki < k; ki++) {
                                for (int kj = 0; kj < k; kj++) {
                                    int r = i * s - p + ki * d, c = j * s - p + kj * d;
                                    if (r < 0 || r >= h || c < 0 || c >= w) continue;
                                    int xi = ((b * cin + ci) * h + r) * w + c;
                                    int wi = depthwise ? (co * k + ki) * k + kj : ((co * cin + ci) * k + ki) * k + kj;
                                    tap.at(xi, wi, yi);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** Every tap of a 1x1 conv: y[b,co,i,j] += w[co,ci] * x[b,ci, offset + stride*i, offset + stride*j]. */
    public static void pointwiseTaps(int n, int cin, int h, int w, int cout, int ho, int wo, int stride, int offset,
                                     Tap tap) {
        for (int b = 0; b < n; b++) {
            for (int co = 0; co < cout; co++) {
                for (int i = 0; i < ho; i++) {
                    for (int j = 0; j < wo; j++) {
                        int yi = ((b * cout + co) * ho + i) * wo + j;
                        for (int ci = 0; ci < cin; ci++) {
                            int xi = ((b * cin + ci) * h + offset + stride * i) * w + offset + stride * j;
                            tap.at(xi, co * cin + ci, yi);
                        }
                    }
                }
            }
        }
    }

    /** A reference value with its error scale (the sum of the absolute values of the terms that made it). */
    public record Ref(double[] value, double[] scale) {
        public static Ref of(int size) { return new Ref(new double[size], new double[size]); }

        public void add(int i, double term) {
            value[i] += term;
            scale[i] += Math.abs(term);
        }
    }

    /**
     * Asserts |actual - value| &lt;= rel * scale + abs elementwise, where scale is the sum of |terms|: the natural
     * bound for a float sum of those terms (its rounding error is a small multiple of 2^-24 * scale).
     */
    public static void assertScaled(String what, Ref ref, float[] actual, double rel, double abs) {
        assertEquals(ref.value().length, actual.length, what + ": length");
        for (int i = 0; i < actual.length; i++) {
            double err = Math.abs(actual[i] - ref.value()[i]);
            double bound = rel * ref.scale()[i] + abs;
            if (!(err <= bound)) {
                fail(String.format("%s: entry %d is %.7g, expected %.7g (|diff| %.3g > %.3g)",
                        what, i, actual[i], ref.value()[i], err, bound));
            }
        }
    }

    public static float[] randn(Random rnd, int size) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) a[i] = (float) rnd.nextGaussian();
        return a;
    }

    /**
     * Sets every element of t through a host copy. The suites use this rather than {@link Kernels#fill} so that
     * they test only their own kernel family.
     */
    public static void fill(Tensor t, float value) {
        float[] a = new float[Math.toIntExact(t.size())];
        java.util.Arrays.fill(a, value);
        t.fromHost(a);
    }

    public static int size(int... shape) { return Math.toIntExact(Tensor.elementCount(shape)); }
}
