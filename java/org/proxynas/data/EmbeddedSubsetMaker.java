package org.proxynas.data;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Regenerates the embedded {@code default} dataset from the full Fashion-MNIST files: for each class the first
 * k images in file order (500 per class from train, 100 per class from t10k), kept in file order, written as
 * gzipped IDX files with the standard names. The output is byte-identical on every run (gzip header time 0).
 *
 * <pre>
 * ./mvnw -q -o compile
 * java -cp target/classes org.proxynas.data.EmbeddedSubsetMaker \
 *     [SRC=/usr/share/datasets/fashion-mnist] [OUT=resources/org/proxynas/data/fashion-mnist-subset] [TRAIN_K=500] [TEST_K=100]
 * </pre>
 */
public final class EmbeddedSubsetMaker {
    private EmbeddedSubsetMaker() {}

    public static void main(String[] args) {
        Path src = Path.of(args.length > 0 ? args[0] : FashionMnist.DEBIAN_DIR.toString());
        Path out = Path.of(args.length > 1 ? args[1] : "resources/org/proxynas/data/fashion-mnist-subset");
        int trainK = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        int testK = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        Dataset full = FashionMnist.load(src);
        try {
            Files.createDirectories(out);
            write(full.train(), firstPerClass(full.train().labels(), FashionMnist.CLASSES, trainK), out,
                    FashionMnist.TRAIN_IMAGES, FashionMnist.TRAIN_LABELS);
            write(full.test(), firstPerClass(full.test().labels(), FashionMnist.CLASSES, testK), out,
                    FashionMnist.TEST_IMAGES, FashionMnist.TEST_LABELS);
        } catch (IOException e) {
            throw new UncheckedIOException(out + ": " + e.getMessage(), e);
        }
        System.out.println("wrote " + 10 * trainK + " train and " + 10 * testK + " test images to " + out);
    }

    /** Indices of the first k images of each class, in file order; every class must have k. */
    public static int[] firstPerClass(int[] labels, int classes, int k) {
        int[] taken = new int[classes];
        int[] picked = new int[classes * k];
        int n = 0;
        for (int i = 0; i < labels.length && n < picked.length; i++) {
            if (taken[labels[i]] < k) {
                taken[labels[i]]++;
                picked[n++] = i;
            }
        }
        for (int c = 0; c < classes; c++) {
            if (taken[c] < k) throw new IllegalArgumentException("class " + c + " has only " + taken[c] + " images, " + k + " asked");
        }
        return picked;
    }

    private static void write(ImageSet set, int[] indices, Path dir, String images, String labels) throws IOException {
        ImageSet sub = set.subset(set.name() + "-subset", indices);
        try (DataOutputStream o = gzip(dir.resolve(images + ".gz"))) {
            o.writeInt(IdxReader.IMAGES_MAGIC);
            o.writeInt(sub.size());
            o.writeInt(sub.height());
            o.writeInt(sub.width());
            o.write(sub.pixels());
        }
        try (DataOutputStream o = gzip(dir.resolve(labels + ".gz"))) {
            o.writeInt(IdxReader.LABELS_MAGIC);
            o.writeInt(sub.size());
            for (int l : sub.labels()) o.writeByte(l);
        }
    }

    private static DataOutputStream gzip(Path file) throws IOException {
        OutputStream f = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        return new DataOutputStream(new GZIPOutputStream(f, 1 << 16) {
            { def.setLevel(Deflater.BEST_COMPRESSION); }
        });
    }
}
