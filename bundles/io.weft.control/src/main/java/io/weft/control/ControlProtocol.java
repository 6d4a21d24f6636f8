package io.weft.control;

/** Constants of the control protocol that this bundle implements. */
public final class ControlProtocol {

    /**
     * Versions that this bundle can speak, as a manager or as a node. Version 2 added the
     * fields of Edge API call records to {@link FlowRecord}. The strict JSON codec rejects a
     * FLOW_RECORDS payload with missing or unknown fields, so this bundle does not speak
     * version 1. The manager rejects a HELLO between sides of versions 1 and 2, with a reason
     * that names the versions of both sides.
     */
    public static final VersionRange SUPPORTED_VERSIONS = VersionRange.of(2);

    private ControlProtocol() {
    }
}
