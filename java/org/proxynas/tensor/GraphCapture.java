package org.proxynas.tensor;

/**
 * An optional backend capability ({@link Backend#graphCapture()}): record the launches of a piece of work once and
 * replay them as one unit, which removes the per-launch host overhead of a step that repeats. The CUDA backend
 * offers it as CUDA graphs; a port to an accelerator with a similar mechanism (HIP graphs, ...) may offer it too.
 * Callers that find no capability run the same work eagerly, with the same results.
 */
public interface GraphCapture {
    /** What the graphs are called in messages, e.g. "CUDA graphs". */
    String name();

    /**
     * Records the launches and device-to-device copies body queues instead of running them. body may not allocate,
     * copy to or from the host or synchronise: that throws {@link RefusedException} naming what was attempted, and
     * nothing stays captured. Any other failure propagates as it is.
     */
    Graph capture(Runnable body);

    /** The kernels of a training step whose host values live in device memory, so that the step can be captured. */
    StepKernels stepKernels();

    /** Captured work: each {@link #replay()} queues all of it again, in order, with the arguments it was captured with. */
    interface Graph extends AutoCloseable {
        void replay();

        @Override
        void close();
    }

    /** The captured work did something a graph cannot hold (an allocation, a host copy, a synchronisation). */
    final class RefusedException extends RuntimeException {
        public RefusedException(String message, Throwable cause) { super(message, cause); }
    }
}
