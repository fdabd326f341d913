package org.proxynas.cuda;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test class that runs on GPU 0: tagged "gpu" (the device check selects them with --include-tag gpu) and skipped,
 * with the probe's reason, unless {@link CudaProbe} finds a device and the jar's fatbin.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("gpu")
@ExtendWith(GpuAvailable.class)
@interface GpuTest {}
