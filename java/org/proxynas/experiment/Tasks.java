package org.proxynas.experiment;

import java.util.ArrayList;
import java.util.List;

/** Expands a plan's stages into numbered tasks: the order is fixed by the plan, so an index always means one task. */
public final class Tasks {
    private Tasks() {}

    /** Search task index = method position x seeds + seed position. */
    public static List<Task> search(Plan plan) {
        List<Task> out = new ArrayList<>();
        for (String m : plan.search().methods()) {
            for (long seed : plan.search().seeds()) out.add(new Task(Stage.SEARCH, out.size(), m, seed, 0, plan.search().options()));
        }
        return out;
    }

    /** Retraining task index = (method position x top + rank - 1) x seeds + seed position. */
    public static List<Task> retrain(Plan plan) {
        List<Task> out = new ArrayList<>();
        if (!plan.hasRetrain()) return out;
        for (String m : plan.search().methods()) {
            for (int rank = 1; rank <= plan.retrain().top(); rank++) {
                for (long seed : plan.retrain().seeds()) out.add(new Task(Stage.RETRAIN, out.size(), m, seed, rank, plan.retrain().options()));
            }
        }
        return out;
    }

    public static List<Task> of(Plan plan, Stage stage) { return stage == Stage.SEARCH ? search(plan) : retrain(plan); }

    public static Task get(Plan plan, Stage stage, int index) {
        List<Task> all = of(plan, stage);
        if (index < 0 || index >= all.size()) {
            throw new PlanException("stage " + stage.dirName() + " has tasks 0.." + (all.size() - 1) + ", not " + index);
        }
        return all.get(index);
    }
}
