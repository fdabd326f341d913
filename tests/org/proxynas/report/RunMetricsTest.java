package org.proxynas.report;

import org.junit.jupiter.api.Test;
import org.proxynas.run.MetricsReader;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunMetricsTest {
    @Test
    void missingNullAndNonNumericFieldsReadAsNaN() {
        MetricsReader.Records r = MetricsReader.parse("{\"predicted\":null,\"val_loss\":NaN,\"s\":\" 1.5 \",\"t\":\"x\",\"n\":2}\n");
        var rec = r.records().getFirst();
        assertTrue(Double.isNaN(RunMetrics.num(rec, "predicted")), "null reads as NaN");
        assertTrue(Double.isNaN(RunMetrics.num(rec, "val_loss")), "NaN round-trips");
        assertTrue(Double.isNaN(RunMetrics.num(rec, "absent")));
        assertTrue(Double.isNaN(RunMetrics.num(rec, "t")), "a non-numeric string reads as NaN");
        assertEquals(1.5, RunMetrics.num(rec, "s"), "a numeric string parses");
        assertEquals(2.0, RunMetrics.num(rec, "n"));
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
}
