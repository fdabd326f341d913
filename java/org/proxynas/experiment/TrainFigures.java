package org.proxynas.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import org.proxynas.run.JsonFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A finished retraining's result.json (written by proxynas train when it ends); null while it has not ended. */
public record TrainFigures(double testAccuracy, double testLoss, long parameters, String genotype) {

    public static TrainFigures read(Path run) {
        Path file = run.resolve("result.json");
        if (!Files.isRegularFile(file)) return null;
        try {
            JsonNode r = JsonFiles.mapper().readTree(file.toFile());
            String genotype = Files.isRegularFile(run.resolve("genotype.txt")) ? Files.readString(run.resolve("genotype.txt")).strip() : "";
            return new TrainFigures(r.path("testAccuracy").asDouble(Double.NaN), r.path("testLoss").asDouble(Double.NaN),
                    r.path("parameters").asLong(), genotype);
        } catch (IOException e) {
            throw new PlanException(file + ": not readable JSON: " + e.getMessage());
        }
    }
}
