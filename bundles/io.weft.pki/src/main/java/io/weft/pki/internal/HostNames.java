package io.weft.pki.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Matches a host name or IP address literal against a certificate's subject alternative names
 * (RFC 6125 without wildcards, since Weft issues none). The common name is never used.
 */
final class HostNames {

    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;
    private static final Pattern IPV4_LITERAL = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

    private HostNames() {
    }

    static boolean matches(X509Certificate certificate, String host) throws CertificateParsingException {
        Collection<List<?>> names = certificate.getSubjectAlternativeNames();
        if (names == null || host == null || host.isEmpty()) {
            return false;
        }
        InetAddress address = ipLiteral(host);
        String dnsName = stripTrailingDot(host).toLowerCase(Locale.ROOT);
        for (List<?> name : names) {
            int type = (Integer) name.get(0);
            String value = (String) name.get(1);
            if (address == null && type == DNS_NAME && stripTrailingDot(value).toLowerCase(Locale.ROOT).equals(dnsName)) {
                return true;
            }
            if (address != null && type == IP_ADDRESS && address.equals(ipLiteral(value))) {
                return true;
            }
        }
        return false;
    }

    /** Parses an IPv4 or IPv6 literal without a DNS lookup, and returns null for a host name. */
    private static InetAddress ipLiteral(String host) {
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!literal.contains(":") && !IPV4_LITERAL.matcher(literal).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static String stripTrailingDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
