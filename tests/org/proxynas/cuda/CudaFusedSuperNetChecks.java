package org.proxynas.cuda;

import org.junit.jupiter.api.Test;
import org.proxynas.cpu.CpuBackend;
import org.proxynas.nn.Param;
import org.proxynas.nn.SuperNet;
import org.proxynas.nn.SuperNetConfig;
import org.proxynas.rng.Rng;
import org.proxynas.tensor.Backend;
import org.proxynas.tensor.Tensor;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The wiring of the fused kernels into the supernet, end to end: one mixture-mode training step of a small supernet
 * (every op on every edge, normal and reduction cells) on a CUDA backend, where the sep/dil convs run the fused
 * kernels and the node sums fold their batch norms, against the CPU backend, where the same calls run the unfused
 * chain. Subclasses name the CUDA backend and may shrink the batch and images: the GPU ({@link GpuFusedSuperNetTest}),
 * the emulation ({@link EmulatedFusedSuperNetTest}, smaller: every launch starts its block's threads). Tolerance: the loss 1e-5 relative; every gradient entry within 1e-3 of the largest |entry| of its
 * tensor (the kernels' few-ulp differences pass through a dozen batch norms over batches of 4, whose 1/std
 * amplifies them; a wrong wiring gives differences of order 1).
 */
abstract class CudaFusedSuperNetChecks {
    abstract CudaBackend createCuda();

    /** Images per batch (labels 0, 1, 2, 1, ...). */
    int batch() { return 4; }

    /** Image side: 8 leaves 2x2 maps after the two reduction cells. */
    int imageSize() { return 8; }

    /** The supernet's initial channels C (cells reach 4 C). */
    int channels() { return 2; }

    @Test
    void mixtureStepMatchesTheCpu() {
        try (CudaBackend cuda = createCuda(); CpuBackend cpu = new CpuBackend(1)) {
            Step expected = step(cpu, channels(), batch(), imageSize()), actual = step(cuda, channels(), batch(), imageSize());
            assertEquals(expected.loss, actual.loss, 1e-5 * Math.abs(expected.loss), "loss");
            for (int i = 0; i < expected.grads.size(); i++) {
                float[] e = expected.grads.get(i), a = actual.grads.get(i);
                double scale = 0;
                for (float v : e) scale = Math.max(scale, Math.abs(v));
                for (int j = 0; j < e.length; j++) {
                    assertEquals(e[j], a[j], 1e-3 * scale + 1e-7, expected.names.get(i) + " entry " + j);
                }
            }
        }
    }

    private record Step(double loss, List<String> names, List<float[]> grads) {}

    private static Step step(Backend b, int channels, int batch, int side) {
        SuperNet net = new SuperNet(b, new SuperNetConfig(channels, 3, 3, 3, 3), new Rng(5));
        Rng rng = new Rng(8);
        float[][] normal = new float[14][8], reduce = new float[14][8];
        for (float[][] m : new float[][][]{normal, reduce}) {
            for (float[] row : m) for (int k = 0; k < 8; k++) row[k] = 0.05f + 0.1f * (float) rng.nextDouble();
        }
        net.setMixture(normal, reduce);
        float[] img = new float[batch * 3 * side * side], label = new float[batch];
        for (int i = 0; i < img.length; i++) img[i] = (float) rng.nextGaussian();
        for (int i = 0; i < batch; i++) label[i] = new float[]{0, 1, 2, 1}[i % 4];
        Tensor x = b.fromHost(img, batch, 3, side, side), labels = b.fromHost(label, batch);
        net.train();
        net.zeroGrad();
        Tensor logits = net.forward(x);
        Tensor dlogits = b.allocateLike(logits);
        double loss = b.kernels().softmaxCrossEntropy(logits, labels, dlogits, 1f).loss();
        net.backward(dlogits);
        List<String> names = new java.util.ArrayList<>();
        List<float[]> grads = new java.util.ArrayList<>();
        for (Param p : net.params()) {
            names.add(p.name());
            grads.add(p.grad().toHost());
        }
        for (boolean r : new boolean[]{false, true}) {
            double[][] mg = net.mixtureGrad(r);
            float[] flat = new float[mg.length * mg[0].length];
            for (int e = 0; e < mg.length; e++) for (int k = 0; k < mg[e].length; k++) flat[e * mg[e].length + k] = (float) mg[e][k];
            names.add((r ? "reduce" : "normal") + " mixture gradient");
            grads.add(flat);
        }
        return new Step(loss, names, grads);
    }
}
