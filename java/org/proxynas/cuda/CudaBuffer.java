package org.proxynas.cuda;

import org.proxynas.tensor.DeviceBuffer;

/** Device memory of the CUDA backend: a pooled block of at least capacity floats at a device address. */
final class CudaBuffer implements DeviceBuffer {
    final CudaBackend owner;
    final long address;
    private final long capacity;

    CudaBuffer(CudaBackend owner, long address, long capacity) {
        this.owner = owner;
        this.address = address;
        this.capacity = capacity;
    }

    @Override public long capacity() { return capacity; }
}
