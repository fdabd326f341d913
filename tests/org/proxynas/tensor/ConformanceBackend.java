package org.proxynas.tensor;

/**
 * Every conformance suite is an abstract class over this: a backend's test subclass names the backend, so the
 * CPU reference and later backends (CUDA, its CPU emulation) run the very same checks.
 */
public interface ConformanceBackend {
    /** A fresh backend for one test class; closed by the suite. */
    Backend createBackend();
}
