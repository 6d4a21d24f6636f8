package io.weft.runtime.internal;

import java.util.Dictionary;

import org.osgi.framework.Bundle;

/**
 * Weft release and source commit, read from the manifest headers that cnf/build.bnd
 * writes into every Weft bundle.
 */
record BuildInfo(String version, String commit) {

    static final String VERSION_HEADER = "Weft-Version";
    static final String COMMIT_HEADER = "Weft-Build-Commit";
    static final String UNKNOWN = "unknown";

    static BuildInfo of(Bundle bundle) {
        Dictionary<String, String> headers = bundle.getHeaders("");
        return new BuildInfo(
                valueOrUnknown(headers.get(VERSION_HEADER)),
                valueOrUnknown(headers.get(COMMIT_HEADER)));
    }

    private static String valueOrUnknown(String header) {
        if (header == null || header.isBlank()) {
            return UNKNOWN;
        }
        return header.trim();
    }
}
