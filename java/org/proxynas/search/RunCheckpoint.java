package org.proxynas.search;

import org.proxynas.run.Checkpoint;

/**
 * What every resumable run in a {@link RunContext} puts in and takes back from its checkpoint.bin: the header's
 * format, the elapsed time and the length of metrics.jsonl (records after it are cut on resume), the run identity,
 * and the weight side of the supernet ({@link PathEvaluator#save}). Search methods and the standalone label
 * diagnostic add their own state.
 */
final class RunCheckpoint {
    private RunCheckpoint() {}

    /** A checkpoint of format holding the run's shared part; the caller adds its state and writes it. */
    static Checkpoint create(String format, RunContext ctx, PathEvaluator runner) {
        Checkpoint c = new Checkpoint();
        c.header().put("format", format);
        c.header().put("elapsed_s", ctx.elapsed());
        c.header().put("metrics_bytes", ctx.metricsBytes());
        if (ctx.identity() != null) ctx.identity().stamp(c);
        runner.save(c);
        return c;
    }

    /** The run's checkpoint, refused unless its header has format (what names the kind of run in the message). */
    static Checkpoint read(RunContext ctx, String format, String what) {
        Checkpoint c = Checkpoint.read(ctx.checkpointFile());
        if (!format.equals(c.header().path("format").asText())) {
            throw new Checkpoint.CheckpointException(ctx.checkpointFile() + " is not a " + what + " checkpoint (header field 'format' is '"
                    + c.header().path("format").asText() + "', expected '" + format + "')");
        }
        return c;
    }

    /** Puts the shared part back: the supernet, the elapsed time, metrics.jsonl cut to the checkpoint's length. */
    static void restore(Checkpoint c, RunContext ctx, PathEvaluator runner) {
        runner.load(c);
        ctx.setElapsedBefore(c.field("elapsed_s").asDouble());
        ctx.truncateMetrics(c.field("metrics_bytes").asLong());
    }
}
