package org.proxynas.report;

import org.junit.jupiter.api.Test;
import org.proxynas.space.CellType;
import org.proxynas.space.Gene;
import org.proxynas.space.Genotype;
import org.proxynas.space.Genotypes;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CellDiagramTest {
    @Test
    void everyBuiltInGenotypeGivesValidSvgAndDot() throws Exception {
        for (Genotype g : List.of(Genotypes.DARTS_V1, Genotypes.DARTS_V2, Genotypes.PC_DARTS)) {
            for (CellType cell : CellType.values()) check(g, cell);
        }
    }

    @Test
    void oddGenotypesStillDraw() throws Exception {
        // both genes of a node on the same input, a 'none' op, a chain 0 -> 1 -> 2 -> 3 and a short concat
        Genotype g = new Genotype(
                List.of(Gene.of("sep_conv_3x3", 0), Gene.of("dil_conv_5x5", 0), Gene.of("none", 2), Gene.of("skip_connect", 1),
                        Gene.of("avg_pool_3x3", 3), Gene.of("sep_conv_5x5", 0), Gene.of("max_pool_3x3", 4), Gene.of("dil_conv_3x3", 1)),
                List.of(5, 4),
                Genotypes.DARTS_V2.reduce(), List.of(2, 3, 4, 5));
        check(g, CellType.NORMAL);
        String dot = CellDiagram.dot(g, CellType.NORMAL);
        assertEquals(2, RunReportTest.count(dot, "-> \"c_{k}\""));
        assertTrue(dot.contains("style=dashed"), "none is dashed");
        assertTrue(CellDiagram.svg(g, CellType.NORMAL).contains("stroke-dasharray"));
    }

    static void check(Genotype g, CellType cell) throws Exception {
        String svg = CellDiagram.svg(g, cell);
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getNodeName());
        assertEquals(8 + g.concat(cell).size(), doc.getElementsByTagName("path").getLength() - 9, "8 op + concat paths (9 arrow heads)");
        for (Gene gene : g.genes(cell)) assertTrue(svg.contains(">" + gene.op().dartsName() + "<"), gene.toString());
        String dot = CellDiagram.dot(g, cell);
        assertEquals(8 + g.concat(cell).size(), RunReportTest.count(dot, "->"));
        for (Gene gene : g.genes(cell)) assertTrue(dot.contains("label=\"" + gene.op().dartsName() + "\""));
        assertTrue(dot.trim().endsWith("}"));
    }
}
