package org.proxynas.data;

import java.util.Arrays;

/**
 * An in-memory labelled image set: {@code size()} images of C x H x W unsigned bytes, stored NCHW in one array,
 * with one class label in [0, classes) each. Immutable by convention: {@link #pixels()} and {@link #labels()}
 * return the backing arrays for speed and must not be modified.
 */
public final class ImageSet {
    private final String name;
    private final byte[] pixels;
    private final int[] labels;
    private final int channels, height, width, classes;

    /**
     * @param pixels N*C*H*W bytes, image-major then channel-major (NCHW); taken over, not copied
     * @param labels N labels in [0, classes); taken over, not copied
     */
    public ImageSet(String name, byte[] pixels, int[] labels, int channels, int height, int width, int classes) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("an image set needs a name");
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException(name + ": image shape must be positive, got " + channels + "x" + height + "x" + width);
        }
        if (classes <= 0) throw new IllegalArgumentException(name + ": class count must be positive, got " + classes);
        long imageSize = (long) channels * height * width;
        if ((long) labels.length * imageSize != pixels.length) {
            throw new IllegalArgumentException(name + ": " + labels.length + " labels need " + labels.length * imageSize
                    + " pixel bytes of " + channels + "x" + height + "x" + width + " images, got " + pixels.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(name + ": label of image " + i + " is " + labels[i] + ", expected 0.." + (classes - 1));
            }
        }
        this.name = name;
        this.pixels = pixels;
        this.labels = labels;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.classes = classes;
    }

    public String name() { return name; }
    public int size() { return labels.length; }
    public int channels() { return channels; }
    public int height() { return height; }
    public int width() { return width; }
    public int classes() { return classes; }
    /** Bytes per image: C*H*W. */
    public int imageSize() { return channels * height * width; }
    /** The backing NCHW pixel array (do not modify). */
    public byte[] pixels() { return pixels; }
    /** The backing label array (do not modify). */
    public int[] labels() { return labels; }
    public int label(int i) { return labels[i]; }

    /** Pixel value 0..255 of image i at (channel, y, x). */
    public int pixel(int i, int channel, int y, int x) {
        return pixels[((i * channels + channel) * height + y) * width + x] & 0xFF;
    }

    /** A copy of image i's C*H*W bytes. */
    public byte[] image(int i) {
        int s = imageSize();
        return Arrays.copyOfRange(pixels, i * s, (i + 1) * s);
    }

    /** Number of images per class. */
    public int[] classCounts() {
        int[] counts = new int[classes];
        for (int l : labels) counts[l]++;
        return counts;
    }

    /** A new set holding copies of the images at {@code indices}, in that order (repeats allowed). */
    public ImageSet subset(String subsetName, int[] indices) {
        int s = imageSize();
        byte[] p = new byte[Math.multiplyExact(indices.length, s)];
        int[] l = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= size()) {
                throw new IndexOutOfBoundsException(name + ": subset index " + i + " at position " + k + " is outside 0.." + (size() - 1));
            }
            System.arraycopy(pixels, i * s, p, k * s, s);
            l[k] = labels[i];
        }
        return new ImageSet(subsetName, p, l, channels, height, width, classes);
    }

    /** A new set holding copies of images [from, to). */
    public ImageSet range(String rangeName, int from, int to) {
        if (from < 0 || to > size() || from > to) {
            throw new IndexOutOfBoundsException(name + ": range [" + from + ", " + to + ") is outside [0, " + size() + ")");
        }
        int s = imageSize();
        return new ImageSet(rangeName, Arrays.copyOfRange(pixels, from * s, to * s), Arrays.copyOfRange(labels, from, to),
                channels, height, width, classes);
    }

    @Override
    public String toString() {
        return "ImageSet[" + name + ": " + size() + " x " + channels + "x" + height + "x" + width + ", " + classes + " classes]";
    }
}
