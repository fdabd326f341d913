package org.proxynas.tensor;

/**
 * The kernel interface: every numeric operation ProxyNAS performs on tensors. It is the whole contract a backend
 * must meet (docs/architecture.md#kernels) and the porting surface to other accelerators.
 *
 * <p>Conventions, shared by every method:
 * <ul>
 *   <li>Images are NCHW, rows are [N, F]; a [N, F] tensor may stand where NCHW is expected (H = W = 1).</li>
 *   <li>Kernels write into output tensors the caller allocated; shapes are checked and a mismatch is an
 *       {@link IllegalArgumentException} naming the argument. The checks are shared by every backend: one method per
 *       kernel, named after it, in the family's class of this package ({@link ConvChecks}, {@link NormChecks},
 *       {@link ElementwiseChecks}, {@link PoolChecks}, {@link DenseChecks}, {@link LossChecks}, {@link OptimChecks},
 *       {@link AugmentPlan#check}, {@link FusedChecks}).</li>
 *   <li>{@code accumulate = false} overwrites the output; {@code true} adds to it. Parameter-gradient outputs
 *       ({@code dw}, {@code db}, {@code dgamma}, {@code dbeta}) always accumulate, so a step zeroes them first.</li>
 *   <li>Scalars such as learning rates are host values; results read back to the host ({@code dot},
 *       {@code sumSquares}, losses) are explicit synchronisation points.</li>
 * </ul>
 *
 * <p>The methods come in nine families, one interface each, whose Javadoc is the contract; a backend implements each
 * family in a class of its own and assembles them with {@link KernelFamilies}.
 */
public interface Kernels extends ConvKernels, NormKernels, ElementwiseKernels, PoolKernels, DenseKernels, LossKernels,
        OptimKernels, AugmentKernels, FusedKernels {
}
