package org.proxynas.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Outcome checks for commands whose correct results are more than "exit 0 and a file" ({@link FuzzTarget.Judge}). */
final class Judges {
    private static final Pattern PREDICTION = Pattern.compile("(\\d+)\t(\\d+\\.\\d{4})\t(\\d+\\.\\d)");
    private static final Pattern SUMMARY = Pattern.compile("nb301 predict: (\\d+) bad line\\(s\\) of (\\d+) genotype line\\(s\\)");

    private Judges() {}

    /**
     * {@code nb301 predict}: exit 0 answers every genotype line; exit 1 (by design) answers the good lines and names
     * each bad one on stderr as FILE:N: reason, with a count; exit 2 is a named usage error. Every genotype line of
     * the file is either answered or named, never both; each answer is a finite accuracy in [0, 100] % and a
     * non-negative time.
     */
    static String nb301Predict(Cli.Outcome o, Path file) {
        if (o.code() == 2) return o.cleanError() ? null : "not a named error";
        if (o.code() != 0 && o.code() != 1) return "exit status is none of 0 (all answered), 1 (bad lines named), 2 (usage error)";
        Set<Integer> genotypeLines = new TreeSet<>();
        List<String> lines = text(file).lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String t = lines.get(i).strip();
            if (!t.isEmpty() && !t.startsWith("#")) genotypeLines.add(i + 1);
        }
        Set<Integer> answered = new TreeSet<>(), bad = new TreeSet<>();
        for (String line : o.out().lines().toList()) {
            Matcher m = PREDICTION.matcher(line);
            if (!m.matches()) return "stdout line '" + line + "' is not LINE<TAB>ACCURACY<TAB>SECONDS";
            double acc = Double.parseDouble(m.group(2));
            if (acc > 100) return "accuracy " + acc + " % above 100";
            if (!answered.add(Integer.parseInt(m.group(1)))) return "line " + m.group(1) + " answered twice";
        }
        int summaries = 0;
        for (String line : o.err().lines().toList()) {
            if (line.startsWith("backend: ")) continue;
            Matcher s = SUMMARY.matcher(line);
            if (s.matches()) {
                summaries++;
                if (Integer.parseInt(s.group(2)) != genotypeLines.size()) return "the count names " + s.group(2) + " genotype lines, the file has " + genotypeLines.size();
                continue;
            }
            String prefix = file + ":";
            if (!line.startsWith(prefix)) return "stderr line '" + line + "' names no line of " + file;
            String rest = line.substring(prefix.length());
            int colon = rest.indexOf(": ");
            if (colon < 1 || !rest.substring(0, colon).matches("\\d+") || rest.substring(colon + 2).isBlank()) {
                return "stderr line '" + line + "' is not FILE:N: reason";
            }
            bad.add(Integer.parseInt(rest.substring(0, colon)));
        }
        if ((o.code() == 1) != !bad.isEmpty()) return "exit " + o.code() + " with " + bad.size() + " bad line(s) named";
        if (summaries != (bad.isEmpty() ? 0 : 1)) return summaries + " count line(s) for " + bad.size() + " bad line(s)";
        Set<Integer> both = new TreeSet<>(answered);
        both.retainAll(bad);
        if (!both.isEmpty()) return "lines " + both + " both answered and named bad";
        Set<Integer> all = new TreeSet<>(answered);
        all.addAll(bad);
        if (!all.equals(genotypeLines)) return "answered " + answered + " and bad " + bad + " do not cover the genotype lines " + genotypeLines;
        return null;
    }

    /** {@code nb301 predict --model}: both (valid) genotypes answered, or a named error that names the model file. */
    static String nb301Model(Cli.Outcome o, Path genotypes, Path model) {
        if (o.code() == 2) {
            if (!o.cleanError()) return "not a named error";
            return o.err().contains(model.toString()) ? null : "the error does not name the model file " + model;
        }
        if (o.code() != 0) return "the genotypes are valid, so only exit 0 or 2 (a refused model) is correct";
        return nb301Predict(o, genotypes);
    }

    private static String text(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
