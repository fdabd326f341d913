package org.proxynas.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The per-plane passes of batch norm on the Vector API. The planes sit at runtime offsets in x, y and dy, a
 * form C2 does not vectorise on its own (see {@link ConvRows}). Reductions keep one partial sum per lane,
 * added in lane order and then the tail in order, so their results depend on the data alone; callers add the
 * per-plane sums in double. The maps round every operation as the scalar formula does (no fused multiply-add),
 * so each element is bit-identical wherever it falls.
 */
final class NormRows {
    private NormRows() {}

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int L = SPECIES.length();

    /** sum of a[o .. o+len). */
    static float sum(float[] a, int o, int len) {
        FloatVector acc = FloatVector.zero(SPECIES);
        int i = 0;
        for (; i + L <= len; i += L) acc = acc.add(FloatVector.fromArray(SPECIES, a, o + i));
        float s = lanes(acc);
        for (; i < len; i++) s += a[o + i];
        return s;
    }

    /** sum of (a[o+i] - mean)^2 over i &lt; len. */
    static float sumSquaredDeviations(float[] a, int o, int len, float mean) {
        FloatVector acc = FloatVector.zero(SPECIES);
        int i = 0;
        for (; i + L <= len; i += L) {
            FloatVector d = FloatVector.fromArray(SPECIES, a, o + i).sub(mean);
            acc = d.fma(d, acc);
        }
        float s = lanes(acc);
        for (; i < len; i++) s = Math.fma(a[o + i] - mean, a[o + i] - mean, s);
        return s;
    }

    /** sum of dy[o+i] * (x[o+i] - mean) over i &lt; len. */
    static float dotDeviations(float[] dy, float[] x, int o, int len, float mean) {
        FloatVector acc = FloatVector.zero(SPECIES);
        int i = 0;
        for (; i + L <= len; i += L) {
            acc = FloatVector.fromArray(SPECIES, dy, o + i).fma(FloatVector.fromArray(SPECIES, x, o + i).sub(mean), acc);
        }
        float s = lanes(acc);
        for (; i < len; i++) s = Math.fma(dy[o + i], x[o + i] - mean, s);
        return s;
    }

    /** y[o+i] = (x[o+i] - mean) * scale + shift. */
    static void normalise(float[] x, float[] y, int o, int len, float mean, float scale, float shift) {
        int i = 0;
        for (; i + L <= len; i += L) {
            FloatVector.fromArray(SPECIES, x, o + i).sub(mean).mul(scale).add(shift).intoArray(y, o + i);
        }
        for (; i < len; i++) y[o + i] = (x[o + i] - mean) * scale + shift;
    }

    /** dx[o+i] (+)= a*dy[o+i] + b*(x[o+i] - mean) + c. */
    static void backward(float[] dy, float[] x, float[] dx, int o, int len, float mean, float a, float b, float c,
                         boolean accumulate) {
        int i = 0;
        for (; i + L <= len; i += L) {
            FloatVector v = FloatVector.fromArray(SPECIES, dy, o + i).mul(a)
                    .add(FloatVector.fromArray(SPECIES, x, o + i).sub(mean).mul(b)).add(c);
            if (accumulate) v = FloatVector.fromArray(SPECIES, dx, o + i).add(v);
            v.intoArray(dx, o + i);
        }
        for (; i < len; i++) {
            float v = a * dy[o + i] + b * (x[o + i] - mean) + c;
            dx[o + i] = accumulate ? dx[o + i] + v : v;
        }
    }

    /** The lanes of acc added in lane order. */
    private static float lanes(FloatVector acc) {
        float s = 0f;
        for (int l = 0; l < L; l++) s += acc.lane(l);
        return s;
    }
}
