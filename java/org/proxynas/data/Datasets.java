package org.proxynas.data;

import java.nio.file.Path;
import java.util.List;

/**
 * Resolves a dataset by name:
 * <ul>
 *   <li>{@code default}: the stratified Fashion-MNIST subset embedded in the jar (no files needed);</li>
 *   <li>{@code synthetic}: procedural images ({@link SyntheticData}), sized by a {@link SyntheticSpec};</li>
 *   <li>{@code fashion-mnist}: the IDX files in {@code dataDir}, else {@code /usr/share/datasets/fashion-mnist};</li>
 *   <li>{@code cifar10}: the CIFAR-10 binary files in {@code dataDir} (or its {@code cifar-10-batches-bin/}).</li>
 * </ul>
 */
public final class Datasets {
    public static final List<String> NAMES = List.of("default", "synthetic", "fashion-mnist", "cifar10");

    private Datasets() {}

    /** {@link #load(String, Path, SyntheticSpec)} with {@link SyntheticSpec#DEFAULT}. */
    public static Dataset load(String name, Path dataDir) { return load(name, dataDir, SyntheticSpec.DEFAULT); }

    /**
     * @param dataDir the --data folder, or null
     * @param synthetic size and seed used when name is {@code synthetic}
     */
    public static Dataset load(String name, Path dataDir, SyntheticSpec synthetic) {
        String n = name == null ? "default" : name.trim().toLowerCase(java.util.Locale.ROOT);
        return switch (n) {
            case "default" -> FashionMnist.embedded();
            case "synthetic" -> SyntheticData.generate(synthetic);
            case "fashion-mnist", "fashion_mnist", "fashionmnist" -> FashionMnist.load(dataDir);
            case "cifar10", "cifar-10" -> cifar10(dataDir);
            default -> throw new DatasetException("unknown dataset '" + name + "': expected one of " + String.join(", ", NAMES));
        };
    }

    /** CIFAR-10 from a folder; normalisation mean 0.4914/0.4822/0.4465, std 0.2470/0.2435/0.2616. */
    public static Dataset cifar10(Path dataDir) {
        Path dir = CifarReader.locate(dataDir);
        return new Dataset("cifar10", CifarReader.readTrain(dir), CifarReader.readTest(dir), Normalization.CIFAR10);
    }
}
