package io.weft.systemtest.harness;

import java.util.ArrayList;
import java.util.List;

/**
 * One OSGi bundle of a running distribution, as the framework reports it.
 *
 * @param id the bundle id
 * @param state the state constant of org.osgi.framework.Bundle, such as 32 for ACTIVE
 * @param symbolicName the Bundle-SymbolicName without directives
 * @param version the bundle version
 * @param fragmentHost the Fragment-Host header, empty for a bundle that is not a fragment
 */
public record OsgiBundle(long id, int state, String symbolicName, String version, String fragmentHost) {

    public static final int INSTALLED = 2;
    public static final int RESOLVED = 4;
    public static final int ACTIVE = 32;

    /**
     * The Gogo script that prints one line per bundle: id, state, symbolic name, version and
     * Fragment-Host, separated by "|". The distributions boot without Karaf's bundle:list
     * command, so the script calls the BundleContext that the shell exposes as $.context.
     */
    static final String LIST_SCRIPT = "each ($.context bundles) { echo ($it bundleId) \"|\" ($it state) \"|\" "
            + "($it symbolicName) \"|\" ($it version) \"|\" (($it headers) get \"Fragment-Host\") }";

    /**
     * Lists every bundle of the framework, the system bundle included.
     *
     * @throws AssertionError when the script fails or prints a line it does not expect
     */
    public static List<OsgiBundle> list(KarafShell shell) {
        ShellResult result = shell.execute(LIST_SCRIPT).requireSuccess();
        List<OsgiBundle> bundles = new ArrayList<>();
        for (String line : result.outputLines()) {
            if (!line.isBlank()) {
                bundles.add(parse(line));
            }
        }
        return bundles;
    }

    static OsgiBundle parse(String line) {
        String[] fields = line.split("\\|", -1);
        if (fields.length != 5) {
            throw new AssertionError("Expected 'id | state | symbolic name | version | fragment host' from the "
                    + "bundle list script but got: " + line);
        }
        return new OsgiBundle(Long.parseLong(fields[0].trim()), Integer.parseInt(fields[1].trim()),
                fields[2].trim(), fields[3].trim(), fields[4].trim());
    }

    /** True when the manifest has a Fragment-Host header, which is what makes a bundle a fragment. */
    public boolean isFragment() {
        return !fragmentHost.isEmpty();
    }

    /** Returns the state as the OSGi constant's name, such as ACTIVE. */
    public String stateName() {
        return switch (state) {
            case 1 -> "UNINSTALLED";
            case INSTALLED -> "INSTALLED";
            case RESOLVED -> "RESOLVED";
            case 8 -> "STARTING";
            case 16 -> "STOPPING";
            case ACTIVE -> "ACTIVE";
            default -> "state " + state;
        };
    }

    @Override
    public String toString() {
        return id + " " + symbolicName + " " + version + " " + stateName()
                + (isFragment() ? " (fragment of " + fragmentHost + ")" : "");
    }
}
