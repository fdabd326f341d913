package org.proxynas.space;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON form of a genotype:
 * <pre>{"normal":[["sep_conv_3x3",0],...],"normal_concat":[2,3,4,5],"reduce":[...],"reduce_concat":[2,3,4,5]}</pre>
 * Other fields (metadata) are ignored on reading; every error names the source, the field and the element.
 */
public final class GenotypeJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private GenotypeJson() {}

    /** The genotype as a Jackson tree (fields in the order normal, normal_concat, reduce, reduce_concat). */
    public static ObjectNode toNode(Genotype g) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        for (CellType cell : CellType.values()) {
            ArrayNode genes = root.putArray(cell.key());
            for (Gene gene : g.genes(cell)) genes.addArray().add(gene.op().dartsName()).add(gene.input());
            ArrayNode concat = root.putArray(cell.key() + "_concat");
            for (int s : g.concat(cell)) concat.add(s);
        }
        return root;
    }

    /** Compact JSON text. */
    public static String write(Genotype g) {
        try {
            return MAPPER.writeValueAsString(toNode(g));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write genotype JSON", e);
        }
    }

    /** Reads JSON text; errors are reported against "genotype JSON". */
    public static Genotype parse(String json) { return parse(json, "genotype JSON"); }

    /** Reads JSON text; {@code source} (e.g. a file path) prefixes every error message. */
    public static Genotype parse(String json, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            // The location only: the parser's own message can quote its internals (source descriptions, markers).
            throw new GenotypeFormatException(source, "malformed JSON"
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr()) + "; expected a genotype object {\"normal\": [...], \"reduce\": [...], ...}", e);
        }
        return fromNode(root, source);
    }

    /** Reads a Jackson tree (e.g. a field of a larger document). */
    public static Genotype fromNode(JsonNode root, String source) {
        if (root == null || !root.isObject()) {
            throw new GenotypeFormatException(source, "expected a JSON object with fields normal, normal_concat, "
                    + "reduce, reduce_concat but found " + kind(root), null);
        }
        List<Gene> normal = genes(root, CellType.NORMAL, source);
        List<Integer> normalConcat = concat(root, CellType.NORMAL, source);
        List<Gene> reduce = genes(root, CellType.REDUCE, source);
        List<Integer> reduceConcat = concat(root, CellType.REDUCE, source);
        try {
            return new Genotype(normal, normalConcat, reduce, reduceConcat);
        } catch (IllegalArgumentException e) {
            throw new GenotypeFormatException(source, e.getMessage(), e);
        }
    }

    private static JsonNode field(JsonNode root, String name, String source) {
        JsonNode n = root.get(name);
        if (n == null || n.isNull()) throw new GenotypeFormatException(source, "missing field '" + name + "'", null);
        if (!n.isArray()) throw new GenotypeFormatException(source, "field '" + name + "' must be an array, found "
                + kind(n), null);
        return n;
    }

    private static List<Gene> genes(JsonNode root, CellType cell, String source) {
        String name = cell.key();
        JsonNode arr = field(root, name, source);
        if (arr.size() != Genotype.GENES_PER_CELL) {
            throw new GenotypeFormatException(source, "field '" + name + "': expected " + Genotype.GENES_PER_CELL
                    + " genes (2 per node), got " + arr.size(), null);
        }
        List<Gene> out = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            JsonNode g = arr.get(i);
            String where = "field '" + name + "'[" + i + "]";
            if (!g.isArray() || g.size() != 2) {
                throw new GenotypeFormatException(source, where + ": expected [\"op\", input] but found " + g, null);
            }
            if (!g.get(0).isTextual()) {
                throw new GenotypeFormatException(source, where + "[0]: expected an operation name but found "
                        + g.get(0), null);
            }
            if (!g.get(1).canConvertToExactIntegral() || !g.get(1).canConvertToInt()) {
                throw new GenotypeFormatException(source, where + "[1]: expected an integer input index but found "
                        + g.get(1), null);
            }
            Primitive op;
            try {
                op = Primitive.fromName(g.get(0).asText());
            } catch (IllegalArgumentException e) {
                throw new GenotypeFormatException(source, where + "[0]: " + e.getMessage(), e);
            }
            int input = g.get(1).asInt();
            if (input < 0) throw new GenotypeFormatException(source, where + "[1]: input " + input + " is negative", null);
            Gene gene = new Gene(op, input);
            try {
                Genotype.checkGene(cell, i, gene);
            } catch (IllegalArgumentException e) {
                throw new GenotypeFormatException(source, where + ": " + e.getMessage(), e);
            }
            out.add(gene);
        }
        return out;
    }

    private static List<Integer> concat(JsonNode root, CellType cell, String source) {
        String name = cell.key() + "_concat";
        JsonNode arr = field(root, name, source);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            JsonNode v = arr.get(i);
            if (!v.canConvertToExactIntegral() || !v.canConvertToInt()) {
                throw new GenotypeFormatException(source, "field '" + name + "'[" + i + "]: expected an integer state "
                        + "but found " + v, null);
            }
            out.add(v.asInt());
        }
        return out;
    }

    private static String kind(JsonNode n) {
        return n == null ? "nothing" : n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }
}
