package org.proxynas.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PrimitiveTest {
    @Test
    void dartsOrderAndNames() {
        List<String> expected = List.of("none", "max_pool_3x3", "avg_pool_3x3", "skip_connect", "sep_conv_3x3",
                "sep_conv_5x5", "dil_conv_3x3", "dil_conv_5x5");
        assertEquals(expected.size(), Primitive.COUNT);
        assertEquals(Primitive.COUNT, Primitive.values().length);
        for (int i = 0; i < expected.size(); i++) {
            Primitive p = Primitive.fromIndex(i);
            assertEquals(expected.get(i), p.dartsName());
            assertEquals(i, p.index());
            assertEquals(p, Primitive.fromName(expected.get(i)));
            assertEquals(p, Primitive.fromShortName(p.shortName()));
        }
        assertEquals(7, Primitive.nonNone().size());
        assertFalse(Primitive.nonNone().contains(Primitive.NONE));
        assertEquals(Primitive.MAX_POOL_3X3, Primitive.nonNone().get(0));
    }

    @Test
    void unknownNameNamesTokenAndValidNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Primitive.fromName("conv_7x7"));
        assertTrue(e.getMessage().contains("'conv_7x7'"), e.getMessage());
        assertTrue(e.getMessage().contains("sep_conv_3x3") && e.getMessage().contains("dil_conv_5x5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Primitive.fromName("SEP_CONV_3X3"));
        assertThrows(IllegalArgumentException.class, () -> Primitive.fromIndex(8));
        assertThrows(IllegalArgumentException.class, () -> Primitive.fromIndex(-1));
    }
}
