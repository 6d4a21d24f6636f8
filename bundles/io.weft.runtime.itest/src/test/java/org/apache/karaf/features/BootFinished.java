package org.apache.karaf.features;

/**
 * Stand-in for Karaf's marker interface of the same name, which Karaf's features service
 * registers once the boot features are installed. These tests run without Karaf and
 * register it themselves; the runtime bundle tracks the service by name only.
 */
public interface BootFinished {
}
