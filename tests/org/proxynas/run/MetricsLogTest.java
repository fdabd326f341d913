package org.proxynas.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsLogTest {
    @TempDir Path tmp;

    @Test
    void appendThenReadSkipsATornLastLine() throws IOException {
        Path f = tmp.resolve("m/metrics.jsonl");
        MetricsLog log = new MetricsLog(f);
        log.append(MetricsLog.record("phase", "warmup", "sample", 1, "train_loss", 2.3));
        log.append(MetricsLog.record("phase", "search", "iter", 1, "predicted", null, "val_loss", Double.NaN));
        Files.writeString(f, "{\"phase\":\"search\",\"iter\":2,\"val_lo", StandardOpenOption.APPEND);
        MetricsReader.Records r = MetricsReader.read(f);
        assertEquals(2, r.records().size());
        assertEquals(List.of(3), r.skippedLines());
        ObjectNode first = r.records().getFirst();
        assertEquals("warmup", first.get("phase").asText());
        assertEquals(List.of("phase", "sample", "train_loss"), iterator(first));
        assertTrue(r.records().get(1).get("predicted").isNull(), "null is written as null");
        assertTrue(Double.isNaN(r.records().get(1).get("val_loss").asDouble()), "NaN round-trips");
    }

    @Test
    void damagedAndNonObjectLinesAreSkippedAnywhere() {
        MetricsReader.Records r = MetricsReader.parse("{\"a\":1}\n\n[1,2]\n{\"a\":2} trailing\n{\"a\":NaN}\n");
        assertEquals(2, r.records().size());
        assertEquals(List.of(3, 4), r.skippedLines());
        assertTrue(Double.isNaN(r.records().get(1).get("a").asDouble()), "a NaN literal reads as NaN");
    }

    private static List<String> iterator(ObjectNode n) {
        List<String> out = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
