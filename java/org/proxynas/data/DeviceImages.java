package org.proxynas.data;

import org.proxynas.tensor.Backend;
import org.proxynas.tensor.Tensor;

/**
 * An image set copied once to a backend: {@code pixels} is [M,C,H,W] holding the pixel values 0..255 as floats,
 * the source of {@link org.proxynas.tensor.Kernels#augment}. Several loaders may share one upload.
 */
public record DeviceImages(ImageSet set, Tensor pixels) {
    public DeviceImages {
        if (pixels.rank() != 4 || pixels.n() != set.size() || pixels.c() != set.channels() || pixels.h() != set.height()
                || pixels.w() != set.width()) {
            throw new IllegalArgumentException("pixels " + pixels + " do not match " + set);
        }
    }

    /** Copies the set's pixels to the backend (an explicit host-to-device copy). */
    public static DeviceImages upload(Backend backend, ImageSet set) {
        byte[] b = set.pixels();
        float[] f = new float[b.length];
        for (int i = 0; i < b.length; i++) f[i] = b[i] & 0xFF;
        Tensor t = backend.fromHost(f, set.size(), set.channels(), set.height(), set.width());
        return new DeviceImages(set, t);
    }

    public Backend backend() { return pixels.backend(); }
}
