package org.proxynas.cli;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small tmpfs for full-disk tests, mounted on a fresh folder and unmounted on close. Mounting needs root with
 * CAP_SYS_ADMIN; where it is refused the test is skipped, saying why.
 */
final class SmallDisk implements AutoCloseable {
    private final Path mount;

    private SmallDisk(Path mount) { this.mount = mount; }

    /** Mounts a tmpfs of {@code size} (e.g. "4m") on {@code dir}, which is created. */
    static SmallDisk mount(Path dir, String size) throws IOException, InterruptedException {
        Path m = Files.createDirectories(dir);
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", m.toString()).redirectErrorStream(true).start();
        String why = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Assumptions.assumeTrue(p.waitFor() == 0, "skipped: a " + size + " tmpfs cannot be mounted here (needs root with CAP_SYS_ADMIN): " + why.strip());
        return new SmallDisk(m);
    }

    Path path() { return mount; }

    /** Writes a filler file until the file system refuses: the next write of anyone else fails with ENOSPC. */
    void fill() {
        byte[] chunk = new byte[1 << 12];
        try (OutputStream out = Files.newOutputStream(mount.resolve("filler"))) {
            while (true) out.write(chunk);
        } catch (IOException expected) {
            // the disk is full
        }
    }

    /** Deletes the filler: the disk has room again. */
    void free() throws IOException { Files.delete(mount.resolve("filler")); }

    @Override
    public void close() throws IOException, InterruptedException {
        new ProcessBuilder("umount", "-l", mount.toString()).redirectErrorStream(true).start().waitFor();
    }
}
