package org.proxynas.nb301;

import org.proxynas.space.Gene;
import org.proxynas.space.Genotype;
import org.proxynas.space.Primitive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The golden-value file {@code tests/resources/org/proxynas/nb301/ort-golden.tsv}: one row per (genotype, epoch) with
 * the four outputs ONNX Runtime computed for it. Columns, tab-separated: epoch, normal genes, reduce genes, then the
 * four outputs; genes are {@code short:input} ({@link Primitive#shortName()}), comma-separated, concat [2, 3, 4, 5].
 * Outputs are written with {@link Float#toString} (exact fp32 round trip). Lines starting with '#' are comments.
 */
record Nb301GoldenFile(List<Row> rows) {
    static final String RESOURCE = "/org/proxynas/nb301/ort-golden.tsv";

    record Row(double epoch, Genotype genotype, float[] outputs) {}

    static Nb301GoldenFile load() throws IOException {
        try (InputStream in = Nb301GoldenFile.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IOException("test resource " + RESOURCE + " missing");
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    static Nb301GoldenFile parse(String text) {
        List<Row> rows = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split("\t");
            if (f.length != 7) throw new IllegalArgumentException(RESOURCE + ": expected 7 columns: " + line);
            float[] out = new float[4];
            for (int i = 0; i < 4; i++) out[i] = Float.parseFloat(f[3 + i]);
            rows.add(new Row(Double.parseDouble(f[0]), Genotype.of(genes(f[1]), genes(f[2])), out));
        }
        return new Nb301GoldenFile(rows);
    }

    static String format(List<Row> rows, String header) {
        StringBuilder sb = new StringBuilder(header);
        for (Row r : rows) {
            sb.append(r.epoch()).append('\t').append(genes(r.genotype().normal())).append('\t')
                    .append(genes(r.genotype().reduce()));
            for (float v : r.outputs()) sb.append('\t').append(v);
            sb.append('\n');
        }
        return sb.toString();
    }

    private static List<Gene> genes(String field) {
        List<Gene> genes = new ArrayList<>();
        for (String g : field.split(",")) {
            String[] p = g.split(":");
            genes.add(new Gene(Primitive.fromShortName(p[0]), Integer.parseInt(p[1])));
        }
        return genes;
    }

    private static String genes(List<Gene> genes) {
        List<String> parts = new ArrayList<>();
        for (Gene g : genes) parts.add(g.op().shortName() + ":" + g.input());
        return String.join(",", parts);
    }
}
