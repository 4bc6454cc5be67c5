package dev.warden.guardrails.pii;

import java.util.List;

/**
 * IPv4 and IPv6 addresses.
 *
 * <p><b>IPv4 versus version numbers.</b> {@code 1.2.3.4} is a valid address and a common version string. The rule:
 * a dotted quad of octets 0–255 without leading zeros is an address unless
 * <ul>
 *   <li>it reads as a version: a {@code v} right before it, a version word shortly before it (version, release,
 *       build, firmware, update, upgrade, package, ...), or a pre-release suffix ({@code -beta}, {@code -rc1},
 *       {@code +build}); or</li>
 *   <li>every octet is a single digit ({@code 2.4.1.0}) and no network word (ip, host, server, address, gateway,
 *       dns, ping, route, subnet, ...) or port/prefix suffix ({@code :8080}, {@code /24}) is near. Single-digit quads
 *       are overwhelmingly versions in prose and code; the few real ones are public anycast resolvers
 *       ({@code 1.1.1.1}, {@code 8.8.8.8}), which are not personal data, and are still taken when all four octets
 *       repeat one digit.</li>
 * </ul>
 * A fifth dotted part ({@code 1.2.3.4.5}) makes it a version or an OID, never an address.
 *
 * <p>IPv6: up to eight groups of 1–4 hex digits with at most one {@code ::} (and an optional trailing dotted quad).
 * Full forms need eight groups; compressed forms need two groups and one of three or more digits, so C++ scopes
 * ({@code a::b}), times ({@code 12:30:45}) and MAC addresses ({@code 00:1a:2b:3c:4d:5e}) stay.
 */
final class IpAddressDetector implements Detector {

    private static final String[] VERSION_WORDS = {"version", "ver", "release", "build", "firmware", "update",
        "upgrade", "package", "pkg", "library", "lib", "sdk", "plugin", "patch", "v", "tag", "npm", "pip", "maven",
        "gradle", "requires", "dependency", "semver", "revision", "rev", "oid", "kernel", "chrome", "firefox",
        "java", "python", "node", "api", "schema", "protocol version"};
    private static final String[] NETWORK_WORDS = {"ip", "ipv4", "address", "addr", "host", "hostname", "server",
        "gateway", "dns", "ping", "route", "subnet", "netmask", "client", "from", "connect", "connected", "proxy",
        "resolver", "nameserver", "peer", "remote", "src", "dst", "source", "destination", "inet", "listen",
        "bind", "endpoint", "firewall", "allow", "deny", "adresse", "dirección", "ip-adresse", "curl", "ssh"};

    @Override
    public int maxLength() {
        return 45;
    }

    @Override
    public void scan(String s, List<PiiMatch> out) {
        scanV4(s, out);
        scanV6(s, out);
    }

    private static void scanV4(String s, List<PiiMatch> out) {
        int dot = s.indexOf('.');
        while (dot >= 0) {
            // Walk back from the first dot to the start of the candidate's first octet.
            int start = dot;
            while (start > 0 && Chars.digit(s.charAt(start - 1)) && dot - start < 3) {
                start--;
            }
            if (start == dot) {
                dot = s.indexOf('.', dot + 1);
                continue;
            }
            int end = parseQuad(s, start);
            if (end > 0 && boundary(s, start, end)) {
                double score = scoreV4(s, start, end);
                if (score > 0) {
                    out.add(new PiiMatch(EntityType.IP_ADDRESS, start, end, score));
                }
                dot = s.indexOf('.', end);
            } else {
                dot = s.indexOf('.', dot + 1);
            }
        }
    }

    /** End of a dotted quad at {@code i}, or -1. */
    private static int parseQuad(String s, int i) {
        int j = i;
        for (int part = 0; part < 4; part++) {
            int from = j;
            int value = 0;
            while (j < s.length() && Chars.digit(s.charAt(j)) && j - from < 4) {
                value = value * 10 + (s.charAt(j) - '0');
                j++;
            }
            int len = j - from;
            if (len == 0 || len > 3 || value > 255 || (len > 1 && s.charAt(from) == '0')) {
                return -1;
            }
            if (part < 3) {
                if (!Chars.charAt(s, j, '.')) {
                    return -1;
                }
                j++;
            }
        }
        return j;
    }

    private static boolean boundary(String s, int start, int end) {
        if (start > 0) {
            char p = s.charAt(start - 1);
            if (Chars.word(p) && p != 'v' && p != 'V') {
                return false;
            }
            if (p == '.' || (p == '-' && Chars.digitAt(s, start - 2))) {
                return false;
            }
        }
        if (Chars.wordAt(s, end)) {
            return false;
        }
        return !(Chars.charAt(s, end, '.') && Chars.digitAt(s, end + 1));
    }

    private static double scoreV4(String s, int start, int end) {
        if (start > 0 && (s.charAt(start - 1) == 'v' || s.charAt(start - 1) == 'V')) {
            return 0;
        }
        if (end < s.length() && (s.charAt(end) == '-' || s.charAt(end) == '+') && Chars.alnumAt(s, end + 1)
                && !Chars.digitAt(s, end + 1)) {
            return 0; // 1.2.3.4-beta, 1.2.3.4+build
        }
        String before = Chars.before(s, start, 24);
        boolean suffix = Chars.charAt(s, end, ':') && Chars.digitAt(s, end + 1)
                || Chars.charAt(s, end, '/') && Chars.digitAt(s, end + 1);
        boolean network = suffix || Chars.containsWord(before, NETWORK_WORDS);
        if (!network && Chars.containsWord(before, VERSION_WORDS)) {
            return 0;
        }
        boolean singleDigits = end - start == 7;
        if (singleDigits && !network) {
            char c = s.charAt(start);
            boolean repeated = s.charAt(start + 2) == c && s.charAt(start + 4) == c && s.charAt(start + 6) == c;
            return repeated ? 0.6 : 0;
        }
        return network ? 0.95 : 0.85;
    }

    private static void scanV6(String s, List<PiiMatch> out) {
        int colon = s.indexOf(':');
        while (colon >= 0) {
            int start = colon;
            while (start > 0 && (Chars.hex(s.charAt(start - 1)) || s.charAt(start - 1) == ':') && colon - start < 40) {
                start--;
            }
            int end = colon;
            while (end < s.length() && (Chars.hex(s.charAt(end)) || s.charAt(end) == ':' || s.charAt(end) == '.')
                    && end - start < 46) {
                end++;
            }
            while (end > colon && (s.charAt(end - 1) == '.' || (s.charAt(end - 1) == ':'
                    && !(end - 2 >= 0 && s.charAt(end - 2) == ':')))) {
                end--;
            }
            if ((start == 0 || !Chars.word(s.charAt(start - 1))) && !Chars.wordAt(s, end) && validV6(s, start, end)) {
                out.add(new PiiMatch(EntityType.IP_ADDRESS, start, end, 0.9));
                colon = s.indexOf(':', Math.max(end, colon + 1));
            } else {
                colon = s.indexOf(':', Math.max(end, colon + 1));
            }
        }
    }

    static boolean validV6(String s, int start, int end) {
        String c = s.substring(start, end);
        int dbl = c.indexOf("::");
        if (dbl >= 0 && c.indexOf("::", dbl + 1) >= 0) {
            return false;
        }
        if (c.contains(":::")) {
            return false;
        }
        String head = c;
        int groupsFromV4 = 0;
        int lastColon = c.lastIndexOf(':');
        if (c.indexOf('.') >= 0) {
            String v4 = c.substring(lastColon + 1);
            if (parseQuad(v4, 0) != v4.length()) {
                return false;
            }
            head = c.substring(0, lastColon + 1);
            if (head.endsWith(":") && !head.endsWith("::")) {
                head = head.substring(0, head.length() - 1);
            }
            groupsFromV4 = 2;
        }
        String[] parts = head.split(":", -1);
        int groups = 0;
        boolean longGroup = false;
        for (String p : parts) {
            if (p.isEmpty()) {
                continue;
            }
            if (p.length() > 4) {
                return false;
            }
            for (int k = 0; k < p.length(); k++) {
                if (!Chars.hex(p.charAt(k))) {
                    return false;
                }
            }
            longGroup |= p.length() >= 3;
            groups++;
        }
        groups += groupsFromV4;
        if (dbl < 0) {
            // No compression: exactly eight groups, and no empty group at the ends.
            return groups == 8 && !c.startsWith(":") && !c.endsWith(":");
        }
        return groups >= 2 && groups <= 7 && (longGroup || groupsFromV4 > 0);
    }
}
