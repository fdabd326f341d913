package org.proxynas.cuda;

import java.util.HashMap;
import java.util.Map;

/**
 * Kernel scratch (split-reduction partials, intermediate gradients) kept per role and size class: taken from the
 * {@link DevicePool} the first time a role needs that class, then reused by every later call, so a steady-state
 * step allocates nothing and a call inside a graph capture finds its scratch already there (the eager step before
 * the capture used the same shapes). Blocks are never handed back before the pool closes: a captured graph holds
 * their addresses. Reuse across calls is safe because every launch runs in order on the launcher's one stream.
 * Memory: one block per (role, size class) ever used; with power-of-two classes that is a few per role.
 */
final class DeviceScratch {
    private record Key(String role, long sizeClass) {}

    private final DevicePool pool;
    private final Launcher launcher;
    private final Map<Key, Long> blocks = new HashMap<>();

    DeviceScratch(DevicePool pool, Launcher launcher) {
        this.pool = pool;
        this.launcher = launcher;
    }

    /**
     * The device address of at least bytes of scratch for role; contents are whatever the role's last call left.
     * Two buffers in use at once need different roles.
     */
    synchronized long take(String role, long bytes) {
        Key key = new Key(role, pool.blockSize(bytes));
        Long address = blocks.get(key);
        if (address != null) return address;
        if (launcher.capturing()) {
            throw CaptureState.refusal("first use of " + bytes + " bytes of " + role
                    + " scratch (no eager call of this size came before the capture)");
        }
        long taken = pool.take(key.sizeClass());
        blocks.put(key, taken);
        return taken;
    }
}
