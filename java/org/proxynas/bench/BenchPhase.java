package org.proxynas.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What one timed step does: a training step (forward, cross-entropy, backward, SGD) at the training batch; an
 * eval-mode forward pass (a validation pass) at the evaluation batch; or first-order DARTS's alpha step at the
 * training batch (forward, cross-entropy, a backward that computes no weight gradient, dL/dalpha; mixture mode only,
 * and ProxyNAS's own: the PyTorch peer has no such phase).
 */
public enum BenchPhase {
    TRAIN_STEP, EVAL_FORWARD, ALPHA_STEP;

    /** The name in options and JSON, as the PyTorch peer spells it. */
    public String key() { return name().toLowerCase(Locale.ROOT); }

    public static BenchPhase parse(String option, String value) {
        for (BenchPhase p : values()) if (p.key().equals(value.trim())) return p;
        throw new IllegalArgumentException(option + ": unknown phase '" + value + "'; expected one of "
                + Arrays.stream(values()).map(BenchPhase::key).collect(Collectors.joining(", ")));
    }
}
