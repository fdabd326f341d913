package org.proxynas.rng;

/**
 * The project's random number generator: xoshiro256** seeded through SplitMix64. Its whole state is four longs,
 * so a checkpoint can save and restore it exactly (bit-identical resume), and it is the same on every JVM.
 * Not thread-safe: give each consumer its own stream via {@link #split}.
 */
public final class Rng {
    private long s0, s1, s2, s3;
    private double spareGaussian;
    private boolean hasSpare;

    public Rng(long seed) {
        long x = seed;
        s0 = splitMix(x += 0x9E3779B97F4A7C15L);
        s1 = splitMix(x += 0x9E3779B97F4A7C15L);
        s2 = splitMix(x += 0x9E3779B97F4A7C15L);
        s3 = splitMix(x + 0x9E3779B97F4A7C15L);
    }

    private static long splitMix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() { return (nextLong() >>> 11) * 0x1.0p-53; }

    /** Uniform in [0, 1) with 24 random bits. */
    public float nextFloat() { return (nextLong() >>> 40) * 0x1.0p-24f; }

    /** Uniform in [0, bound), unbiased. */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be > 0, got " + bound);
        long r = nextLong() >>> 33; // 31 bits
        long m = r * bound;
        int l = (int) (m & 0x7FFFFFFFL);
        if (l < bound) {
            long threshold = (0x80000000L - bound) % bound;
            while (l < threshold) {
                r = nextLong() >>> 33;
                m = r * bound;
                l = (int) (m & 0x7FFFFFFFL);
            }
        }
        return (int) (m >>> 31);
    }

    public boolean nextBoolean() { return nextLong() < 0; }

    /** Standard normal (Marsaglia polar method). */
    public double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spareGaussian;
        }
        double u, v, s;
        do {
            u = 2 * nextDouble() - 1;
            v = 2 * nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double f = Math.sqrt(-2 * Math.log(s) / s);
        spareGaussian = v * f;
        hasSpare = true;
        return u * f;
    }

    /** Standard Gumbel: -log(-log U), U uniform in (0, 1). */
    public double nextGumbel() {
        double u;
        do { u = nextDouble(); } while (u == 0);
        return -Math.log(-Math.log(u));
    }

    /** Fisher-Yates shuffle in place. */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i]; a[i] = a[j]; a[j] = t;
        }
    }

    /** An independent stream derived from this one (advances this generator once). */
    public Rng split() { return new Rng(nextLong()); }

    /** The full state, for checkpoints. */
    public long[] state() {
        return new long[] {s0, s1, s2, s3, hasSpare ? 1 : 0, Double.doubleToRawLongBits(spareGaussian)};
    }

    /** Overwrites this generator's state with one from {@link #state()} (consumers holding it continue from there). */
    public void setState(long[] state) {
        Rng r = fromState(state);
        s0 = r.s0; s1 = r.s1; s2 = r.s2; s3 = r.s3;
        hasSpare = r.hasSpare;
        spareGaussian = r.spareGaussian;
    }

    /** Restores a state from {@link #state()}. */
    public static Rng fromState(long[] state) {
        if (state == null || state.length != 6) throw new IllegalArgumentException("Rng state must have 6 longs");
        Rng r = new Rng(0);
        r.s0 = state[0]; r.s1 = state[1]; r.s2 = state[2]; r.s3 = state[3];
        r.hasSpare = state[4] != 0;
        r.spareGaussian = Double.longBitsToDouble(state[5]);
        return r;
    }
}
