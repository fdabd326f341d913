package org.proxynas.space;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SampledPathTest {
    @Test
    void torchPeerSeed0Sample() {
        // benchmarks/torch_peer.py (single_path_sample): the PyTorch peer's seed-0 single path, as primitive indices
        int[] kNormal = {7, 1, 5, 2, 5, 6, 3, 4, 5, 3, 1, 4, 4, 7};
        int[] kReduce = {1, 3, 6, 6, 2, 4, 7, 4, 2, 6, 5, 7, 0, 5};
        SampledPath p = SampledPath.of(kNormal, kReduce);
        assertEquals(p, SampledPath.TORCH_PEER_SEED0);
        assertArrayEquals(kNormal, p.opIndices(CellType.NORMAL));
        assertArrayEquals(kReduce, p.opIndices(CellType.REDUCE));
        assertEquals("dil5 max sep5 avg sep5 dil3 skip sep3 sep5 skip max sep3 sep3 dil5", p.shortNames(CellType.NORMAL));
        assertEquals(Primitive.NONE, p.op(CellType.REDUCE, 12));
        assertEquals(1f, p.weight(CellType.REDUCE, 12));
    }

    @Test
    void fromGenotypePutsGenesOnTheirEdges() {
        SampledPath p = SampledPath.fromGenotype(Genotypes.DARTS_V2);
        // DARTS_V2 normal: n0 sep3(0) sep3(1) | n1 sep3(0) sep3(1) | n2 sep3(1) skip(0) | n3 skip(0) dil3(2)
        int[] expected = {4, 4, 4, 4, 0, 3, 4, 0, 0, 3, 0, 6, 0, 0};
        assertArrayEquals(expected, p.opIndices(CellType.NORMAL));
        assertEquals(0f, p.weight(CellType.NORMAL, 4));
        assertEquals(1f, p.weight(CellType.NORMAL, 11));
        Genotype dup = Genotypes.DARTS_V2.withGene(CellType.NORMAL, 1, Gene.of("skip_connect", 0));
        assertThrows(IllegalArgumentException.class, () -> SampledPath.fromGenotype(dup));
    }

    @Test
    void validatesInput() {
        int[] ok = new int[14];
        assertThrows(IllegalArgumentException.class, () -> SampledPath.of(new int[13], ok));
        int[] bad = new int[14];
        bad[3] = 8;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SampledPath.of(ok, bad));
        assertTrue(e.getMessage().contains("reduce edge 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SampledPath.fromShortNames("max", "max"));
    }
}
