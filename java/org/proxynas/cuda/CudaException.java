package org.proxynas.cuda;

/** A failed CUDA driver call or emulated launch; the message names the call and the driver's error string. */
public final class CudaException extends RuntimeException {
    private final int code;

    public CudaException(String call, int code, String errorString) {
        super(call + " failed: CUresult " + code + (errorString == null ? "" : " (" + errorString + ")"));
        this.code = code;
    }

    public CudaException(String message, Throwable cause) {
        super(message, cause);
        this.code = -1;
    }

    /** Whether a graph capture refused or was invalidated by an operation it cannot hold (CUresult 900 or 901). */
    public boolean refusedByCapture() {
        return code == CaptureState.CAPTURE_UNSUPPORTED || code == CaptureState.CAPTURE_INVALIDATED;
    }

    /** The CUresult (or the emulation's return code); -1 when the failure was not a return code. */
    public int code() { return code; }
}
