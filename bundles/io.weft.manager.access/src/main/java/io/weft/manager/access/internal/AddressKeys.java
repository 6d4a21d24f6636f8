package io.weft.manager.access.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/** Throttling keys for remote addresses. */
public final class AddressKeys {

    /** Maximum length of a key made from text that is no IP address literal. */
    static final int MAX_OTHER_LENGTH = 64;

    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9._-]+)?");

    private AddressKeys() {
    }

    /**
     * Returns the key for a remote address as a servlet container reports it. An IPv6 address
     * becomes its /64 prefix, the block that one site or one customer usually gets, so that an
     * attacker cannot escape the throttle by rotating through the addresses of one subnet. Any
     * other text, such as an IPv4 address, is used as it is, in lower case and cut to
     * {@value #MAX_OTHER_LENGTH} characters. The method never resolves a host name.
     */
    public static String keyFor(String remoteAddress) {
        String text = remoteAddress.startsWith("[") && remoteAddress.endsWith("]")
                ? remoteAddress.substring(1, remoteAddress.length() - 1)
                : remoteAddress;
        if (text.indexOf(':') >= 0 && IPV6_LITERAL.matcher(text).matches()) {
            String key = ipv6Key(text);
            if (key != null) {
                return key;
            }
        }
        String lower = text.toLowerCase(Locale.ROOT);
        return lower.length() > MAX_OTHER_LENGTH ? lower.substring(0, MAX_OTHER_LENGTH) : lower;
    }

    /**
     * Returns the key of an IPv6 literal: its /64 prefix, or the IPv4 address of an
     * IPv4-mapped address such as {@code ::ffff:192.0.2.1}. Returns null when the text is no
     * IPv6 literal.
     */
    private static String ipv6Key(String literal) {
        InetAddress address;
        try {
            // The brackets make InetAddress parse the text as an IPv6 literal or fail, never
            // send it to DNS.
            address = InetAddress.getByName("[" + literal + "]");
        } catch (UnknownHostException e) {
            return null;
        }
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] prefix = Arrays.copyOf(address.getAddress(), 8);
        return "ipv6:" + TokenFormat.hex(prefix) + "/64";
    }
}
