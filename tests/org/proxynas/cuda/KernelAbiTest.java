package org.proxynas.cuda;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.*;

/** The kernel ABI table's format and the argument packing both launchers share (no library or GPU needed). */
class KernelAbiTest {
    private static final KernelAbi ABI = KernelAbi.parse("k 128 ptr,i32,i64,f32,f64\nnone 1 -\n", "test table");

    @Test
    void packsEachArgumentAtItsDeclaredWidth() {
        try (ArgPacker packer = new ArgPacker()) {
            MemorySegment params = packer.pack(ABI.kernel("k"), new Object[]{new Launcher.Ptr(0x1234_5678_9ABCL), -7,
                    (1L << 40) + 3, 1.5f, -2.25});
            MemorySegment[] slot = new MemorySegment[5];
            for (int i = 0; i < 5; i++) slot[i] = params.getAtIndex(ValueLayout.ADDRESS, i).reinterpret(8);
            assertEquals(0x1234_5678_9ABCL, slot[0].get(ValueLayout.JAVA_LONG, 0));
            assertEquals(-7, slot[1].get(ValueLayout.JAVA_INT, 0));
            assertEquals((1L << 40) + 3, slot[2].get(ValueLayout.JAVA_LONG, 0));
            assertEquals(1.5f, slot[3].get(ValueLayout.JAVA_FLOAT, 0));
            assertEquals(-2.25, slot[4].get(ValueLayout.JAVA_DOUBLE, 0));
            assertSame(params, packer.pack(ABI.kernel("none"), new Object[0]), "one reused buffer: no allocation per launch");
        }
    }

    @Test
    void aMistypedOrMissingArgumentIsAnErrorNamingTheParameter() {
        try (ArgPacker packer = new ArgPacker()) {
            KernelAbi.Kernel k = ABI.kernel("k");
            Launcher.Ptr p = new Launcher.Ptr(8);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> packer.pack(k, new Object[]{p, -7, 3, 1.5f, 2.0}));  // an int where long long is declared
            assertTrue(e.getMessage().contains("k: parameter 3 is long long (Long in Java), got Integer 3"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> packer.pack(k, new Object[]{p, 7L, 3L, 1.5f, 2.0}));
            assertTrue(e.getMessage().contains("parameter 2 is int"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> packer.pack(k, new Object[]{p, 1, 3L, 1.5f}));
            assertTrue(e.getMessage().contains("k takes 5 arguments"), e.getMessage());
        }
    }

    @Test
    void aMalformedTableNamesItsLine() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> KernelAbi.parse("a 32 ptr\nb 32 int\n", "t.abi"));
        assertTrue(e.getMessage().contains("t.abi line 2: unknown parameter type 'int'"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> KernelAbi.parse("a 2048 ptr\n", "t.abi"));
        assertTrue(e.getMessage().contains("maxThreads 2048 is outside 1..1024"), e.getMessage());
        CudaException missing = assertThrows(CudaException.class, () -> ABI.kernel("absent"));
        assertTrue(missing.getMessage().contains("not in the kernel ABI table test table"), missing.getMessage());
    }
}
