package org.proxynas.nn;

import org.proxynas.tensor.Tensor;

import java.util.Arrays;

/** Input checks at network entry points. */
final class InputChecks {
    private InputChecks() {}

    static void image(Tensor x, int channels) {
        if (x.rank() != 4 || x.c() != channels) {
            throw new IllegalArgumentException("input images must be [N, " + channels + ", H, W], got " + Arrays.toString(x.shape()));
        }
    }
}
