package org.proxynas.data;

import org.proxynas.rng.Rng;

/**
 * A procedural image set, deterministic from a seed, that a small network learns in a few epochs: class k of K is
 * a grating (stripes) at orientation pi*k/K with a random phase, a random period of 6..10 pixels, a random contrast
 * (0.15..0.4) and a jitter of +-0.4*pi/K in orientation (neighbouring classes nearly touch), tinted per class across
 * channels (channel c has gain 0.7 + 0.3*cos(2*pi*(k/K + c/C))), plus one soft random blob of random sign and
 * Gaussian pixel noise (sigma 0.1), clipped to [0, 1] and stored as bytes. Labels cycle through the classes
 * (image i has label i mod K), so every prefix is balanced. Image i of a split depends only on (seed, split, i):
 * growing the set keeps its first images.
 * Normalisation: computed from the train set ({@link Normalization#compute}).
 */
public final class SyntheticData {
    private SyntheticData() {}

    public static Dataset generate(SyntheticSpec spec) {
        ImageSet train = generate("synthetic-train", spec, spec.train(), 1);
        ImageSet test = generate("synthetic-test", spec, spec.test(), 2);
        return new Dataset("synthetic", train, test, Normalization.compute(train));
    }

    /** n images of the given split (1 train, 2 test; any other value is another independent split). */
    public static ImageSet generate(String name, SyntheticSpec spec, int n, int split) {
        int c = spec.channels(), h = spec.height(), w = spec.width(), k = spec.classes();
        int size = c * h * w;
        byte[] pixels = new byte[Math.multiplyExact(n, size)];
        int[] labels = new int[n];
        float[] gray = new float[h * w];
        double[] sinX = new double[w], cosX = new double[w], blobX = new double[w];
        for (int i = 0; i < n; i++) {
            int label = i % k;
            labels[i] = label;
            Rng rng = new Rng(spec.seed() * 0x9E3779B97F4A7C15L + split * 0xC2B2AE3D27D4EB4FL + i);
            double theta = Math.PI * label / k + (rng.nextDouble() - 0.5) * 0.8 * Math.PI / k;
            double period = 6 + 4 * rng.nextDouble();
            double phase = 2 * Math.PI * rng.nextDouble();
            double contrast = 0.15 + 0.25 * rng.nextDouble();
            double base = 0.4 + 0.2 * rng.nextDouble();
            double bx = w * rng.nextDouble(), by = h * rng.nextDouble();
            double br = Math.max(1.5, Math.min(h, w) * (0.08 + 0.1 * rng.nextDouble()));
            double bAmp = (rng.nextDouble() - 0.5) * 0.6;
            double fx = 2 * Math.PI * Math.cos(theta) / period, fy = 2 * Math.PI * Math.sin(theta) / period;
            // separable evaluation: sin(a + b) = sin a cos b + cos a sin b, exp(-(dx^2 + dy^2)) = exp(-dx^2) exp(-dy^2)
            for (int x = 0; x < w; x++) {
                sinX[x] = Math.sin(fx * x + phase);
                cosX[x] = Math.cos(fx * x + phase);
                blobX[x] = Math.exp(-(x - bx) * (x - bx) / (2 * br * br));
            }
            for (int y = 0; y < h; y++) {
                double sy = Math.sin(fy * y), cy = Math.cos(fy * y), blobY = bAmp * Math.exp(-(y - by) * (y - by) / (2 * br * br));
                for (int x = 0; x < w; x++) {
                    gray[y * w + x] = (float) (contrast * (sinX[x] * cy + cosX[x] * sy) + blobY * blobX[x]);
                }
            }
            for (int ch = 0; ch < c; ch++) {
                double gain = 0.7 + 0.3 * Math.cos(2 * Math.PI * ((double) label / k + (double) ch / c));
                int off = i * size + ch * h * w;
                for (int p = 0; p < h * w; p++) {
                    double v = base + gain * gray[p] + 0.1 * rng.nextGaussian();
                    pixels[off + p] = (byte) Math.round(255 * Math.min(1, Math.max(0, v)));
                }
            }
        }
        return new ImageSet(name, pixels, labels, c, h, w, k);
    }
}
