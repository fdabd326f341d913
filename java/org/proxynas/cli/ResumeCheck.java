package org.proxynas.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.proxynas.run.Checkpoint;
import org.proxynas.run.RunIdentity;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What --resume accepts. A resume continues the run its config.json describes: options that would change the run
 * are refused (named), the safe overrides ({@link #SAFE}) are accepted and listed; the checkpoint must carry the
 * run's id, and config.json must still hash to the configuration the run started with.
 */
final class ResumeCheck {
    /** Options that change how a run computes, not what: accepted with --resume. */
    static final List<String> SAFE = List.of("--threads", "--backend", "--device", "--checkpoint-every");

    private ResumeCheck() {}

    /** The safe overrides given on the command line (as "--name value"); any other option besides --resume is refused. */
    static List<String> overrides(CommandSpec spec, Path dir) {
        List<String> refused = new ArrayList<>(), accepted = new ArrayList<>();
        for (OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
            String name = o.longestName();
            if (name.equals("--resume")) continue;
            if (SAFE.contains(name)) accepted.add(name + " " + String.join(" ", o.stringValues()));
            else refused.add(name);
        }
        if (!refused.isEmpty()) {
            throw new UserError("--resume " + dir + " continues the run as its config.json describes; " + String.join(", ", refused)
                    + (refused.size() == 1 ? " would change it" : " would change it") + " (refused). With --resume only "
                    + String.join(", ", SAFE) + " may be given; start a new run (--out) for other settings");
        }
        return accepted;
    }

    /**
     * Checks that config.json still hashes to its recorded value and that the checkpoint belongs to this run with
     * this configuration. {@code content} is the identity part of config.json. Returns a note for runs made before
     * run ids existed (resumed without the check), else null.
     */
    static String identity(Path dir, ObjectNode configJson, ObjectNode content, Checkpoint checkpoint, Path checkpointFile, Path configFile) {
        JsonNode runId = configJson.get(RunIdentity.RUN_ID);
        if (runId == null) return configFile + " has no run id (a run from an older proxynas): resumed without checking that the checkpoint is its own";
        String hash = RunIdentity.hash(content);
        JsonNode ckId = checkpoint.header().get(RunIdentity.RUN_ID);
        if (ckId == null || !ckId.asText().equals(runId.asText())) {
            throw new UserError(checkpointFile + " belongs to " + (ckId == null ? "no recorded run" : "run " + ckId.asText())
                    + ", but " + configFile + " is run " + runId.asText() + ": a checkpoint from another run cannot be resumed here;"
                    + " restore this run's own checkpoint or start a new run");
        }
        String ckHash = checkpoint.header().path(RunIdentity.CONFIG_HASH).asText();
        String recorded = configJson.path(RunIdentity.CONFIG_HASH).asText();
        if (!hash.equals(ckHash) || !hash.equals(recorded)) {
            List<String> diffs = RunIdentity.differences(checkpoint.header().path(RunIdentity.CONFIG), content);
            throw new UserError(configFile + " was edited after the run started (its configuration no longer has the hash "
                    + "recorded in the run's checkpoint)" + (diffs.isEmpty() ? "" : ": " + String.join("; ", diffs))
                    + ". Undo the edit to resume, or start a new run with the new settings");
        }
        return null;
    }
}
