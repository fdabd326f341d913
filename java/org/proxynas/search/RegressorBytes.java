package org.proxynas.search;

import org.proxynas.proxy.Regressor;
import org.proxynas.run.Checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** A regressor's saved file, carried inside the run checkpoint so the two can never disagree. */
final class RegressorBytes {
    private RegressorBytes() {}

    static String encode(Regressor r) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("proxynas-regressor", ".bin");
            r.save(tmp);
            return Base64.getEncoder().encodeToString(Files.readAllBytes(tmp));
        } catch (IOException e) {
            throw new UncheckedIOException("could not serialise the regressor: " + e.getMessage(), e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    static void decode(Regressor r, String base64) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("proxynas-regressor", ".bin");
            Files.write(tmp, Base64.getDecoder().decode(base64));
            r.load(tmp);
        } catch (IOException | IllegalArgumentException e) {
            throw new Checkpoint.CheckpointException("the checkpoint's regressor cannot be restored: " + e.getMessage());
        } finally {
            deleteQuietly(tmp);
        }
    }

    private static void deleteQuietly(Path p) {
        if (p == null) return;
        try { Files.deleteIfExists(p); } catch (IOException ignored) { /* a temp file */ }
    }
}
