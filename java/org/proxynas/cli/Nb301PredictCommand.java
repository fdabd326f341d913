package org.proxynas.cli;

import org.proxynas.nb301.Nb301Encoding;
import org.proxynas.nb301.Nb301Surrogate;
import org.proxynas.nb301.Prediction;
import org.proxynas.onnx.OnnxProgram;
import org.proxynas.run.TextFiles;
import org.proxynas.space.Genotype;
import org.proxynas.space.GenotypeJson;
import org.proxynas.space.GenotypeText;
import org.proxynas.tensor.Backend;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code proxynas nb301 predict --genotypes FILE}: surrogate predictions for a file of genotypes. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Predict the CIFAR-10 validation accuracy and training time of each genotype in a file with the "
                + "NAS-Bench-301 surrogate.",
                "FILE holds one genotype a line, as DARTS text (Genotype(normal=[...], ...)) or the project's genotype "
                        + "JSON; blank lines and lines starting with '#' are skipped.",
                "Prints one line per genotype, in file order: line number, predicted validation accuracy in percent, "
                        + "predicted training time in seconds up to --epoch, tab-separated.",
                "A line that is not a genotype, or a genotype NAS-Bench-301 cannot represent (two genes of a node "
                        + "reading the same state, op 'none', concat other than [2, 3, 4, 5]), is reported on stderr "
                        + "with its line number; the other lines are still answered.",
                "--model FILE runs another export of the surrogate; a model that cannot be read, is damaged or does not fit "
                        + "(inputs, outputs, shapes) is a usage error naming the file and what is wrong.",
                "Exit status: 0 when every line was answered, 1 when some line was bad, 2 on a usage error."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:every genotype predicted", "1:some line was bad (reported on stderr)", "2:usage error"})
public final class Nb301PredictCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--genotypes", required = true, paramLabel = "FILE", description = "File with one genotype a line.")
    Path file;

    @Option(names = "--model", paramLabel = "FILE",
            description = "An ONNX export of the NAS-Bench-301 surrogate with the same inputs, outputs and category encoding "
                    + "(default: the model shipped in the jar).")
    Path model;

    @Option(names = "--epoch", paramLabel = "E", defaultValue = "98",
            description = "Training epoch (fidelity) to predict at, 1..98, fractions allowed (default: ${DEFAULT-VALUE}, full training).")
    double epoch = Nb301Surrogate.FULL_EPOCH;

    @Mixin BackendOption backend = new BackendOption();

    private record Entry(int line, Genotype genotype) {}

    @Override
    public Integer call() {
        if (!(epoch >= Nb301Surrogate.MIN_EPOCH && epoch <= Nb301Surrogate.FULL_EPOCH)) {
            throw new UserError("--epoch must be between " + (int) Nb301Surrogate.MIN_EPOCH + " and "
                    + (int) Nb301Surrogate.FULL_EPOCH + " (NAS-Bench-301's training epochs), got " + epoch);
        }
        if (!Files.isRegularFile(file)) {
            throw new UserError("--genotypes " + file + ": " + (Files.exists(file) ? "not a regular file" : "no such file"));
        }
        List<String> lines = TextFiles.read(file, "one genotype a line").lines().toList();
        backend.checkSupported();
        OnnxProgram program = model == null ? null : readModel(model);
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        List<Entry> entries = new ArrayList<>();
        int bad = 0;
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i).strip();
            if (text.isEmpty() || text.startsWith("#")) continue;
            String source = file + " line " + (i + 1);
            try {
                Genotype g = text.startsWith("{") ? GenotypeJson.parse(text, source) : GenotypeText.parse(text, source);
                Nb301Encoding.encode(g); // rejects what NB301 cannot represent, before the batch runs
                entries.add(new Entry(i + 1, g));
            } catch (IllegalArgumentException e) {
                bad++;
                err.println(file + ":" + (i + 1) + ": " + reason(e.getMessage(), source));
            }
        }
        if (!entries.isEmpty()) {
            try (Backend b = backend.create(); Nb301Surrogate surrogate = program == null ? Nb301Surrogate.load(b) : Nb301Surrogate.load(b, program)) {
                Prediction[] p = surrogate.predict(entries.stream().map(Entry::genotype).toList(), epoch);
                for (int i = 0; i < p.length; i++) {
                    out.printf(Locale.ROOT, "%d\t%.4f\t%.1f%n", entries.get(i).line(), 100 * p[i].accuracy(),
                            p[i].runtimeSeconds());
                }
            }
        }
        out.flush();
        if (bad > 0) err.println("nb301 predict: " + bad + " bad line(s) of " + (bad + entries.size()) + " genotype line(s)");
        err.flush();
        return bad > 0 ? 1 : 0;
    }

    /** The --model file, read and checked before any genotype is answered. */
    private static OnnxProgram readModel(Path model) {
        if (!Files.isRegularFile(model)) {
            throw new UserError("--model " + model + ": " + (Files.exists(model) ? "not a regular file" : "no such file")
                    + "; expected an ONNX export of the NAS-Bench-301 surrogate");
        }
        return Nb301Surrogate.readModel(model);
    }

    /** Parser messages start with the source; the line is already named in front. */
    private static String reason(String message, String source) {
        String m = message == null ? "invalid genotype" : message;
        return m.startsWith(source) ? m.substring(source.length()).replaceFirst("^[:,]?\\s*", "") : m;
    }
}
