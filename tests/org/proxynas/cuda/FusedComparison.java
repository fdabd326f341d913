package org.proxynas.cuda;

import org.proxynas.cpu.CpuBackend;
import org.proxynas.tensor.ConvGeom;
import org.proxynas.tensor.Kernels;
import org.proxynas.tensor.Tensor;

import java.util.Arrays;
import java.util.Random;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The harness of the fused-kernel checks ({@link CudaFusedChecks}, {@link CudaFusedFallbackChecks}): one call on
 * both backends over the same N(0, 1) inputs, every tensor compared afterwards (inputs too, so a kernel that writes
 * where it must not is caught), at the tolerances {@link CudaFusedChecks} states and justifies.
 */
record FusedComparison(CudaBackend cuda, CpuBackend cpu) {
    /** One compared tensor: its shape (null: the kernel receives null) and tolerance. */
    record Arg(int[] shape, double rtol, double atol) {
        static Arg of(double rtol, double atol, int... shape) { return new Arg(shape, rtol, atol); }
        static Arg none() { return new Arg(null, 0, 0); }
    }

    /** Runs op on both backends (the CPU first) over N(0, 1) tensors of the args' shapes and compares every tensor. */
    void compare(String what, Arg[] args, BiConsumer<Kernels, Tensor[]> op) {
        Random rnd = new Random(what.hashCode());
        Tensor[] c = new Tensor[args.length], r = new Tensor[args.length];
        for (int i = 0; i < args.length; i++) {
            if (args[i].shape() == null) continue;
            float[] data = new float[(int) Tensor.elementCount(args[i].shape())];
            for (int j = 0; j < data.length; j++) data[j] = (float) rnd.nextGaussian();
            c[i] = cuda.fromHost(data, args[i].shape());
            r[i] = cpu.fromHost(data, args[i].shape());
        }
        op.accept(cpu.kernels(), r);
        op.accept(cuda.kernels(), c);
        for (int i = 0; i < args.length; i++) {
            if (args[i].shape() == null) continue;
            float[] expected = r[i].toHost(), actual = c[i].toHost();
            for (int j = 0; j < expected.length; j++) {
                float e = expected[j], a = actual[j];
                if (!(Math.abs((double) a - e) <= args[i].atol() + args[i].rtol() * Math.abs(e))) {
                    fail(what + " tensor " + i + " " + Arrays.toString(args[i].shape()) + " element " + j + ": cpu "
                            + e + ", cuda " + a);
                }
            }
        }
    }

    private static String describe(int[] s, ConvGeom g) { return Arrays.toString(s) + " " + g; }

    /**
     * reluDwPwForward on shape s = {N, C, H, W, Cout}: y, the saved statistics and (running) the running statistics,
     * which start from random means and a variance of 1.5 (the CUDA side's one extra launch before the call, fill_f32).
     */
    void reluDwPwForward(int[] s, ConvGeom g, boolean running) {
        int n = s[0], c = s[1], h = s[2], w = s[3], cout = s[4], k = g.kernel();
        double inputs = 0;  // inputs are compared exactly: the kernel must not write them
        Arg stat = Arg.of(1e-5, 1e-5, cout);
        Arg[] args = {Arg.of(0, inputs, n, c, h, w), Arg.of(0, inputs, c, 1, k, k), Arg.of(0, inputs, cout, c, 1, 1),
                Arg.of(1e-5, 2e-5, n, cout, g.outSize(h), g.outSize(w)), running ? stat : Arg.none(),
                running ? stat : Arg.none(), stat, stat};
        compare("reluDwPwForward " + describe(s, g) + " running=" + running, args, (kk, t) -> {
            if (t[5] != null) kk.fill(t[5], 1.5f);  // a running variance must not be negative
            kk.reluDwPwForward(t[0], t[1], t[2], g, t[3], t[4], t[5], 0.1f, 1e-5f, t[6], t[7]);
        });
    }

    /** reluDwPwBackward on shape s = {N, C, H, W, Cout}: dx and the parameter gradients, which start random. */
    void reluDwPwBackward(int[] s, ConvGeom g, boolean accumulate) {
        int n = s[0], c = s[1], h = s[2], w = s[3], cout = s[4], k = g.kernel();
        Arg[] args = {Arg.of(0, 0, n, cout, g.outSize(h), g.outSize(w)), Arg.of(0, 0, n, c, h, w),
                Arg.of(0, 0, c, 1, k, k), Arg.of(0, 0, cout, c, 1, 1), Arg.of(1e-5, 2e-5, n, c, h, w),
                Arg.of(1e-5, 1e-4, c, 1, k, k), Arg.of(1e-5, 1e-4, cout, c, 1, 1)};
        compare("reluDwPwBackward " + describe(s, g) + " acc=" + accumulate, args,
                (kk, t) -> kk.reluDwPwBackward(t[0], t[1], t[2], t[3], g, t[4], t[5], t[6], accumulate));
    }
}
