package org.proxynas.cli;

import org.proxynas.data.Dataset;
import org.proxynas.data.Datasets;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** --dataset and --data, shared by train and search. */
public final class DataOptions {
    @Option(names = "--dataset", defaultValue = "default",
            description = "default (embedded Fashion-MNIST subset), fashion-mnist, cifar10 or synthetic (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--data", description = "Directory with the dataset files (fashion-mnist: IDX files; cifar10: the .bin batches).")
    Path dataDir;

    public Dataset load() {
        if (!Datasets.NAMES.contains(dataset)) {
            throw new UserError("--dataset must be one of " + Datasets.NAMES + ", got '" + dataset + "'");
        }
        return Datasets.load(dataset, dataDir);
    }
}
