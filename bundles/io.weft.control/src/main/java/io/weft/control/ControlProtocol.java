package io.weft.control;

/** Constants of the control protocol that this bundle implements. */
public final class ControlProtocol {

    /** Versions that this bundle can speak, as a manager or as a node. */
    public static final VersionRange SUPPORTED_VERSIONS = VersionRange.of(1);

    private ControlProtocol() {
    }
}
