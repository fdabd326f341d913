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

    /** Arguments of {@link Kernels#clipGradNorm}: at least one gradient, all on one backend, maxNorm > 0 (may be infinite). */
    public static void clipGradNorm(java.util.List<Tensor> grads, double maxNorm) {
        if (grads == null || grads.isEmpty()) throw new IllegalArgumentException("grads must hold at least one tensor (clipGradNorm)");
        for (int i = 0; i < grads.size(); i++) {
            Checks.notNull("grads[" + i + "]", grads.get(i));
            if (grads.get(i).backend() != grads.get(0).backend()) {
                throw new IllegalArgumentException("grads[" + i + "] is on backend " + grads.get(i).backend().name()
                        + ", grads[0] on " + grads.get(0).backend().name() + "; all must be on one");
            }
        }
        if (!(maxNorm > 0)) throw new IllegalArgumentException("maxNorm must be > 0 (clipGradNorm), got " + maxNorm);
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
