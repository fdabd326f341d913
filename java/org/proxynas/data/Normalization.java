package org.proxynas.data;

/**
 * Per-channel normalisation: a pixel p (0..255) becomes (p/255 - mean[c]) / std[c].
 * Arrays are copied on the way in and out.
 */
public record Normalization(float[] mean, float[] std) {
    /** CIFAR-10 statistics used by DARTS and PVLL-NAS. */
    public static final Normalization CIFAR10 =
            new Normalization(new float[] {0.4914f, 0.4822f, 0.4465f}, new float[] {0.2470f, 0.2435f, 0.2616f});
    /** Fashion-MNIST statistics (train set, one channel). */
    public static final Normalization FASHION_MNIST = new Normalization(new float[] {0.2860f}, new float[] {0.3530f});

    public Normalization {
        if (mean == null || std == null || mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("normalisation needs one mean and one std per channel");
        }
        for (int c = 0; c < std.length; c++) {
            if (!(std[c] > 0) || !Float.isFinite(std[c]) || !Float.isFinite(mean[c])) {
                throw new IllegalArgumentException("normalisation of channel " + c + ": mean " + mean[c] + ", std " + std[c]
                        + " (std must be finite and > 0)");
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    public int channels() { return mean.length; }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && java.util.Arrays.equals(mean, n.mean) && java.util.Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() { return 31 * java.util.Arrays.hashCode(mean) + java.util.Arrays.hashCode(std); }

    @Override
    public String toString() {
        return "Normalization[mean=" + java.util.Arrays.toString(mean) + ", std=" + java.util.Arrays.toString(std) + "]";
    }

    @Override public float[] mean() { return mean.clone(); }

    @Override public float[] std() { return std.clone(); }

    /** Per-channel mean and (population) standard deviation of p/255 over every pixel of the set. */
    public static Normalization compute(ImageSet set) {
        int c = set.channels(), plane = set.height() * set.width();
        double[] sum = new double[c], sq = new double[c];
        byte[] px = set.pixels();
        for (int i = 0; i < set.size(); i++) {
            for (int ch = 0; ch < c; ch++) {
                long s = 0, s2 = 0;
                int base = (i * c + ch) * plane;
                for (int k = 0; k < plane; k++) {
                    int v = px[base + k] & 0xFF;
                    s += v;
                    s2 += (long) v * v;
                }
                sum[ch] += s;
                sq[ch] += s2;
            }
        }
        double n = (double) set.size() * plane;
        float[] mean = new float[c], std = new float[c];
        for (int ch = 0; ch < c; ch++) {
            double m = sum[ch] / n;
            double var = Math.max(0, sq[ch] / n - m * m);
            mean[ch] = (float) (m / 255);
            std[ch] = (float) Math.max(Math.sqrt(var) / 255, 1e-3);
        }
        return new Normalization(mean, std);
    }
}
