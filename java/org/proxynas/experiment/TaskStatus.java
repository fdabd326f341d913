package org.proxynas.experiment;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/** A task's state with what it rests on (the run directory, or the scheduler's word and which tool gave it). */
public record TaskStatus(Task task, TaskState state, String detail) {

    /**
     * Each task of the experiment: its run directory decides DONE; otherwise the scheduler's state of its latest
     * submission (empty queue: no scheduler, or the job is forgotten) decides; otherwise the directory's presence.
     */
    public static List<TaskStatus> of(ExperimentDir exp, QueueView queue) {
        List<TaskStatus> out = new ArrayList<>();
        for (Stage s : Stage.values()) {
            for (Task t : exp.tasks(s)) out.add(of(exp, t, queue));
        }
        return out;
    }

    static TaskStatus of(ExperimentDir exp, Task t, QueueView queue) {
        boolean done = t.stage() == Stage.SEARCH ? SearchFigures.read(t.out(exp.dir())) != null : TrainFigures.read(t.out(exp.dir())) != null;
        if (done) return new TaskStatus(t, TaskState.DONE, "result in " + exp.dir().relativize(t.out(exp.dir())));
        Submission sub = exp.submissionOf(t);
        String job = sub == null ? null : sub.jobId() + "_" + t.index();
        String state = job == null ? null : queue.states().get(job);
        if (state != null) {
            String word = job + " " + state + " (" + queue.source() + ")";
            return switch (state) {
                case "PENDING", "CONFIGURING", "REQUEUED", "RESV_DEL_HOLD", "REQUEUE_HOLD", "REQUEUE_FED", "SUSPENDED" -> new TaskStatus(t, TaskState.PENDING, word);
                case "RUNNING", "COMPLETING", "STAGE_OUT", "SIGNALING" -> new TaskStatus(t, TaskState.RUNNING, word);
                default -> new TaskStatus(t, TaskState.FAILED, word + ", no result");
            };
        }
        if (Files.isDirectory(t.out(exp.dir()))) {
            return new TaskStatus(t, TaskState.INCOMPLETE, "run directory without a result" + (job == null ? "" : "; " + job + " unknown to " + queue.source()));
        }
        return new TaskStatus(t, TaskState.MISSING, job == null ? "never submitted" : "no run directory; " + job + " unknown to " + queue.source());
    }
}
