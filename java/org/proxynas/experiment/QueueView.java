package org.proxynas.experiment;

import java.util.Map;

/** The scheduler's word on array tasks: state by "jobId_index", and the tool it came from (sacct, squeue, none). */
public record QueueView(Map<String, String> states, String source) {
    public static final QueueView NONE = new QueueView(Map.of(), "no scheduler");

    public QueueView { states = Map.copyOf(states); }
}
