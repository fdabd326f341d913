package org.proxynas.tensor;

import java.util.Arrays;

/**
 * A dense fp32 tensor: a logical shape (NCHW for images, [N, F] for rows) over an opaque backend buffer.
 * Layers never index tensor memory; host access is an explicit copy through {@link Backend}.
 * A view made by {@link #reshape} shares the buffer of its source.
 */
public final class Tensor {
    private final Backend backend;
    private final DeviceBuffer buffer;
    private final int[] shape;
    private final long size;

    Tensor(Backend backend, DeviceBuffer buffer, int[] shape) {
        this.backend = backend;
        this.buffer = buffer;
        this.shape = shape.clone();
        this.size = elementCount(shape);
        if (size > buffer.capacity()) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + size
                    + " floats but the buffer holds " + buffer.capacity());
        }
    }

    /** Wraps a backend buffer; only backends call this. */
    public static Tensor wrap(Backend backend, DeviceBuffer buffer, int... shape) {
        return new Tensor(backend, buffer, checkShape(shape));
    }

    public static long elementCount(int... shape) {
        long n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    static int[] checkShape(int[] shape) {
        if (shape.length == 0 || shape.length > 4) {
            throw new IllegalArgumentException("tensor rank must be 1..4, got shape " + Arrays.toString(shape));
        }
        for (int d : shape) {
            if (d <= 0) throw new IllegalArgumentException("every dimension must be positive, got shape " + Arrays.toString(shape));
        }
        return shape;
    }

    public Backend backend() { return backend; }
    public DeviceBuffer buffer() { return buffer; }
    public int rank() { return shape.length; }
    public int dim(int i) { return shape[i]; }
    public int[] shape() { return shape.clone(); }
    public long size() { return size; }

    /** Batch size (dimension 0). */
    public int n() { return shape[0]; }
    /** Channels (dimension 1) of an NCHW or [N, F] tensor. */
    public int c() { return shape.length > 1 ? shape[1] : 1; }
    public int h() { return shape.length > 2 ? shape[2] : 1; }
    public int w() { return shape.length > 3 ? shape[3] : 1; }
    /** Elements per channel plane: H*W (1 for [N, F]). */
    public int plane() { return h() * w(); }

    /** A view with another shape and the same element count, sharing this tensor's buffer. */
    public Tensor reshape(int... newShape) {
        checkShape(newShape);
        if (elementCount(newShape) != size) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(shape) + " to "
                    + Arrays.toString(newShape) + ": element counts differ");
        }
        return new Tensor(backend, buffer, newShape);
    }

    public boolean sameShape(Tensor other) { return Arrays.equals(shape, other.shape); }

    /** Copies this tensor to a new host array (an explicit, synchronous device read). */
    public float[] toHost() {
        float[] out = new float[Math.toIntExact(size)];
        backend.copyToHost(this, out);
        return out;
    }

    /** Copies host data into this tensor. */
    public Tensor fromHost(float[] data) {
        backend.copyFromHost(data, this);
        return this;
    }

    @Override
    public String toString() { return "Tensor" + Arrays.toString(shape) + "@" + backend.name(); }
}
