package org.proxynas.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.proxynas.run.JsonFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The losses a judge has measured so far, kept in a file beside its verdicts (docs/formats.md#judge-progress) so a
 * judge that was stopped starts again where it was. A genotype's loss depends only on the judging supernet, the run's
 * configuration and the learning rate (every measurement starts from the same snapshot), so the file is keyed by
 * those three and by nothing else; a file written for another key is not used.
 */
public final class JudgeProgress implements SupernetJudge.Memo {
    public static final String FORMAT = "proxynas-judge-progress";

    private final Path file;
    private final ObjectNode key;
    private final Map<String, Double> losses = new LinkedHashMap<>();

    private JudgeProgress(Path file, ObjectNode key) {
        this.file = file;
        this.key = key;
    }

    /**
     * Opens the progress file for this key: its losses when it was written for the same key, else none (saying why
     * on log). A torn or foreign file is reported and replaced, never trusted.
     */
    public static JudgeProgress open(Path file, Path supernetFile, String configHash, float lr, PrintStream log) {
        ObjectNode key = JsonFiles.mapper().createObjectNode();
        key.put("format", FORMAT);
        key.put("supernet_sha256", sha256(supernetFile));
        key.put("config_sha256", configHash);
        key.put("lr", (double) lr); // as read back: a double
        JudgeProgress p = new JudgeProgress(file, key);
        if (!Files.exists(file)) return p;
        try {
            JsonNode saved = JsonFiles.read(file);
            for (String k : new String[] {"format", "supernet_sha256", "config_sha256", "lr"}) {
                // lr is a float: any text of it that reads back as the same float is the same lr
                boolean same = k.equals("lr") ? saved.path(k).isNumber() && (float) saved.get(k).asDouble() == lr : key.get(k).equals(saved.get(k));
                if (!same) {
                    log.println("judge: " + file + " was written for another " + k.replace('_', ' ') + "; starting over");
                    return p;
                }
            }
            JsonNode l = saved.get("losses");
            if (l == null || !l.isObject()) throw new IllegalArgumentException(file + ": field 'losses' is not an object");
            for (Map.Entry<String, JsonNode> e : l.properties()) {
                if (!e.getValue().isNumber()) throw new IllegalArgumentException(file + ": the loss of " + e.getKey() + " is not a number");
                p.losses.put(e.getKey(), e.getValue().asDouble());
            }
            log.println("judge: resuming from " + file + ": " + p.losses.size() + " genotypes already scored");
        } catch (IllegalArgumentException e) {
            p.losses.clear();
            log.println("judge: " + e.getMessage() + "; starting over");
        }
        return p;
    }

    @Override
    public OptionalDouble get(String genotype) {
        Double l = losses.get(genotype);
        return l == null ? OptionalDouble.empty() : OptionalDouble.of(l);
    }

    /** Records a loss and rewrites the file atomically. */
    @Override
    public void put(String genotype, double loss) {
        losses.put(genotype, loss);
        ObjectNode out = key.deepCopy();
        out.set("losses", JsonFiles.mapper().valueToTree(losses));
        JsonFiles.write(file, out);
    }

    /** Removes the file once the verdicts are written. */
    public void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + file + ": " + e.getMessage(), e);
        }
    }

    /** SHA-256 (hex) of a file's bytes. */
    static String sha256(Path f) {
        try (InputStream in = Files.newInputStream(f)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
