package org.proxynas.proxy;

import java.io.IOException;
import java.nio.file.Path;

/** A proxy model file that cannot be loaded: foreign, corrupt, truncated, or for another configuration. */
public final class ProxyFileException extends IOException {
    private final transient Path file;

    public ProxyFileException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public Path file() { return file; }
}
