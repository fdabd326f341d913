package org.proxynas.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.proxynas.rng.Rng;

class RandomArchitecturesTest {
    @Test
    void randomGenotypesAreValidAndDiverse() {
        Rng rng = new Rng(2024);
        Set<Genotype> seen = new HashSet<>();
        int[][] opCounts = new int[2][8];
        int[] node3Inputs = new int[5];
        int samples = 2000;
        for (int i = 0; i < samples; i++) {
            Genotype g = RandomArchitectures.genotype(rng);
            seen.add(g);
            assertEquals(g, GenotypeText.parse(g.toDartsText())); // valid by construction and by the parser
            for (CellType cell : CellType.values()) {
                for (int node = 0; node < 4; node++) {
                    Gene a = g.gene(cell, 2 * node), b = g.gene(cell, 2 * node + 1);
                    assertNotEquals(a.input(), b.input(), "inputs of a node must be distinct");
                    assertTrue(a.input() < 2 + node && b.input() < 2 + node);
                    opCounts[cell.ordinal()][a.op().index()]++;
                    opCounts[cell.ordinal()][b.op().index()]++;
                }
                node3Inputs[g.gene(cell, 6).input()]++;
                node3Inputs[g.gene(cell, 7).input()]++;
            }
        }
        assertEquals(samples, seen.size(), "random genotypes should essentially never repeat");
        for (int c = 0; c < 2; c++) {
            assertEquals(0, opCounts[c][0], "none must never be sampled");
            for (int k = 1; k < 8; k++) {
                // 16000 draws over 7 ops: expected 2286 each
                assertTrue(opCounts[c][k] > 2000 && opCounts[c][k] < 2600, "op " + k + ": " + opCounts[c][k]);
            }
        }
        for (int j = 0; j < 5; j++) {
            // 8000 draws over 5 inputs: expected 1600 each
            assertTrue(node3Inputs[j] > 1400 && node3Inputs[j] < 1800, "input " + j + ": " + node3Inputs[j]);
        }
    }

    @Test
    void sameSeedSameResults() {
        assertEquals(RandomArchitectures.genotype(new Rng(3)), RandomArchitectures.genotype(new Rng(3)));
        assertNotEquals(RandomArchitectures.genotype(new Rng(3)), RandomArchitectures.genotype(new Rng(4)));
        assertEquals(RandomArchitectures.alpha(new Rng(3)), RandomArchitectures.alpha(new Rng(3)));
    }

    @Test
    void randomAlphaIsStandardNormal() {
        ArchParams a = RandomArchitectures.alpha(new Rng(6));
        double sum = 0, sq = 0;
        for (float v : a.flat()) { sum += v; sq += (double) v * v; }
        double mean = sum / ArchParams.SIZE, std = Math.sqrt(sq / ArchParams.SIZE - mean * mean);
        assertTrue(Math.abs(mean) < 0.25 && std > 0.8 && std < 1.2, "mean " + mean + " std " + std);
    }
}
