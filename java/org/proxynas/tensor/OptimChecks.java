package org.proxynas.tensor;

/** Argument checks of the optimiser kernels ({@link Kernels#sgdStep}, {@link Kernels#adamStep}), shared by every backend. */
public final class OptimChecks {
    private OptimChecks() {}

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
        adamHyperparameters(beta1, beta2, eps, weightDecay);
        if (step < 1) throw new IllegalArgumentException("step must be >= 1 (steps count from 1), got " + step);
    }

    /** Adam's constant hyperparameters, as {@link #adamStep} accepts them (an optimiser checks them once, up front). */
    public static void adamHyperparameters(float beta1, float beta2, float eps, float weightDecay) {
        beta("beta1", beta1);
        beta("beta2", beta2);
        Checks.positive("eps", eps);
        Checks.nonNegative("weightDecay", weightDecay);
    }

    private static void beta(String name, float beta) {
        if (!(beta >= 0f && beta < 1f)) throw new IllegalArgumentException(name + " must be in [0, 1), got " + beta);
    }
}
