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
        assertTrue(Double.isNaN(RunMetrics.num(r.records().get(1), "predicted")), "null reads as NaN");
        assertTrue(Double.isNaN(RunMetrics.num(r.records().get(1), "val_loss")), "NaN round-trips");
        assertTrue(Double.isNaN(RunMetrics.num(r.records().get(1), "absent")));
    }

    @Test
    void damagedAndNonObjectLinesAreSkippedAnywhere() {
        MetricsReader.Records r = MetricsReader.parse("{\"a\":1}\n\n[1,2]\n{\"a\":2} trailing\n{\"a\":NaN}\n");
        assertEquals(2, r.records().size());
        assertEquals(List.of(3, 4), r.skippedLines());
        assertTrue(Double.isNaN(RunMetrics.num(r.records().get(1), "a")));
    }

    @Test
    void repeatedIndicesFromAResumedRunKeepTheLastRecord() {
        MetricsReader.Records r = MetricsReader.parse("""
                {"phase":"warmup","sample":1,"train_loss":2.0}
                {"phase":"warmup","sample":2,"train_loss":1.9}
                {"phase":"warmup","sample":2,"train_loss":1.8}
                {"phase":"search","iter":1,"train_loss":1.5,"val_loss":1.6,"elapsed_s":10}
                """);
        RunMetrics m = new RunMetrics(r.records());
        assertEquals(List.of("warmup", "search"), m.phases());
        assertEquals(2, m.phase("warmup").size());
        assertEquals(1.8, RunMetrics.num(m.phase("warmup").get(1), "train_loss"));
        List<RunMetrics.Point> pts = m.trainingPoints();
        assertEquals(3, pts.size());
        assertEquals(3.0, pts.get(2).x());
        assertEquals(List.of(new RunMetrics.Boundary(0.5, "warmup"), new RunMetrics.Boundary(2.5, "search")), m.trainingBoundaries());
        assertEquals(10.0, m.totalElapsed());
    }

    @Test
    void phaseWallTimesCountUntimedPhasesInTheNextOne() {
        RunMetrics m = new RunMetrics(MetricsReader.parse("""
                {"phase":"warmup","sample":1,"train_loss":2.0,"elapsed_s":5}
                {"phase":"warmup","sample":2,"train_loss":1.9,"elapsed_s":9}
                {"phase":"regressor_warmup","epoch":1,"loss":0.3,"tau":0.1}
                {"phase":"search","iter":1,"train_loss":1.5,"elapsed_s":20}
                """).records());
        List<RunMetrics.PhaseSummary> s = m.phaseSummaries();
        assertEquals(9.0, s.get(0).duration());
        assertEquals(2, s.get(0).records());
        assertEquals(1.0, s.get(0).firstIndex());
        assertEquals(2.0, s.get(0).lastIndex());
        assertTrue(Double.isNaN(s.get(1).duration()));
        assertEquals(11.0, s.get(2).duration());
        assertEquals(List.of("regressor_warmup"), s.get(2).includes());
    }

    private static List<String> iterator(ObjectNode n) {
        List<String> out = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
