package org.proxynas.cuda;

import org.junit.jupiter.api.Test;
import org.proxynas.tensor.ConvGeom;
import org.proxynas.tensor.Kernels;
import org.proxynas.tensor.Tensor;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Issue 12 item 4, the fallback: a ReLU-depthwise-pointwise chain whose fused kernel needs more shared memory than
 * the device lets a block have (CudaFused.forwardSharedBytes / backwardSharedBytes against
 * {@link Launcher#maxSharedOptIn()}) runs the unfused chain of the backend's own kernels instead, and still matches
 * the CPU. Every call asserts the path its shape and the device call for, by the kernels it launched: the fused
 * kernel where it fits, else exactly the CPU's chain (relu, depthwise, pointwise, batch norm statistics; backward:
 * the chain's backward in reverse order, intermediates recomputed), and compares every output with the CPU backend.
 *
 * <p>Tolerances: those of {@link CudaFusedChecks} (y and dx 1e-5 relative + 2e-5 absolute; statistics 1e-5 + 1e-5;
 * ddw and dpw 1e-5 + 1e-4), the same for both paths: the fallback runs the unfused CUDA kernels, each within
 * EmulatedConvConformanceTest's and EmulatedNormConformanceTest's 1e-5 relative of its CPU counterpart on the same
 * inputs (a different summation order, fp32 either side; the filter gradients in double then rounded), and the
 * chain composes at most two such roundings into y and dx (depthwise then pointwise, each a sum of at most
 * C = 240 or k*k = 25 terms), within the fused kernel's own budget. Observed under emulation on both simulated
 * devices: y at most 0.67 of its tolerance (240 channels), dx 0.37, the statistics 0.20, ddw 0.19, dpw 0.13.
 * Subclasses name the device.
 */
abstract class CudaFusedFallbackChecks extends CudaAgainstCpu {
    /** The chain CpuFused runs, as this backend's kernels launch it. */
    static final List<String> UNFUSED_FORWARD = List.of("relu_f32", "dwconv_forward_f32", "pwconv_forward_f32",
            "batchnorm_train_forward_f32");
    static final List<String> UNFUSED_BACKWARD = List.of("relu_f32", "dwconv_forward_f32", "pwconv_backward_weight_f32",
            "pwconv_backward_data_f32", "dwconv_backward_filter_f32", "dwconv_backward_data_f32", "relu_backward_f32");

    /** Every kernel launched on {@link #cuda}, in order (the CPU side of a comparison launches nothing). */
    final List<String> launched = new ArrayList<>();

    /**
     * How many of {@link #fallbackAtTheDartsWidths}'s 40 calls the device under test sends down the fallback, when the
     * subclass knows its device (the emulation); empty on a real GPU, where it depends on the device.
     */
    abstract OptionalInt dartsWidthFallbacks();

    /**
     * Whether the device is the emulation's smaller-than-any-GPU one, on which the 240-channel checks would repeat the
     * no-opt-in device's paths exactly (everything falls back on both): skipped there.
     */
    boolean smallerThanAnyGpu() { return false; }

    private void assumeWideCheckAddsCoverage() {
        assumeFalse(smallerThanAnyGpu(), "240 channels take the same paths as on the 48 KiB device (EmulatedFusedFallbackTest)");
    }

    /** A backend over launcher whose kernel launches go to {@link #launched}. */
    CudaBackend recording(Launcher launcher) {
        Launcher proxy = (Launcher) Proxy.newProxyInstance(Launcher.class.getClassLoader(), new Class<?>[]{Launcher.class},
                (self, method, args) -> {
                    if (method.getName().equals("launch")) launched.add((String) args[0]);
                    try {
                        return method.invoke(launcher, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return new CudaBackend(proxy);
    }

    /** Runs the forward then the backward of shape s, asserting each one's path; returns how many fell back. */
    private int check(int[] s, ConvGeom g, boolean running, boolean accumulate) {
        int c = s[1], cout = s[4], fallbacks = 0;
        long limit = cuda.launcher().maxSharedOptIn();
        boolean forwardFits = CudaFused.forwardSharedBytes(c, cout) <= limit;
        launched.clear();
        new FusedComparison(cuda, cpu).reluDwPwForward(s, g, running);
        List<String> expected = new ArrayList<>(running ? List.of("fill_f32") : List.of());  // the running variance
        expected.addAll(forwardFits ? List.of("relu_dw_pw_forward_f32", "bn_statistics_finish_f32") : UNFUSED_FORWARD);
        assertEquals(expected, launched, "reluDwPwForward C = " + c + ", Cout = " + cout + " on a device with "
                + limit + " bytes of shared memory per block: the kernels launched");
        if (!forwardFits) fallbacks++;

        boolean backwardFits = CudaFused.backwardSharedBytes(c, cout) <= limit;
        launched.clear();
        new FusedComparison(cuda, cpu).reluDwPwBackward(s, g, accumulate);
        List<String> fusedBackward = List.of("relu_dw_pw_backward_dz_f32", "partials_add_f32",
                "relu_dw_backward_filter_partial_f32", "partials_add_f32", "relu_dw_backward_data_f32");
        assertEquals(backwardFits ? fusedBackward : UNFUSED_BACKWARD, launched, "reluDwPwBackward C = " + c
                + ", Cout = " + cout + " on a device with " + limit + " bytes of shared memory per block: the kernels launched");
        if (!backwardFits) fallbacks++;
        return fallbacks;
    }

    /**
     * The shapes of the DARTS width (C = 36: 36, 72 and 144 channels, CudaFusedChecks.DARTS_WIDTHS) under each of the
     * four op geometries, forward and backward: 40 calls, batch 1 of 5x5 maps.
     */
    @Test
    void fallbackAtTheDartsWidths() {
        int calls = 0, fallbacks = 0;
        for (int[] ws : CudaFusedChecks.DARTS_WIDTHS) {
            for (ConvGeom g : CudaFusedChecks.GEOMS) {
                if (g.stride() != ws[1]) continue;
                fallbacks += check(new int[]{1, ws[0], 5, 5, ws[0]}, g, calls % 4 == 0, calls % 4 == 2);
                calls += 2;
            }
        }
        assertEquals(40, calls, "5 widths and strides x 4 op geometries, forward and backward");
        int counted = fallbacks;
        dartsWidthFallbacks().ifPresent(n -> assertEquals(n, counted, "calls that fell back at the DARTS widths"));
    }

    /**
     * The fallback inside a CUDA graph capture, as the supernet step runs it: after one eager call (which takes its
     * scratch), a captured forward and backward allocate nothing, and a replay gives the eager results bit for bit
     * (the same kernels in the same order, with fixed-order reductions). 240 channels: the backward falls back on
     * every device, the forward where the device has no opt-in.
     */
    @Test
    void fallbackCapturesIntoAGraph() {
        assumeWideCheckAddsCoverage();
        ConvGeom g = new ConvGeom(3, 1, 1, 1);
        int c = 240;
        Random rnd = new Random(3);
        Tensor x = random(rnd, 1, c, 5, 5), dw = random(rnd, c, 1, 3, 3), pw = random(rnd, c, c, 1, 1),
                dy = random(rnd, 1, c, 5, 5), y = cuda.allocate(1, c, 5, 5), mean = cuda.allocate(c),
                invStd = cuda.allocate(c), dx = cuda.allocate(1, c, 5, 5), ddw = cuda.allocate(c, 1, 3, 3),
                dpw = cuda.allocate(c, c, 1, 1);
        Kernels k = cuda.kernels();
        Runnable step = () -> {
            k.reluDwPwForward(x, dw, pw, g, y, null, null, 0.1f, 1e-5f, mean, invStd);
            k.fill(ddw, 0f);  // the parameter gradients accumulate
            k.fill(dpw, 0f);
            k.reluDwPwBackward(dy, x, dw, pw, g, dx, ddw, dpw, false);
        };
        step.run();
        Tensor[] outputs = {y, mean, invStd, dx, ddw, dpw};
        List<float[]> eager = new ArrayList<>();
        for (Tensor t : outputs) {
            eager.add(t.toHost());
            k.fill(t, Float.NaN);  // the replay must write every element again
        }
        launched.clear();
        try (Launcher.Graph graph = cuda.capture(step)) {
            assertTrue(launched.containsAll(UNFUSED_BACKWARD), "the captured backward falls back: " + launched);
            graph.replay();
        }
        for (int i = 0; i < outputs.length; i++) {
            assertArrayEquals(eager.get(i), outputs[i].toHost(),
                    "output " + i + " of the replayed fallback against the eager call");
        }
    }

    private Tensor random(Random rnd, int... shape) {
        float[] v = new float[(int) Tensor.elementCount(shape)];
        for (int i = 0; i < v.length; i++) v[i] = (float) rnd.nextGaussian();
        return cuda.fromHost(v, shape);
    }

    /**
     * A cell wider than any device's opt-in: 240 channels, whose fused backward needs 292,800 bytes (an H100 lets a
     * block opt in to 232,448), so it falls back on every device (the forward, 69,120 bytes, only on one without the
     * opt-in); the call was refused before the fallback. Several tiles and images: 2 images of 9x7, Cout = 236.
     */
    @Test
    void fallbackBeyondEveryDevicesSharedMemory() {
        assumeWideCheckAddsCoverage();
        int[] wide = {2, 240, 9, 7, 236};
        check(wide, new ConvGeom(3, 1, 1, 1), true, false);
        check(wide, new ConvGeom(5, 2, 4, 2), false, true);
    }
}
