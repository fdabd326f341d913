package org.proxynas.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AtomicFilesTest {
    @TempDir Path tmp;

    @Test
    void replacesTheTargetAndLeavesNoTempFile() throws IOException {
        Path f = tmp.resolve("sub/dir/out.txt");
        AtomicFiles.writeString(f, "first");
        assertEquals("first", Files.readString(f));
        AtomicFiles.writeString(f, "second, longer");
        assertEquals("second, longer", Files.readString(f));
        AtomicFiles.write(f, new byte[] {1, 2});
        assertArrayEquals(new byte[] {1, 2}, Files.readAllBytes(f));
        try (Stream<Path> s = Files.list(f.getParent())) {
            assertEquals(List.of("out.txt"), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void failureNamesTheTarget() throws IOException {
        Path notADir = Files.writeString(tmp.resolve("file"), "x");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> AtomicFiles.writeString(notADir.resolve("a.txt"), "y"));
        assertEquals(true, e.getMessage().contains("a.txt"));
    }
}
