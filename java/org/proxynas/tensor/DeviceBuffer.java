package org.proxynas.tensor;

/** Backend-owned storage of fp32 elements. Opaque above the backend. */
public interface DeviceBuffer {
    /** How many floats the buffer holds. */
    long capacity();
}
