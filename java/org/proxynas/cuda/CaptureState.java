package org.proxynas.cuda;

/**
 * Whether a launcher is capturing, and the first operation that broke the capture. Operations a stream capture
 * cannot hold (allocation, host copies, synchronisation) are refused here with a message naming them, on the
 * driver before the call is made, so the emulation and the GPU fail the same way.
 */
final class CaptureState {
    /** CUDA_ERROR_STREAM_CAPTURE_INVALIDATED: what cuStreamEndCapture returns after an unsupported call. */
    static final int CAPTURE_INVALIDATED = 901;
    /** CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED: what the unsupported call itself returns during a capture. */
    static final int CAPTURE_UNSUPPORTED = 900;

    private volatile boolean active;
    private String brokenBy;

    boolean active() { return active; }

    synchronized void begin() {
        if (active) throw new IllegalStateException("beginCapture: a capture is already in progress");
        active = true;
        brokenBy = null;
    }

    /** Throws (and marks the capture broken) when capturing; operation names what was attempted. */
    synchronized void refuse(String operation) {
        if (!active) return;
        if (brokenBy == null) brokenBy = operation;
        throw refusal(operation);
    }

    /** The exception for an operation a capture cannot hold. */
    static CudaException refusal(String operation) {
        return new CudaException(operation + " during CUDA graph capture", CAPTURE_UNSUPPORTED,
                "a captured step may only launch kernels and copy device to device: allocate, upload and read back"
                        + " outside the capture, and keep values that change between replays in device memory");
    }

    /** Leaves capture mode; throws when the capture was broken. */
    synchronized void end() {
        if (!active) throw new IllegalStateException("endCapture without beginCapture");
        active = false;
        if (brokenBy != null) {
            throw new CudaException("endCapture", CAPTURE_INVALIDATED, "the capture was invalidated by " + brokenBy);
        }
    }
}
