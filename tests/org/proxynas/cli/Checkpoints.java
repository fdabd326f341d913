package org.proxynas.cli;

import org.proxynas.run.Checkpoint;

import java.nio.file.Path;

/** Test helper: rewrites a checkpoint (valid checksum) without one of its weight arrays, so restoring it fails late. */
final class Checkpoints {
    private Checkpoints() {}

    static void dropArray(Path file) {
        Checkpoint c = Checkpoint.read(file);
        Checkpoint d = new Checkpoint();
        d.header().setAll(c.header());
        boolean dropped = false;
        for (String name : c.names()) {
            if (!dropped && name.startsWith("w.")) {
                dropped = true;
                continue;
            }
            d.put(name, c.get(name, -1));
        }
        d.write(file);
    }
}
