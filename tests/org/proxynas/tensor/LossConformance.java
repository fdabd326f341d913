package org.proxynas.tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Conformance of the fused losses: softmax cross-entropy (with accuracy counting), MSE and BCE. Values are
 * compared with double references; gradients with central finite differences of the loss itself.
 *
 * <p>Tolerances: loss values are accumulated in double from fp32 inputs, so 1e-6 relative covers the
 * reference's own rounding; gradient checks use h = 1e-2 (h = 1e-3 for BCE, whose curvature 1/p^2 is larger)
 * with atol 1e-5..1e-4 and rtol 1e-2 for the O(h^2) truncation error; the losses are O(1) means, so fp32 noise
 * in the difference quotient is below 1e-5.
 */
public abstract class LossConformance extends KernelSuite {
    private static void assertRejectedStartingWith(String argumentPrefix, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage() != null && e.getMessage().startsWith(argumentPrefix),
                "message should name " + argumentPrefix + ": " + e.getMessage());
    }

    private Tensor labels(int n, int classes, Random rnd) {
        float[] l = new float[n];
        for (int i = 0; i < n; i++) l[i] = rnd.nextInt(classes);
        return backend.fromHost(l, n);
    }

    // ---- softmax cross-entropy -------------------------------------------------------------------------------

    /** Mean over rows of logsumexp(x) - x[label], in double. */
    private static double ceRef(float[] x, float[] labels, int n, int classes) {
        double total = 0;
        for (int r = 0; r < n; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < classes; j++) max = Math.max(max, x[r * classes + j]);
            double s = 0;
            for (int j = 0; j < classes; j++) s += Math.exp(x[r * classes + j] - max);
            total += max + Math.log(s) - x[r * classes + (int) labels[r]];
        }
        return total / n;
    }

    @Test
    void crossEntropyValueAndGradient() {
        Random rnd = new Random(31);
        int n = 7, classes = 10;
        Tensor logits = randn(rnd, n, classes), lab = labels(n, classes, rnd);
        Tensor dlogits = randn(rnd, n, classes);
        float gradScale = 0.5f;
        LossStats stats = k.softmaxCrossEntropy(logits, lab, dlogits, gradScale);
        assertEquals(ceRef(logits.toHost(), lab.toHost(), n, classes), stats.loss(), 1e-6);
        assertEquals(n, stats.count());
        // dlogits is gradScale times the gradient of the mean loss.
        GradCheck.check("softmaxCrossEntropy", logits, dlogits.toHost(),
                () -> gradScale * k.softmaxCrossEntropy(logits, lab, null, 1f).loss(),
                1e-2, 1e-5, 1e-2, n * classes, rnd);
        // Each row of the gradient sums to zero (softmax minus one-hot).
        float[] d = dlogits.toHost();
        for (int r = 0; r < n; r++) {
            double s = 0;
            for (int j = 0; j < classes; j++) s += d[r * classes + j];
            assertEquals(0, s, 1e-7, "row " + r + " of dlogits");
        }
    }

    @Test
    void crossEntropyCountsCorrectRowsFirstMaximumWins() {
        float[] x = {
                3, 1, 0,     // arg-max 0, label 0: correct
                0, 5, 1,     // arg-max 1, label 2: wrong
                2, 2, 1,     // tie between 0 and 1, first wins: label 0 correct
                4, 4, 0,     // tie, label 1: wrong (the first maximum is 0)
                -1, -3, 7};  // arg-max 2, label 2: correct
        float[] l = {0, 2, 0, 1, 2};
        Tensor logits = backend.fromHost(x, 5, 3), lab = backend.fromHost(l, 5);
        LossStats stats = k.softmaxCrossEntropy(logits, lab, null, 1f);
        assertEquals(3, stats.correct());
        assertEquals(5, stats.count());
        assertEquals(0.6, stats.accuracy(), 1e-12);
        assertEquals(ceRef(x, l, 5, 3), stats.loss(), 1e-6);
    }

    @Test
    void crossEntropyIsStableForLargeLogitsAndSplitsOverThreads() {
        Random rnd = new Random(32);
        int n = 1000, classes = 10; // several row blocks
        Tensor logits = randn(rnd, n, classes), lab = labels(n, classes, rnd);
        float[] x = logits.toHost();
        for (int i = 0; i < classes; i++) x[i] = 1000f + i; // exp(1000) overflows without the max shift
        logits.fromHost(x);
        Tensor d = backend.allocate(n, classes);
        LossStats a = k.softmaxCrossEntropy(logits, lab, d, 1f);
        assertTrue(Double.isFinite(a.loss()), "loss must be finite, got " + a.loss());
        assertEquals(ceRef(x, lab.toHost(), n, classes), a.loss(), 1e-6 * Math.abs(a.loss()));
        for (float v : d.toHost()) assertTrue(Float.isFinite(v));
        LossStats b = k.softmaxCrossEntropy(logits, lab, null, 1f);
        assertEquals(Double.doubleToLongBits(a.loss()), Double.doubleToLongBits(b.loss()), "loss must be deterministic");
        int correct = 0;
        float[] l = lab.toHost();
        for (int r = 0; r < n; r++) {
            int arg = 0;
            for (int j = 1; j < classes; j++) if (x[r * classes + j] > x[r * classes + arg]) arg = j;
            if (arg == (int) l[r]) correct++;
        }
        assertEquals(correct, a.correct());
    }

    @Test
    void crossEntropyRejectsBadLabelsNamingTheRow() {
        Tensor logits = backend.allocate(3, 4);
        Tensor d = backend.fromHost(new float[12], 3, 4);
        for (float bad : new float[]{2.5f, -1f, 4f, Float.NaN}) {
            Tensor lab = backend.fromHost(new float[]{0, bad, 3}, 3);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> k.softmaxCrossEntropy(logits, lab, d, 1f));
            assertTrue(e.getMessage().startsWith("labels[1] "), "message should name labels[1]: " + e.getMessage());
        }
        assertRejectedStartingWith("labels ", () -> k.softmaxCrossEntropy(logits, backend.allocate(4), null, 1f));
        assertRejectedStartingWith("dlogits ", () -> k.softmaxCrossEntropy(logits, backend.allocate(3), backend.allocate(4, 3), 1f));
        assertRejectedStartingWith("logits ", () -> k.softmaxCrossEntropy(backend.allocate(6), backend.allocate(6), null, 1f));
    }

    @Test
    void rejectedLossesWriteNothing() {
        Tensor dl = backend.fromHost(new float[]{1, 2, 3, 4, 5, 6}, 2, 3);
        assertRejectedStartingWith("labels[1] ", () -> k.softmaxCrossEntropy(backend.allocate(2, 3), backend.fromHost(new float[]{0f, 3f}, 2), dl, 1f));
        assertArrayEquals(new float[]{1, 2, 3, 4, 5, 6}, dl.toHost(), "dlogits written before the labels were validated");
        Tensor p = backend.fromHost(new float[]{0.5f, 1.5f}, 2), q = backend.fromHost(new float[]{7f, 8f}, 2);
        assertRejectedStartingWith("prob[1] ", () -> k.bceLoss(p, q, q, 1f));
        assertArrayEquals(new float[]{7f, 8f}, q.toHost(), "dprob written before the probabilities were validated");
    }

    // ---- MSE -----------------------------------------------------------------------------------------------

    @Test
    void mseValueAndGradient() {
        Random rnd = new Random(33);
        Tensor pred = randn(rnd, 6, 5), target = randn(rnd, 6, 5), dpred = backend.allocate(6, 5);
        float[] p = pred.toHost(), t = target.toHost();
        double ref = 0;
        for (int i = 0; i < p.length; i++) ref += ((double) p[i] - t[i]) * ((double) p[i] - t[i]);
        ref /= p.length;
        float gradScale = 2f;
        assertEquals(ref, k.mseLoss(pred, target, dpred, gradScale), 1e-6 * ref);
        GradCheck.check("mse", pred, dpred.toHost(), () -> gradScale * k.mseLoss(pred, target, null, 1f),
                1e-2, 1e-5, 1e-2, p.length, rnd);
        // Large input: several blocks, same value twice.
        Tensor big = randn(rnd, 50_000), zero = backend.allocate(50_000);
        double s = k.mseLoss(big, zero, null, 1f);
        assertEquals(k.sumSquares(big) / 50_000, s, 1e-9 * s);
        assertEquals(Double.doubleToLongBits(s), Double.doubleToLongBits(k.mseLoss(big, zero, null, 1f)));
        assertRejectedStartingWith("target ", () -> k.mseLoss(pred, backend.allocate(5, 6), null, 1f));
    }

    // ---- BCE -----------------------------------------------------------------------------------------------

    @Test
    void bceValueAndGradient() {
        Random rnd = new Random(34);
        Tensor prob = GradCheck.uniform(backend, rnd, 0.05f, 0.95f, 4, 17);
        Tensor target = GradCheck.uniform(backend, rnd, 0f, 1f, 4, 17); // soft targets are allowed
        float[] p = prob.toHost(), t = target.toHost();
        double ref = 0;
        for (int i = 0; i < p.length; i++) ref -= t[i] * Math.log(p[i]) + (1 - t[i]) * Math.log(1 - (double) p[i]);
        ref /= p.length;
        Tensor dprob = backend.allocate(4, 17);
        float gradScale = 0.8f;
        assertEquals(ref, k.bceLoss(prob, target, dprob, gradScale), 1e-6 * ref);
        GradCheck.check("bce", prob, dprob.toHost(), () -> gradScale * k.bceLoss(prob, target, null, 1f),
                1e-3, 1e-4, 1e-2, p.length, rnd);
    }

    @Test
    void bceClampsLogsAndGradientLikePyTorch() {
        // p = 0 with t = 1 and p = 1 with t = 0: each log is clamped at -100, so each element costs 100.
        // p = 0.5 with t = 0.5: -(0.5 ln 0.5 + 0.5 ln 0.5) = ln 2.
        Tensor prob = backend.fromHost(new float[]{0f, 1f, 0.5f, 1f}, 4);
        Tensor target = backend.fromHost(new float[]{1f, 0f, 0.5f, 1f}, 4);
        Tensor dprob = backend.allocate(4);
        double loss = k.bceLoss(prob, target, dprob, 1f);
        assertEquals((100 + 100 + Math.log(2) + 0) / 4, loss, 1e-9);
        // dprob = (p - t) / max(p (1 - p), 1e-12) / n (PyTorch's EPSILON): -1e12/4, +1e12/4, 0, 0.
        float[] d = dprob.toHost();
        assertEquals(-0.25e12, d[0], 0.25e12 * 1e-6);
        assertEquals(0.25e12, d[1], 0.25e12 * 1e-6);
        assertEquals(0f, d[2]);
        assertEquals(0f, d[3]);
        assertRejectedStartingWith("prob", () -> k.bceLoss(backend.fromHost(new float[]{1.5f}, 1), backend.allocate(1), null, 1f));
        assertRejectedStartingWith("prob", () -> k.bceLoss(backend.fromHost(new float[]{Float.NaN}, 1), backend.allocate(1), null, 1f));
        assertRejectedStartingWith("dprob ", () -> k.bceLoss(prob, target, backend.allocate(5), 1f));
    }
}
