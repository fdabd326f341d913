package org.proxynas.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.space.Genotypes;
import org.proxynas.train.Retrainer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The Katib trial contract: name=value lines on stdout, JSON lines with a timestamp in --metrics-file, Best-Genotype. */
class TrialOutputTest {
    @Test
    void trainFiguresGoToStdoutAndTheMetricsFile(@TempDir Path dir) throws IOException {
        TrialOutput t = new TrialOutput();
        t.metricsFile = dir.resolve("m/metrics.jsonl");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        double before = System.currentTimeMillis() / 1000.0;
        t.trainFinished(new Retrainer.Result(0.5, 0.8125, 0.25, 0.9, 1234, 3.0), new PrintStream(buf, true, StandardCharsets.UTF_8));
        assertEquals(List.of("test-accuracy=0.81250000", "test-loss=0.50000000", "train-accuracy=0.90000000", "train-loss=0.25000000"),
                buf.toString(StandardCharsets.UTF_8).lines().toList());
        List<String> lines = Files.readAllLines(t.metricsFile);
        assertEquals(1, lines.size());
        JsonNode n = new ObjectMapper().readTree(lines.getFirst());
        assertEquals("0.81250000", n.path("test-accuracy").asText(), "values as strings, as Katib's JSON file format shows them");
        double ts = n.path("timestamp").asDouble();
        assertTrue(ts >= before - 1 && ts <= System.currentTimeMillis() / 1000.0 + 1, "timestamp in Unix seconds: " + ts);
    }

    @Test
    void searchFiguresComeFromTheRunAndEndWithBestGenotype(@TempDir Path dir) throws IOException {
        String g = Genotypes.resolve("DARTS_V2").toDartsText();
        Files.writeString(dir.resolve("genotype.json"), Genotypes.resolve("DARTS_V2").toJson());
        Files.writeString(dir.resolve("metrics.jsonl"), """
                {"phase":"search","iter":0,"val_loss":2.5,"val_acc":0.1,"elapsed_s":1.0}
                {"phase":"search","iter":1,"val_loss":2.0,"val_acc":0.3,"elapsed_s":2.0}
                {"phase":"search","iter":2,"val_loss":2.25,"val_acc":0.2,"elapsed_s":3.0}
                {"phase":"heldout","samples":8,"tau":0.5,"elapsed_s":3.5}
                {"phase":"final","genotype":"%s","elapsed_s":4.0}
                """.formatted(g.replace("'", "'")));
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        new TrialOutput().searchFinished(dir, Genotypes.resolve("DARTS_V2"), new PrintStream(buf, true, StandardCharsets.UTF_8));
        assertEquals(List.of("best-val-loss=2.0000000", "val-loss=2.2500000", "val-accuracy=0.20000000", "heldout-tau=0.50000000", "Best-Genotype=" + g),
                buf.toString(StandardCharsets.UTF_8).lines().toList());
    }
}
