package org.proxynas.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GenotypeTextTest {
    private static final String DARTS_V2_TEXT = "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), "
            + "('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), "
            + "('dil_conv_3x3', 2)], normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), "
            + "('skip_connect', 2), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), "
            + "('max_pool_3x3', 1)], reduce_concat=[2, 3, 4, 5])";

    @Test
    void dartsV2TextIsExactlyPythonRepr() {
        assertEquals(DARTS_V2_TEXT, GenotypeText.format(Genotypes.DARTS_V2));
        assertEquals(DARTS_V2_TEXT, Genotypes.DARTS_V2.toString());
        assertEquals(Genotypes.DARTS_V2, GenotypeText.parse(DARTS_V2_TEXT));
    }

    @Test
    void roundTripAllBuiltins() {
        for (var e : Genotypes.builtins().entrySet()) {
            String text = GenotypeText.format(e.getValue());
            Genotype back = GenotypeText.parse(text);
            assertEquals(e.getValue(), back, e.getKey());
            assertEquals(text, GenotypeText.format(back), e.getKey());
        }
    }

    @Test
    void acceptsRangeDoubleQuotesNewlinesAndAssignment() {
        // PC_DARTS_cifar as written in the PC-DARTS repository, with range(2, 6)
        String pc = "PC_DARTS_cifar = Genotype(normal=[('sep_conv_3x3', 1), ('skip_connect', 0), ('sep_conv_3x3', 0), "
                + "('dil_conv_3x3', 1), ('sep_conv_5x5', 0), ('sep_conv_3x3', 1), ('avg_pool_3x3', 0), ('dil_conv_3x3', 1)], "
                + "normal_concat=range(2, 6), reduce=[('sep_conv_5x5', 1), ('max_pool_3x3', 0), ('sep_conv_5x5', 1), "
                + "('sep_conv_5x5', 2), ('sep_conv_3x3', 0), ('sep_conv_3x3', 3), ('sep_conv_3x3', 1), ('sep_conv_3x3', 2)], "
                + "reduce_concat=range(2, 6))";
        assertEquals(Genotypes.PC_DARTS, GenotypeText.parse(pc));

        String pvll = """
                genotype = Genotype(
                    normal=[("sep_conv_5x5", 0), ("dil_conv_3x3", 1),
                            ("sep_conv_3x3", 1), ("sep_conv_5x5", 0),
                            ("avg_pool_3x3", 3), ("dil_conv_5x5", 1),
                            ("sep_conv_3x3", 1), ("max_pool_3x3", 0),],   # trailing comma
                    normal_concat = range(2,6),
                    reduce=[["sep_conv_5x5", 1], ["max_pool_3x3", 0], ["max_pool_3x3", 1], ["dil_conv_3x3", 2],
                            ["dil_conv_5x5", 2], ["sep_conv_5x5", 0], ["dil_conv_3x3", 1], ["skip_connect", 2]],
                    reduce_concat=[2, 3, 4, 5],
                )
                """;
        assertEquals(Genotypes.PVLL_NAS, GenotypeText.parse(pvll));
    }

    @Test
    void acceptsPositionalAndReorderedFields() {
        Genotype g = Genotypes.DARTS_V1;
        String reordered = "Genotype(reduce_concat=[2, 3, 4, 5], reduce=" + genes(g.reduce()) + ", normal_concat=[2, 3, 4, 5], "
                + "normal=" + genes(g.normal()) + ")";
        assertEquals(g, GenotypeText.parse(reordered));
        String positional = "Genotype(" + genes(g.normal()) + ", [2, 3, 4, 5], " + genes(g.reduce()) + ", range(2, 6))";
        assertEquals(g, GenotypeText.parse(positional));
    }

    private static String genes(List<Gene> genes) { return genes.toString(); }

    @Test
    void unknownOpNamesTokenAndOffset() {
        String bad = DARTS_V2_TEXT.replaceFirst("'sep_conv_3x3', 1", "'sep_conv_7x7', 1");
        int offset = bad.indexOf("'sep_conv_7x7'");
        GenotypeFormatException e = assertThrows(GenotypeFormatException.class, () -> GenotypeText.parse(bad));
        assertTrue(e.getMessage().contains("sep_conv_7x7"), e.getMessage());
        assertTrue(e.getMessage().contains("offset " + offset), e.getMessage());
        assertEquals(offset, e.offset());
    }

    @Test
    void inputOutOfRangeNamesCellNodeAndValue() {
        // node 0 of the reduce cell may only read states 0 and 1
        String bad = DARTS_V2_TEXT.replace("reduce=[('max_pool_3x3', 0)", "reduce=[('max_pool_3x3', 2)");
        int offset = bad.indexOf("reduce=[('max_pool_3x3', 2)") + "reduce=[('max_pool_3x3', ".length();
        GenotypeFormatException e = assertThrows(GenotypeFormatException.class, () -> GenotypeText.parse(bad));
        assertTrue(e.getMessage().contains("reduce cell, node 0"), e.getMessage());
        assertTrue(e.getMessage().contains("input 2"), e.getMessage());
        assertEquals(offset, e.offset());

        IllegalArgumentException direct = assertThrows(IllegalArgumentException.class,
                () -> Genotypes.DARTS_V2.withGene(CellType.NORMAL, 7, Gene.of("sep_conv_3x3", 5)));
        assertTrue(direct.getMessage().contains("normal cell, node 3"), direct.getMessage());
        assertTrue(direct.getMessage().contains("input 5"), direct.getMessage());
    }

    @Test
    void malformedTextReportsOffset() {
        String missingComma = "Genotype(normal=[('sep_conv_3x3' 0)";
        GenotypeFormatException e = assertThrows(GenotypeFormatException.class, () -> GenotypeText.parse(missingComma));
        int at = missingComma.indexOf(" 0)") + 1;
        assertEquals(at, e.offset());
        assertTrue(e.getMessage().contains("offset " + at), e.getMessage());
        assertTrue(e.getMessage().contains("'0'"), e.getMessage());

        String truncated = DARTS_V2_TEXT.substring(0, DARTS_V2_TEXT.length() - 1);
        GenotypeFormatException t = assertThrows(GenotypeFormatException.class, () -> GenotypeText.parse(truncated));
        assertEquals(truncated.length(), t.offset());
        assertTrue(t.getMessage().contains("end of input"), t.getMessage());

        String missingField = DARTS_V2_TEXT.replace(", reduce_concat=[2, 3, 4, 5]", "");
        GenotypeFormatException m = assertThrows(GenotypeFormatException.class, () -> GenotypeText.parse(missingField));
        assertTrue(m.getMessage().contains("missing field 'reduce_concat'"), m.getMessage());

        String unterminated = "Genotype(normal=[('sep_conv_3x3, 0)";
        GenotypeFormatException u = assertThrows(GenotypeFormatException.class, () -> GenotypeText.parse(unterminated));
        assertEquals(unterminated.indexOf('\''), u.offset());

        String sevenGenes = DARTS_V2_TEXT.replace("('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0)",
                "('sep_conv_3x3', 0), ('sep_conv_3x3', 1)");
        GenotypeFormatException s = assertThrows(GenotypeFormatException.class, () -> GenotypeText.parse(sevenGenes));
        assertTrue(s.getMessage().contains("expected 8 genes"), s.getMessage());

        String trailing = DARTS_V2_TEXT + " x";
        GenotypeFormatException tr = assertThrows(GenotypeFormatException.class, () -> GenotypeText.parse(trailing));
        assertEquals(DARTS_V2_TEXT.length() + 1, tr.offset());

        String badConcat = DARTS_V2_TEXT.replace("normal_concat=[2, 3, 4, 5]", "normal_concat=[2, 3, 4, 6]");
        GenotypeFormatException c = assertThrows(GenotypeFormatException.class, () -> GenotypeText.parse(badConcat));
        assertTrue(c.getMessage().contains("normal_concat") && c.getMessage().contains("6"), c.getMessage());
    }

    @Test
    void offsetsCountLinesForMultilineInput() {
        String text = "Genotype(\n  normal=[('bogus', 0)";
        GenotypeFormatException e = assertThrows(GenotypeFormatException.class, () -> GenotypeText.parse(text));
        assertEquals(text.indexOf("'bogus'"), e.offset());
        assertTrue(e.getMessage().contains("line 2, column 12"), e.getMessage());
    }
}
