package org.proxynas.cpu;

import org.proxynas.tensor.DeviceBuffer;

/** Host memory of the CPU backend: a plain float array. */
record CpuBuffer(float[] data) implements DeviceBuffer {
    @Override
    public long capacity() { return data.length; }
}
