package org.proxynas.tensor;

/**
 * Result of a fused loss kernel, read back to the host.
 *
 * @param loss    mean loss over the batch
 * @param correct how many rows had their label as the arg-max (accuracy numerator); 0 where it does not apply
 * @param count   how many rows were scored
 */
public record LossStats(double loss, int correct, int count) {
    public double accuracy() { return count == 0 ? 0 : (double) correct / count; }
}
