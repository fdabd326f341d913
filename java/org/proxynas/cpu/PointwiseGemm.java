package org.proxynas.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The GEMMs of the pointwise (1x1) convolution on the JDK Vector API ({@code jdk.incubator.vector}, which needs
 * {@code --add-modules jdk.incubator.vector} at compile and run time).
 *
 * <p><b>Why not plain loops.</b> C2 vectorises only simple loops (see {@link ConvRows}): every accumulator then
 * lives in an array, so each multiply-add costs a load and a store of it besides its operands, and loop bodies
 * large enough to reuse operands across outputs are not unrolled and run scalar. Here the accumulators are held
 * in registers over a whole reduction (16 vectors per block), which measured about 8x faster per multiply-add
 * than the best staged-row kernel for the weight gradient on the AVX-512 Xeon of benchmarks/RESULTS.md.
 *
 * <p><b>Results do not depend on blocking.</b> Every output of {@link #gemm} is one chain of multiply-adds in
 * reduction order (each product and sum rounded, as in scalar Java), whether it falls in a vector block, a
 * single vector or the scalar tail. Every sum of {@link #weightGradient} is formed the same way in any
 * block: one fma chain per lane over the full vectors, the lanes added in lane order, then the tail in order.
 * So results are bit-identical for every thread count and for interpreted and compiled code.
 */
final class PointwiseGemm {
    private PointwiseGemm() {}

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int L = SPECIES.length();

    /** The number of float lanes of a vector: the size of the scratch {@link #weightGradient} needs. */
    static int lanes() { return L; }

    /**
     * out[o][p] (+)= sum_r coef[c0 + co*o + cr*r] * in[r][p] for o &lt; outCount, p &lt; len, the sum over
     * r &lt; count in order, starting from out's value with accumulate and from 0 otherwise. Row r of in starts
     * at inOff + r*inStride, row o of out at outOff + o*outStride.
     */
    static void gemm(float[] coef, int c0, int co, int cr, float[] in, int inOff, int inStride, int count,
                     float[] out, int outOff, int outStride, int outCount, int len, boolean accumulate) {
        int o = 0;
        for (; o + 4 <= outCount; o += 4) {
            int p = 0;
            for (; p + 4 * L <= len; p += 4 * L) {
                block4x4(coef, c0 + co * o, co, cr, in, inOff + p, inStride, count, out, outOff + o * outStride + p,
                        outStride, accumulate);
            }
            for (int b = 0; b < 4; b++) {
                row(coef, c0 + co * (o + b), cr, in, inOff, inStride, count, out, outOff + (o + b) * outStride, p, len, accumulate);
            }
        }
        for (; o < outCount; o++) row(coef, c0 + co * o, cr, in, inOff, inStride, count, out, outOff + o * outStride, 0, len, accumulate);
    }

    /** Four outputs by four vectors of pixels: 16 accumulators, each input vector loaded once for four outputs. */
    private static void block4x4(float[] coef, int c, int co, int cr, float[] in, int inOff, int inStride, int count,
                                 float[] out, int ob, int outStride, boolean accumulate) {
        int o1 = ob + outStride, o2 = o1 + outStride, o3 = o2 + outStride;
        FloatVector a00 = init(out, ob, accumulate), a01 = init(out, ob + L, accumulate),
                a02 = init(out, ob + 2 * L, accumulate), a03 = init(out, ob + 3 * L, accumulate);
        FloatVector a10 = init(out, o1, accumulate), a11 = init(out, o1 + L, accumulate),
                a12 = init(out, o1 + 2 * L, accumulate), a13 = init(out, o1 + 3 * L, accumulate);
        FloatVector a20 = init(out, o2, accumulate), a21 = init(out, o2 + L, accumulate),
                a22 = init(out, o2 + 2 * L, accumulate), a23 = init(out, o2 + 3 * L, accumulate);
        FloatVector a30 = init(out, o3, accumulate), a31 = init(out, o3 + L, accumulate),
                a32 = init(out, o3 + 2 * L, accumulate), a33 = init(out, o3 + 3 * L, accumulate);
        for (int r = 0; r < count; r++) {
            int i = inOff + r * inStride, w = c + cr * r;
            FloatVector x0 = FloatVector.fromArray(SPECIES, in, i), x1 = FloatVector.fromArray(SPECIES, in, i + L),
                    x2 = FloatVector.fromArray(SPECIES, in, i + 2 * L), x3 = FloatVector.fromArray(SPECIES, in, i + 3 * L);
            FloatVector b = FloatVector.broadcast(SPECIES, coef[w]);
            a00 = madd(x0, b, a00); a01 = madd(x1, b, a01); a02 = madd(x2, b, a02); a03 = madd(x3, b, a03);
            b = FloatVector.broadcast(SPECIES, coef[w + co]);
            a10 = madd(x0, b, a10); a11 = madd(x1, b, a11); a12 = madd(x2, b, a12); a13 = madd(x3, b, a13);
            b = FloatVector.broadcast(SPECIES, coef[w + 2 * co]);
            a20 = madd(x0, b, a20); a21 = madd(x1, b, a21); a22 = madd(x2, b, a22); a23 = madd(x3, b, a23);
            b = FloatVector.broadcast(SPECIES, coef[w + 3 * co]);
            a30 = madd(x0, b, a30); a31 = madd(x1, b, a31); a32 = madd(x2, b, a32); a33 = madd(x3, b, a33);
        }
        a00.intoArray(out, ob); a01.intoArray(out, ob + L); a02.intoArray(out, ob + 2 * L); a03.intoArray(out, ob + 3 * L);
        a10.intoArray(out, o1); a11.intoArray(out, o1 + L); a12.intoArray(out, o1 + 2 * L); a13.intoArray(out, o1 + 3 * L);
        a20.intoArray(out, o2); a21.intoArray(out, o2 + L); a22.intoArray(out, o2 + 2 * L); a23.intoArray(out, o2 + 3 * L);
        a30.intoArray(out, o3); a31.intoArray(out, o3 + L); a32.intoArray(out, o3 + 2 * L); a33.intoArray(out, o3 + 3 * L);
    }

    /**
     * x * w + acc, rounded twice like the scalar tail: not a fused multiply-add. With fma here the rounding of
     * the activations changes enough to move one stem-gradient entry of TorchReferenceTest's evaluation network
     * by 9% (a near-tie, most likely a max-pool winner, decided the other way). {@link #weightGradient}, which feeds no activation, uses fma.
     */
    private static FloatVector madd(FloatVector x, FloatVector w, FloatVector acc) { return x.mul(w).add(acc); }

    private static FloatVector init(float[] out, int at, boolean accumulate) {
        return accumulate ? FloatVector.fromArray(SPECIES, out, at) : FloatVector.zero(SPECIES);
    }

    /** One output row from pixel p0 on: a vector at a time, then the scalar tail. */
    private static void row(float[] coef, int c, int cr, float[] in, int inOff, int inStride, int count,
                            float[] out, int ob, int p0, int len, boolean accumulate) {
        int p = p0;
        for (; p + L <= len; p += L) {
            FloatVector a = init(out, ob + p, accumulate);
            for (int r = 0; r < count; r++) {
                a = madd(FloatVector.fromArray(SPECIES, in, inOff + r * inStride + p), FloatVector.broadcast(SPECIES, coef[c + cr * r]), a);
            }
            a.intoArray(out, ob + p);
        }
        for (; p < len; p++) {
            float a = accumulate ? out[ob + p] : 0f;
            for (int r = 0; r < count; r++) a += in[inOff + r * inStride + p] * coef[c + cr * r];
            out[ob + p] = a;
        }
    }

    /**
     * g[go + co*cin + ci] += sum_p dy[dyOff + co*len + p] * x[xOff + ci*len + p] for co &lt; cout, ci &lt; cin:
     * the weight gradient of one image, rows of len pixels. Blocks of four by four (co, ci) pairs keep 16
     * accumulators; pairs outside the blocks take the same sums one at a time. lanes is scratch of
     * {@link #lanes()} floats.
     */
    static void weightGradient(float[] dy, int dyOff, int cout, float[] x, int xOff, int cin, int len, float[] g, int go,
                               float[] lanes) {
        int co = 0;
        for (; co + 4 <= cout; co += 4) {
            int ci = 0;
            for (; ci + 4 <= cin; ci += 4) block4x4Products(dy, dyOff + co * len, x, xOff + ci * len, len, g, go + co * cin + ci, cin, lanes);
            for (; ci < cin; ci++) {
                for (int b = 0; b < 4; b++) g[go + (co + b) * cin + ci] += product(dy, dyOff + (co + b) * len, x, xOff + ci * len, len, lanes);
            }
        }
        for (; co < cout; co++) {
            for (int ci = 0; ci < cin; ci++) g[go + co * cin + ci] += product(dy, dyOff + co * len, x, xOff + ci * len, len, lanes);
        }
    }

    /** g[go + b*gs + j] += the product of dy row b and x row j, for b, j &lt; 4 (rows len apart). */
    private static void block4x4Products(float[] dy, int d, float[] x, int xo, int len, float[] g, int go, int gs, float[] lanes) {
        FloatVector a00 = FloatVector.zero(SPECIES), a01 = a00, a02 = a00, a03 = a00, a10 = a00, a11 = a00, a12 = a00,
                a13 = a00, a20 = a00, a21 = a00, a22 = a00, a23 = a00, a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        int p = 0;
        for (; p + L <= len; p += L) {
            FloatVector d0 = FloatVector.fromArray(SPECIES, dy, d + p), d1 = FloatVector.fromArray(SPECIES, dy, d + len + p),
                    d2 = FloatVector.fromArray(SPECIES, dy, d + 2 * len + p), d3 = FloatVector.fromArray(SPECIES, dy, d + 3 * len + p);
            FloatVector v = FloatVector.fromArray(SPECIES, x, xo + p);
            a00 = d0.fma(v, a00); a10 = d1.fma(v, a10); a20 = d2.fma(v, a20); a30 = d3.fma(v, a30);
            v = FloatVector.fromArray(SPECIES, x, xo + len + p);
            a01 = d0.fma(v, a01); a11 = d1.fma(v, a11); a21 = d2.fma(v, a21); a31 = d3.fma(v, a31);
            v = FloatVector.fromArray(SPECIES, x, xo + 2 * len + p);
            a02 = d0.fma(v, a02); a12 = d1.fma(v, a12); a22 = d2.fma(v, a22); a32 = d3.fma(v, a32);
            v = FloatVector.fromArray(SPECIES, x, xo + 3 * len + p);
            a03 = d0.fma(v, a03); a13 = d1.fma(v, a13); a23 = d2.fma(v, a23); a33 = d3.fma(v, a33);
        }
        // each accumulator finished by name: an array of vectors would box them
        int d1 = d + len, d2 = d1 + len, d3 = d2 + len, x1 = xo + len, x2 = x1 + len, x3 = x2 + len;
        int g1 = go + gs, g2 = g1 + gs, g3 = g2 + gs;
        g[go] += finish(a00, dy, d, x, xo, p, len, lanes);
        g[go + 1] += finish(a01, dy, d, x, x1, p, len, lanes);
        g[go + 2] += finish(a02, dy, d, x, x2, p, len, lanes);
        g[go + 3] += finish(a03, dy, d, x, x3, p, len, lanes);
        g[g1] += finish(a10, dy, d1, x, xo, p, len, lanes);
        g[g1 + 1] += finish(a11, dy, d1, x, x1, p, len, lanes);
        g[g1 + 2] += finish(a12, dy, d1, x, x2, p, len, lanes);
        g[g1 + 3] += finish(a13, dy, d1, x, x3, p, len, lanes);
        g[g2] += finish(a20, dy, d2, x, xo, p, len, lanes);
        g[g2 + 1] += finish(a21, dy, d2, x, x1, p, len, lanes);
        g[g2 + 2] += finish(a22, dy, d2, x, x2, p, len, lanes);
        g[g2 + 3] += finish(a23, dy, d2, x, x3, p, len, lanes);
        g[g3] += finish(a30, dy, d3, x, xo, p, len, lanes);
        g[g3 + 1] += finish(a31, dy, d3, x, x1, p, len, lanes);
        g[g3 + 2] += finish(a32, dy, d3, x, x2, p, len, lanes);
        g[g3 + 3] += finish(a33, dy, d3, x, x3, p, len, lanes);
    }

    /** sum_p a[ao + p] * b[bo + p] for p &lt; len, as {@link #block4x4Products} forms each of its sums. */
    private static float product(float[] a, int ao, float[] b, int bo, int len, float[] lanes) {
        FloatVector acc = FloatVector.zero(SPECIES);
        int p = 0;
        for (; p + L <= len; p += L) acc = FloatVector.fromArray(SPECIES, a, ao + p).fma(FloatVector.fromArray(SPECIES, b, bo + p), acc);
        return finish(acc, a, ao, b, bo, p, len, lanes);
    }

    /** The lanes of acc added in lane order, then the products of the tail p0 &le; p &lt; len in order. */
    private static float finish(FloatVector acc, float[] a, int ao, float[] b, int bo, int p0, int len, float[] lanes) {
        acc.intoArray(lanes, 0);
        float s = 0f;
        for (int l = 0; l < L; l++) s += lanes[l];
        for (int p = p0; p < len; p++) s = Math.fma(a[ao + p], b[bo + p], s);
        return s;
    }
}
