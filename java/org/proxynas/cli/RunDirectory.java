package org.proxynas.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One owner per run directory. A new run checks its --out before anything is written ({@link #check}): an empty
 * path, a file, or a non-empty folder is refused unless --force. It then builds its first files in a folder beside
 * the target and renames that into place ({@link #create}), so the directory appears whole or not at all and --force
 * never leaves a mix of two runs. While a run (or a resume) works in a directory it holds an OS lock on its
 * {@value #LOCK} file; a second process is refused instead of interleaving its writes.
 */
final class RunDirectory implements AutoCloseable {
    static final String LOCK = ".proxynas.lock";

    private final Path path;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private RunDirectory(Path path, FileChannel lockChannel, FileLock lock) {
        this.path = path;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    Path path() { return path; }

    /**
     * The run directory a new run will use (--out, or runs/&lt;kind&gt;-&lt;time&gt;), checked but not created: refused
     * when the path is empty, is a file, or is a non-empty folder and force is off; with force, refused when it is
     * the working directory or one of its parents, or held by a running process.
     */
    static Path check(Path requested, String kind, boolean force) {
        if (requested != null && requested.toString().isBlank()) {
            throw new UserError("--out is empty: give the folder for the run (or leave --out out for runs/" + kind + "-<time>)");
        }
        Path dir = requested != null ? requested
                : Path.of("runs", kind + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new UserError("--out " + dir + " exists and is a file, not a folder");
        if (!Files.isDirectory(dir) || isEmpty(dir)) return dir;
        if (!force) {
            throw new UserError("--out " + dir + " already exists and is not empty (" + sample(dir) + "): choose a new folder, "
                    + "continue that run with --resume " + dir + ", or replace it with --force");
        }
        Path abs = dir.toAbsolutePath().normalize(), cwd = Path.of("").toAbsolutePath().normalize();
        if (cwd.startsWith(abs)) throw new UserError("--force would delete " + dir + ", which holds the working directory; give another --out");
        if (abs.getParent() == null) throw new UserError("--force would delete the root folder " + dir + "; give another --out");
        if (heldByAnother(dir)) {
            throw new UserError("--out " + dir + " belongs to a proxynas process that is still running; stop it before --force replaces it");
        }
        return dir;
    }

    /**
     * Creates the checked directory: a folder beside it receives the lock and {@code firstFiles}, then is renamed to
     * {@code dir}; a folder already there (empty, or replaced under --force) is moved aside first and deleted after.
     */
    static RunDirectory create(Path dir, Consumer<Path> firstFiles) {
        Path abs = dir.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        String tag = Long.toHexString(System.nanoTime());
        Path staging = parent.resolve("." + abs.getFileName() + ".new-" + tag);
        Path aside = parent.resolve("." + abs.getFileName() + ".old-" + tag);
        FileChannel ch = null;
        try {
            Files.createDirectories(staging);
            ch = FileChannel.open(staging.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = ch.tryLock();
            if (lock == null) throw new UserError("cannot lock the new run directory " + staging);
            firstFiles.accept(staging);
            boolean replaced = Files.exists(abs);
            if (replaced) move(abs, aside);
            move(staging, abs);
            if (replaced) deleteTree(aside);
            return new RunDirectory(dir, ch, lock);
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            try {
                deleteTree(staging);
            } catch (IOException ignored) {
                // the original error is the one to report; a leftover hidden .new- folder is harmless
            }
            if (e instanceof IOException io) throw new UserError("cannot create the run directory " + dir + ": " + io.getMessage(), io);
            throw (RuntimeException) e;
        }
    }

    /** Takes an existing run directory over for a resume; refused while another process holds it. */
    static RunDirectory resume(Path dir) {
        FileChannel ch = null;
        try {
            ch = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = tryLock(ch);
            if (lock == null) {
                closeQuietly(ch);
                throw new UserError("--resume " + dir + ": the run is in use by another proxynas process (it holds " + LOCK
                        + "); wait for it to stop or stop it first");
            }
            return new RunDirectory(dir, ch, lock);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new UserError("--resume " + dir + ": cannot lock the run directory: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        closeQuietly(lockChannel);
    }

    /** Whether a running proxynas (another process, or another run in this JVM) holds the directory's lock. */
    static boolean heldByAnother(Path dir) {
        Path f = dir.resolve(LOCK);
        if (!Files.exists(f)) return false;
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            FileLock l = tryLock(ch);
            if (l == null) return true;
            l.release();
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** null when held by another process or, within this JVM, by another channel. */
    private static FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new UserError("--out " + dir + ": cannot list the folder: " + e.getMessage(), e);
        }
    }

    private static String sample(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
            return names.size() + (names.size() == 1 ? " entry: " : " entries, e.g. ") + String.join(", ", names.subList(0, Math.min(3, names.size())));
        } catch (IOException e) {
            return "unreadable";
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing was written through it
        }
    }
}
