package org.proxynas.tensor;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The frame every conformance suite shares: one backend per test class (the subclass's {@link #createBackend}),
 * opened before the first test and closed after the last, its kernels, and the helpers the suites have in common.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class KernelSuite implements ConformanceBackend {
    protected Backend backend;
    protected Kernels k;

    @BeforeAll
    void open() {
        backend = createBackend();
        k = backend.kernels();
    }

    @AfterAll
    void close() { backend.close(); }

    /** A tensor of standard normal values on the suite's backend. */
    protected Tensor randn(Random rnd, int... shape) { return GradCheck.randn(backend, rnd, shape); }

    /** The call is refused with an IllegalArgumentException whose message starts with the argument's name and a space. */
    protected static void assertRejected(String argument, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage() != null && e.getMessage().startsWith(argument + " "),
                "message should name " + argument + ": " + e.getMessage());
    }
}
