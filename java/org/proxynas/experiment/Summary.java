package org.proxynas.experiment;

import java.util.List;

/**
 * summary.json: per method, the searches' own figures over seeds and the retrained test accuracy of every
 * candidate with its seeds, the winner, and the tasks without a result. Wall-clock times are left out (they are in
 * the report), so two runs of one plan on the CPU backend give equal summaries.
 */
public record Summary(String format, int version, String experiment, int tasks, int done, List<Unfinished> unfinished,
                      List<MethodSummary> methods) {
    public static final String FORMAT = "proxynas-experiment-summary";

    public record Unfinished(String task, String method, long seed, TaskState state) {}

    public record SearchRun(int task, long seed, double bestValLoss, double finalValLoss, double finalValAcc, Double heldoutTau, String genotype) {}

    public record RetrainRun(int task, long seed, double testAccuracy, double testLoss, long parameters) {}

    public record Candidate(int rank, int searchTask, long searchSeed, String genotype, List<RetrainRun> runs, Spread testAccuracy) {}

    public record MethodSummary(String method, List<SearchRun> searches, Spread bestValLoss, Spread finalValLoss, Spread finalValAcc,
                                List<Candidate> candidates, Candidate winner) {}
}
