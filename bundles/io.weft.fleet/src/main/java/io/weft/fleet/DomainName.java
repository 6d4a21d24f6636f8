package io.weft.fleet;

import io.weft.fleet.internal.HostNames;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * DNS-style name of a domain in the fleet tree, such as {@code east.acme.example}.
 *
 * <p>A name follows the host name rules of RFC 1123: one or more dot-separated labels of 1 to
 * 63 letters, digits and hyphens, no label starting or ending with a hyphen, at most 253
 * characters in all, and a last label that is not all digits. Upper-case letters are folded to
 * lower case. A trailing dot is rejected, so every domain has exactly one spelling. Names are
 * identities, so a domain is never renamed.
 */
public final class DomainName {

    /** Maximum length of a whole name, in characters. */
    public static final int MAX_LENGTH = HostNames.MAX_LENGTH;

    /** Maximum length of one label, in characters. */
    public static final int MAX_LABEL_LENGTH = HostNames.MAX_LABEL_LENGTH;

    private static final String FIELD = "domain";

    private final String name;
    private final int depth;

    DomainName(String name, int depth) {
        this.name = name;
        this.depth = depth;
    }

    /**
     * Parses and validates a domain name, folding it to lower case.
     *
     * @throws InvalidFleetInputException with field {@code domain} when the name breaks a rule
     */
    public static DomainName of(String text) {
        int labels = HostNames.checkName(text, FIELD, "domain");
        return new DomainName(text.toLowerCase(Locale.ROOT), labels);
    }

    /**
     * Returns the name without its first label, or empty for a one-label name. The parent is
     * a DNS parent, so it need not exist as a domain of the fleet.
     */
    public Optional<DomainName> parent() {
        int dot = name.indexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        return Optional.of(new DomainName(name.substring(dot + 1), depth - 1));
    }

    /**
     * Returns true when this domain is {@code other} or one of its subdomains, at any depth.
     * {@code plant1.east.acme.example} is within {@code acme.example}, but
     * {@code westacme.example} is not.
     */
    public boolean isWithin(DomainName other) {
        int prefixLength = name.length() - other.name.length();
        if (prefixLength == 0) {
            return name.equals(other.name);
        }
        return prefixLength > 0
                && name.endsWith(other.name)
                && name.charAt(prefixLength - 1) == '.';
    }

    /** Returns the number of labels: 1 for {@code example}, 3 for {@code east.acme.example}. */
    public int depth() {
        return depth;
    }

    /** Returns the labels from left to right, such as {@code [east, acme, example]}. */
    public List<String> labels() {
        return List.of(name.split("\\.", -1));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DomainName && ((DomainName) other).name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    /** Returns the name in its canonical lower-case form, such as {@code east.acme.example}. */
    @Override
    public String toString() {
        return name;
    }
}
