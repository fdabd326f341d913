package org.proxynas.train;

import org.proxynas.run.Checkpoint;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Where a retraining run checkpoints after every epoch, whether it continues from that file, and what it stamps
 * into each checkpoint (the run's identity).
 */
public record RetrainCheckpoints(Path file, boolean resume, Consumer<Checkpoint> stamp) {
    public static final String FORMAT = "proxynas-train";
}
