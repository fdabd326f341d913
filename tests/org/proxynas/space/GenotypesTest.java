package org.proxynas.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenotypesTest {
    /** docs/method.md#genotypes, copied as written there: "op,input" pairs, nodes separated by '|'. */
    private static final Map<String, String[]> PUBLISHED = Map.of(
        "DARTS_V1", new String[] {
            "sep_conv_3x3,1 sep_conv_3x3,0 | skip_connect,0 sep_conv_3x3,1 | skip_connect,0 sep_conv_3x3,1 | sep_conv_3x3,0 skip_connect,2",
            "max_pool_3x3,0 max_pool_3x3,1 | skip_connect,2 max_pool_3x3,0 | max_pool_3x3,0 skip_connect,2 | skip_connect,2 avg_pool_3x3,0"},
        "DARTS_V2", new String[] {
            "sep_conv_3x3,0 sep_conv_3x3,1 | sep_conv_3x3,0 sep_conv_3x3,1 | sep_conv_3x3,1 skip_connect,0 | skip_connect,0 dil_conv_3x3,2",
            "max_pool_3x3,0 max_pool_3x3,1 | skip_connect,2 max_pool_3x3,1 | max_pool_3x3,0 skip_connect,2 | skip_connect,2 max_pool_3x3,1"},
        "PC_DARTS", new String[] {
            "sep_conv_3x3,1 skip_connect,0 | sep_conv_3x3,0 dil_conv_3x3,1 | sep_conv_5x5,0 sep_conv_3x3,1 | avg_pool_3x3,0 dil_conv_3x3,1",
            "sep_conv_5x5,1 max_pool_3x3,0 | sep_conv_5x5,1 sep_conv_5x5,2 | sep_conv_3x3,0 sep_conv_3x3,3 | sep_conv_3x3,1 sep_conv_3x3,2"},
        "PVLL_NAS", new String[] {
            "sep_conv_5x5,0 dil_conv_3x3,1 | sep_conv_3x3,1 sep_conv_5x5,0 | avg_pool_3x3,3 dil_conv_5x5,1 | sep_conv_3x3,1 max_pool_3x3,0",
            "sep_conv_5x5,1 max_pool_3x3,0 | max_pool_3x3,1 dil_conv_3x3,2 | dil_conv_5x5,2 sep_conv_5x5,0 | dil_conv_3x3,1 skip_connect,2"});

    private static void assertCell(String expected, List<Gene> actual, String what) {
        String[] nodes = expected.split("\\|");
        assertEquals(4, nodes.length, what);
        int slot = 0;
        for (int node = 0; node < 4; node++) {
            String[] pairs = nodes[node].strip().split("\\s+");
            assertEquals(2, pairs.length, what + " node " + node);
            for (String pair : pairs) {
                String[] p = pair.split(",");
                Gene g = actual.get(slot);
                assertEquals(p[0], g.op().dartsName(), what + " gene " + slot);
                assertEquals(Integer.parseInt(p[1]), g.input(), what + " gene " + slot);
                slot++;
            }
        }
        assertEquals(8, actual.size(), what);
    }

    @Test
    void builtinsMatchPublishedEntryByEntry() {
        assertEquals(List.of("DARTS_V1", "DARTS_V2", "PC_DARTS", "PVLL_NAS"), List.copyOf(Genotypes.builtins().keySet()));
        for (var e : PUBLISHED.entrySet()) {
            Genotype g = Genotypes.builtins().get(e.getKey());
            assertCell(e.getValue()[0], g.normal(), e.getKey() + " normal");
            assertCell(e.getValue()[1], g.reduce(), e.getKey() + " reduce");
            assertEquals(List.of(2, 3, 4, 5), g.normalConcat());
            assertEquals(List.of(2, 3, 4, 5), g.reduceConcat());
        }
    }

    @Test
    void lookupByNameIsCaseInsensitive() {
        assertSame(Genotypes.PVLL_NAS, Genotypes.resolve("pvll_nas"));
        assertSame(Genotypes.PVLL_NAS, Genotypes.resolve("PVLL-NAS"));
        assertSame(Genotypes.DARTS_V1, Genotypes.resolve("Darts_V1"));
        assertSame(Genotypes.DARTS_V2, Genotypes.resolve("darts"));
        assertSame(Genotypes.PC_DARTS, Genotypes.byName("pc_darts").orElseThrow());
        assertTrue(Genotypes.byName("nasnet").isEmpty());
    }

    @Test
    void unknownNameListsKnownNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Genotypes.resolve("no_such_genotype"));
        assertTrue(e.getMessage().contains("no_such_genotype"), e.getMessage());
        for (String name : Genotypes.builtins().keySet()) assertTrue(e.getMessage().contains(name), e.getMessage());
    }

    @Test
    void resolvesFilesInBothFormats(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("g.json");
        Path text = dir.resolve("g.txt");
        GenotypeFiles.save(json, Genotypes.PC_DARTS);
        GenotypeFiles.save(text, Genotypes.PVLL_NAS);
        assertTrue(Files.readString(json).startsWith("{\"normal\":[[\"sep_conv_3x3\",1],"));
        assertTrue(Files.readString(text).startsWith("Genotype(normal=[('sep_conv_5x5', 0),"));
        assertEquals(Genotypes.PC_DARTS, Genotypes.resolve(json.toString()));
        assertEquals(Genotypes.PVLL_NAS, Genotypes.resolve(text.toString()));
    }

    @Test
    void malformedFileErrorNamesTheFile(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("broken.txt");
        Files.writeString(bad, "Genotype(normal=[('sep_conv_3x3', 0)");
        GenotypeFormatException e = assertThrows(GenotypeFormatException.class, () -> Genotypes.resolve(bad.toString()));
        assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
        Path badJson = dir.resolve("broken.json");
        Files.writeString(badJson, "{\"normal\": [");
        GenotypeFormatException e2 = assertThrows(GenotypeFormatException.class, () -> GenotypeFiles.load(badJson));
        assertTrue(e2.getMessage().contains(badJson.toString()), e2.getMessage());
        GenotypeFormatException e3 = assertThrows(GenotypeFormatException.class,
                () -> GenotypeFiles.load(dir.resolve("missing.json")));
        assertTrue(e3.getMessage().contains("missing.json"), e3.getMessage());
    }
}
