package org.proxynas.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.proxynas.rng.Rng;

class MutationTest {
    @Test
    void childDiffersInExactlyOneSlotAndParentIsUntouched() {
        Rng rng = new Rng(99);
        int opChanges = 0, inputChanges = 0;
        for (int i = 0; i < 1000; i++) {
            Genotype parent = i % 2 == 0 ? RandomArchitectures.genotype(rng) : Genotypes.PVLL_NAS;
            String before = parent.toDartsText();
            Genotype child = Mutation.mutate(parent, rng);
            assertEquals(before, parent.toDartsText(), "parent modified");
            assertNotEquals(parent, child);
            int diffs = 0;
            for (CellType cell : CellType.values()) {
                for (int slot = 0; slot < 8; slot++) {
                    Gene p = parent.gene(cell, slot), c = child.gene(cell, slot);
                    if (p.equals(c)) continue;
                    diffs++;
                    boolean op = p.op() != c.op(), in = p.input() != c.input();
                    assertTrue(op ^ in, "exactly one of op/input must change: " + p + " -> " + c);
                    if (op) opChanges++; else inputChanges++;
                    assertNotEquals(Primitive.NONE, c.op());
                    assertNotEquals(c.input(), child.gene(cell, slot ^ 1).input(), "inputs of a node stay distinct");
                }
            }
            assertEquals(1, diffs);
            assertEquals(parent.normalConcat(), child.normalConcat());
            assertEquals(child, GenotypeText.parse(child.toDartsText()));
        }
        assertTrue(opChanges > 300 && inputChanges > 200, opChanges + " op / " + inputChanges + " input changes");
    }

    @Test
    void mutationValueDescribesTheChange() {
        Rng rng = new Rng(5);
        Genotype parent = Genotypes.DARTS_V2;
        Mutation m = Mutation.random(parent, rng);
        Genotype child = m.apply(parent);
        assertEquals(m.before(), parent.gene(m.cell(), m.slot()));
        assertEquals(m.after(), child.gene(m.cell(), m.slot()));
        // applying to a genotype that does not hold 'before' is refused
        Genotype other = child;
        assertThrows(IllegalArgumentException.class, () -> m.apply(other));
        assertThrows(IllegalArgumentException.class, () -> new Mutation(CellType.NORMAL, 0, m.before(), m.before()));
    }

    @Test
    void sameSeedSameMutation() {
        Genotype p = Genotypes.PC_DARTS;
        assertEquals(Mutation.mutate(p, new Rng(12)), Mutation.mutate(p, new Rng(12)));
    }
}
