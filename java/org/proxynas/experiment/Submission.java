package org.proxynas.experiment;

import java.util.List;

/** One scheduler submission of some of a stage's tasks ("collect" for the collect job, which has no indices). */
public record Submission(String stage, String jobId, List<Integer> indices) {}
