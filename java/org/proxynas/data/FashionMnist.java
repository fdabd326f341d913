package org.proxynas.data;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fashion-MNIST (Zalando Research, MIT licence): 60000 train and 10000 test 28x28 grey images in 10 classes,
 * read from the four IDX files of a folder (gzipped or raw), or the small stratified subset embedded in the jar.
 */
public final class FashionMnist {
    public static final int CLASSES = 10;
    /** Where Debian's {@code dataset-fashion-mnist} package installs the files. */
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte", TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte", TEST_LABELS = "t10k-labels-idx1-ubyte";
    /** Class-path folder of the embedded subset (see its README.md). */
    public static final String EMBEDDED = "/org/proxynas/data/fashion-mnist-subset/";
    public static final List<String> NAMES =
            List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private FashionMnist() {}

    /** Reads the dataset from dir (null: {@link #DEBIAN_DIR}); normalisation mean 0.2860, std 0.3530. */
    public static Dataset load(Path dir) {
        Path d = dir == null ? DEBIAN_DIR : dir;
        Path[] files = locate(d, dir == null);
        ImageSet train = nonEmpty(IdxReader.readImageSet("fashion-mnist-train", files[0], files[1], CLASSES), files[0]);
        ImageSet test = nonEmpty(IdxReader.readImageSet("fashion-mnist-test", files[2], files[3], CLASSES), files[2]);
        return new Dataset("fashion-mnist", train, test, Normalization.FASHION_MNIST);
    }

    /** An empty file is a valid IDX file but not a usable training or test set. */
    private static ImageSet nonEmpty(ImageSet set, Path images) {
        if (set.size() == 0) {
            throw DatasetException.at(images.toString(), 4, "the image count is 0: the file holds no images, a dataset needs at least one");
        }
        return set;
    }

    /** The four files (train images, train labels, test images, test labels), each NAME or NAME.gz. */
    static Path[] locate(Path dir, boolean defaultDir) {
        String[] names = {TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS};
        Path[] found = new Path[4];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Path gz = dir.resolve(names[i] + ".gz"), raw = dir.resolve(names[i]);
            found[i] = Files.isRegularFile(gz) ? gz : Files.isRegularFile(raw) ? raw : null;
            if (found[i] == null) missing.add(names[i] + "[.gz]");
        }
        if (!missing.isEmpty()) {
            String where = Files.isDirectory(dir) ? "missing " + String.join(", ", missing)
                    : Files.exists(dir) ? "it is a file; --data takes the folder that holds the four IDX files" : "folder does not exist";
            throw new DatasetException(dir + ": no Fashion-MNIST here (" + where + "). "
                    + (defaultDir ? "Install it with `apt-get install dataset-fashion-mnist` (it puts the files in " + DEBIAN_DIR
                    + "), or pass --data DIR" : "Pass --data with a folder holding the four IDX files, or install them with "
                    + "`apt-get install dataset-fashion-mnist` and leave --data out")
                    + "; they are also at https://github.com/zalandoresearch/fashion-mnist");
        }
        return found;
    }

    /**
     * The subset embedded in the jar: the first 500 training and first 100 test images of each class, in file
     * order (5000 + 1000 images); normalised with the full set's statistics (mean 0.2860, std 0.3530).
     */
    public static Dataset embedded() {
        ImageSet train = embeddedSet("default-train", TRAIN_IMAGES, TRAIN_LABELS);
        ImageSet test = embeddedSet("default-test", TEST_IMAGES, TEST_LABELS);
        return new Dataset("default", train, test, Normalization.FASHION_MNIST);
    }

    private static ImageSet embeddedSet(String name, String images, String labels) {
        String imgRes = EMBEDDED + images + ".gz", lblRes = EMBEDDED + labels + ".gz";
        return IdxReader.combine(name, "classpath:" + imgRes, IdxReader.readImages("classpath:" + imgRes, resource(imgRes)),
                "classpath:" + lblRes, IdxReader.readLabels("classpath:" + lblRes, resource(lblRes)), CLASSES);
    }

    private static InputStream resource(String path) {
        InputStream in = FashionMnist.class.getResourceAsStream(path);
        if (in == null) {
            throw new DatasetException("classpath:" + path + ": resource not found (the jar was built without resources/;"
                    + " regenerate with org.proxynas.data.EmbeddedSubsetMaker, see its README)");
        }
        return in;
    }
}
