package org.proxynas.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GenotypeJsonTest {
    private static final String DARTS_V2_JSON = "{\"normal\":[[\"sep_conv_3x3\",0],[\"sep_conv_3x3\",1],"
            + "[\"sep_conv_3x3\",0],[\"sep_conv_3x3\",1],[\"sep_conv_3x3\",1],[\"skip_connect\",0],[\"skip_connect\",0],"
            + "[\"dil_conv_3x3\",2]],\"normal_concat\":[2,3,4,5],\"reduce\":[[\"max_pool_3x3\",0],[\"max_pool_3x3\",1],"
            + "[\"skip_connect\",2],[\"max_pool_3x3\",1],[\"max_pool_3x3\",0],[\"skip_connect\",2],[\"skip_connect\",2],"
            + "[\"max_pool_3x3\",1]],\"reduce_concat\":[2,3,4,5]}";

    @Test
    void dartsV2JsonIsExact() {
        assertEquals(DARTS_V2_JSON, GenotypeJson.write(Genotypes.DARTS_V2));
        assertEquals(DARTS_V2_JSON, Genotypes.DARTS_V2.toJson());
    }

    @Test
    void roundTripAllBuiltins() {
        for (var e : Genotypes.builtins().entrySet()) {
            String json = GenotypeJson.write(e.getValue());
            assertEquals(e.getValue(), GenotypeJson.parse(json), e.getKey());
        }
    }

    @Test
    void acceptsWhitespaceAndExtraFields() {
        String json = DARTS_V2_JSON.replace(",", ",\n  ").replace("{", "{ \"name\": \"darts\", ");
        assertEquals(Genotypes.DARTS_V2, GenotypeJson.parse(json));
    }

    @Test
    void missingFieldIsNamed() {
        String json = DARTS_V2_JSON.replace(",\"reduce_concat\":[2,3,4,5]", "");
        GenotypeFormatException e = assertThrows(GenotypeFormatException.class, () -> GenotypeJson.parse(json));
        assertTrue(e.getMessage().contains("missing field 'reduce_concat'"), e.getMessage());
    }

    @Test
    void unknownOpAndBadInputAreNamed() {
        String unknown = DARTS_V2_JSON.replaceFirst("dil_conv_3x3", "dil_conv_9x9");
        GenotypeFormatException e = assertThrows(GenotypeFormatException.class, () -> GenotypeJson.parse(unknown));
        assertTrue(e.getMessage().contains("'dil_conv_9x9'"), e.getMessage());
        assertTrue(e.getMessage().contains("'normal'[7]"), e.getMessage());

        String range = DARTS_V2_JSON.replace("[\"dil_conv_3x3\",2]", "[\"dil_conv_3x3\",5]");
        GenotypeFormatException r = assertThrows(GenotypeFormatException.class, () -> GenotypeJson.parse(range));
        assertTrue(r.getMessage().contains("normal cell, node 3") && r.getMessage().contains("input 5"), r.getMessage());

        String notInt = DARTS_V2_JSON.replace("[\"dil_conv_3x3\",2]", "[\"dil_conv_3x3\",\"2\"]");
        GenotypeFormatException n = assertThrows(GenotypeFormatException.class, () -> GenotypeJson.parse(notInt));
        assertTrue(n.getMessage().contains("'normal'[7][1]"), n.getMessage());
    }

    @Test
    void malformedJsonIsReported() {
        GenotypeFormatException e = assertThrows(GenotypeFormatException.class, () -> GenotypeJson.parse("{\"normal\": [}"));
        assertTrue(e.getMessage().contains("malformed JSON"), e.getMessage());
        GenotypeFormatException a = assertThrows(GenotypeFormatException.class, () -> GenotypeJson.parse("[1, 2]"));
        assertTrue(a.getMessage().contains("expected a JSON object"), a.getMessage());
    }
}
