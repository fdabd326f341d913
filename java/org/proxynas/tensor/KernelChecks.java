package org.proxynas.tensor;

import java.util.Arrays;

/** Argument checks of the channel-copy and optimiser kernels, shared by every backend. */
public final class KernelChecks {
    private KernelChecks() {}

    /** Arguments of {@link Kernels#copyChannels}. */
    public static void copyChannels(Tensor src, int srcChannel, Tensor dst, int dstChannel, int channels) {
        Checks.notNull("src", src);
        Checks.notNull("dst", dst);
        if (dst.n() != src.n() || dst.h() != src.h() || dst.w() != src.w()) {
            throw new IllegalArgumentException("dst must share N, H, W with src " + Arrays.toString(src.shape())
                    + ", got " + Arrays.toString(dst.shape()));
        }
        Checks.positive("channels", channels);
        if (srcChannel < 0 || srcChannel + channels > src.c()) {
            throw new IllegalArgumentException("srcChannel " + srcChannel + " + channels " + channels
                    + " must lie in src's " + src.c() + " channels");
        }
        if (dstChannel < 0 || dstChannel + channels > dst.c()) {
            throw new IllegalArgumentException("dstChannel " + dstChannel + " + channels " + channels
                    + " must lie in dst's " + dst.c() + " channels");
        }
    }

    /** Arguments of {@link Kernels#sgdStep}. */
    public static void sgdStep(Tensor param, Tensor grad, Tensor momentumBuf, float lr, float momentum, float weightDecay) {
        Checks.notNull("param", param);
        Checks.sameShape("grad", grad, "param", param);
        Checks.sameShape("momentumBuf", momentumBuf, "param", param);
        Checks.nonNegative("lr", lr);
        Checks.nonNegative("momentum", momentum);
        Checks.nonNegative("weightDecay", weightDecay);
    }

    /** Arguments of {@link Kernels#adamStep}. */
    public static void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps,
                                float weightDecay, int step) {
        Checks.notNull("param", param);
        Checks.sameShape("grad", grad, "param", param);
        Checks.sameShape("m", m, "param", param);
        Checks.sameShape("v", v, "param", param);
        Checks.nonNegative("lr", lr);
        beta("beta1", beta1);
        beta("beta2", beta2);
        Checks.positive("eps", eps);
        Checks.nonNegative("weightDecay", weightDecay);
        if (step < 1) throw new IllegalArgumentException("step must be >= 1 (steps count from 1), got " + step);
    }

    private static void beta(String name, float beta) {
        if (!(beta >= 0f && beta < 1f)) throw new IllegalArgumentException(name + " must be in [0, 1), got " + beta);
    }
}
