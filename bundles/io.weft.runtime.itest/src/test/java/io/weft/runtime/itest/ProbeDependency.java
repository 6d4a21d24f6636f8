package io.weft.runtime.itest;

/** Service that {@link Probe} needs; tests register it to satisfy the probe. */
public interface ProbeDependency {
}
