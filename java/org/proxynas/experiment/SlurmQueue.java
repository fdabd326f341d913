package org.proxynas.experiment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Slurm's view of submitted array jobs: sacct where accounting is enabled, else squeue (which knows jobs until
 * slurmctld forgets them, MinJobAge after they end). Array ranges such as 12_[2-4,7] are expanded per task.
 */
public final class SlurmQueue {
    private SlurmQueue() {}

    public static QueueView query(List<Submission> submissions) {
        Set<String> jobs = new LinkedHashSet<>();
        for (Submission s : submissions) jobs.add(s.jobId());
        if (jobs.isEmpty()) return QueueView.NONE;
        Shell.Result acct = Shell.run(List.of("sacct", "-n", "-P", "-X", "-j", String.join(",", jobs), "-o", "JobID,State"));
        if (acct.exit() == 0 && !acct.out().isBlank()) return new QueueView(parse(acct.out()), "sacct");
        Map<String, String> states = new HashMap<>();
        boolean any = false;
        // One job at a time: squeue rejects the whole query when one id is already forgotten.
        for (String job : jobs) {
            Shell.Result q = Shell.run(List.of("squeue", "-h", "-r", "-t", "all", "-j", job, "-o", "%i|%T"));
            if (q.exit() == 0) {
                any = true;
                states.putAll(parse(q.out()));
            }
        }
        return any ? new QueueView(states, "squeue; sacct: " + firstLine(acct.out())) : new QueueView(Map.of(), "no Slurm answer (" + firstLine(acct.out()) + ")");
    }

    /** Lines of "jobId_task|STATE" or "jobId_[a-b,c]|STATE"; a state such as "CANCELLED by 0" keeps its first word. */
    static Map<String, String> parse(String text) {
        Map<String, String> out = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.strip().split("\\|");
            if (f.length < 2 || !f[0].contains("_")) continue;
            String job = f[0].substring(0, f[0].indexOf('_')), tasks = f[0].substring(f[0].indexOf('_') + 1);
            String state = f[1].strip().split(" ")[0];
            for (int i : indices(tasks)) out.put(job + "_" + i, state);
        }
        return out;
    }

    private static List<Integer> indices(String spec) {
        List<Integer> out = new ArrayList<>();
        String s = spec.replace("[", "").replace("]", "");
        int pct = s.indexOf('%');
        if (pct >= 0) s = s.substring(0, pct);
        for (String part : s.split(",")) {
            if (part.isEmpty()) continue;
            try {
                if (part.contains("-")) {
                    int a = Integer.parseInt(part.substring(0, part.indexOf('-'))), b = Integer.parseInt(part.substring(part.indexOf('-') + 1));
                    for (int i = a; i <= b; i++) out.add(i);
                } else {
                    out.add(Integer.parseInt(part));
                }
            } catch (NumberFormatException e) {
                // not an array element (e.g. a step such as 12.batch): not ours
            }
        }
        return out;
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}
