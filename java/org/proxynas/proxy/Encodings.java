package org.proxynas.proxy;

import org.proxynas.space.ArchParams;

/** Checks and packs architecture encodings (224 floats each, {@link ArchParams} layout). */
final class Encodings {
    private Encodings() {}

    static void check(float[] encoding, String what) {
        if (encoding == null) throw new IllegalArgumentException(what + " is null");
        if (encoding.length != ArchParams.SIZE) {
            throw new IllegalArgumentException(what + " must have " + ArchParams.SIZE + " entries, got " + encoding.length);
        }
        for (int i = 0; i < encoding.length; i++) {
            if (!Float.isFinite(encoding[i])) throw new IllegalArgumentException(what + " entry " + i + " is " + encoding[i]);
        }
    }

    /** Row-major [B, 224]. */
    static float[] flatten(float[][] encodings) {
        float[] out = new float[encodings.length * ArchParams.SIZE];
        for (int b = 0; b < encodings.length; b++) {
            check(encodings[b], "encoding " + b);
            System.arraycopy(encodings[b], 0, out, b * ArchParams.SIZE, ArchParams.SIZE);
        }
        return out;
    }
}
