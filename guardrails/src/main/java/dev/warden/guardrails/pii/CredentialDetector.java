package dev.warden.guardrails.pii;

import java.util.List;
import java.util.Locale;

/**
 * Credentials written next to their name:
 * <ul>
 *   <li>passwords in URLs, {@code scheme://user:PASSWORD@host} (only the password is taken; user and host stay
 *       readable);</li>
 *   <li>assignments to a password-like key, {@code password=...}, {@code DB_PASSWORD: "..."},
 *       {@code "passwd": "..."}, {@code Password=...;} in connection strings, and prose such as
 *       {@code my password is ...} in English, German, French and Spanish;</li>
 *   <li>assignments to a secret-like key ({@code api_key}, {@code client_secret}, {@code access_token}, ...) whose
 *       value looks random (length, mixed classes, entropy), as {@link EntityType#SECRET};</li>
 *   <li>AWS secret access keys: 40 chars of base64 after an AWS secret key name or shortly after an access key id.</li>
 * </ul>
 * Placeholders ({@code ****}, {@code <password>}, {@code ${DB_PASSWORD}}, {@code {{secret}}}, {@code changeit}
 * is not one) and code references ({@code password = config.password}, {@code getPassword()}) stay.
 */
final class CredentialDetector implements Detector {

    private static final String[] PASSWORD_KEYS = {"password", "passwd", "passwort", "kennwort", "passphrase",
        "pwd", "pass", "pw", "contraseña", "contrasena", "motdepasse", "mot_de_passe", "mdp", "clave", "senha"};
    private static final String[] SECRET_KEYS = {"secret", "apikey", "api_key", "api-key", "token", "accesstoken",
        "access_token", "auth_token", "authtoken", "client_secret", "secret_key", "secretkey", "access_key",
        "accesskey", "private_key", "auth", "credential", "credentials", "authorization", "key"};
    private static final String[] NEEDLES = {"pass", "pwd", "pw", "kennwort", "contrase", "mot de passe", "mdp",
        "clave", "senha", "secret", "token", "key", "auth", "credential", "api", "access", "client", "private",
        "db", "root", "admin"};
    private static final String[][] NEEDLES_BY_FIRST = Chars.byFirstLetter(NEEDLES);
    private static final String[] PLACEHOLDERS = {"null", "none", "nil", "true", "false", "undefined", "empty",
        "redacted", "hidden", "secret", "password", "your_password", "yourpassword", "your-password", "xxx", "***",
        "changeme_placeholder", "example", "placeholder", "required", "optional", "string", "str", "env", "os",
        "process", "config", "settings", "self", "this", "args", "params", "request", "req", "input", "value"};

    @Override
    public int maxLength() {
        return 512;
    }

    @Override
    public void scan(String s, List<PiiMatch> out) {
        scanUrls(s, out);
        // One pass; each needle is tried only where its first letter is, so the cost stays linear in the text.
        int resume = 0;
        for (int i = 0; i < s.length(); i++) {
            // Keys are tried where a name part starts (start, after '_' '.' '-' or a camelCase hump), which is
            // where password/secret/token/key begin in DB_PASSWORD, userPassword, apiKey, client-secret.
            if (i > 0 && Chars.lower(s.charAt(i - 1))) {
                continue;
            }
            String[] candidates = Chars.bucket(NEEDLES_BY_FIRST, s.charAt(i));
            for (String needle : candidates) {
                if (i >= resume && Chars.startsWithIgnoreCase(s, i, needle)) {
                    resume = Math.max(resume, assignment(s, i, needle, out));
                }
            }
        }
        scanAwsSecretsNearKeyIds(s, out);
    }

    // ---- scheme://user:password@host ------------------------------------------------------------------------------

    private static void scanUrls(String s, List<PiiMatch> out) {
        int i = s.indexOf("://");
        while (i >= 0) {
            int from = i + 3;
            int j = from;
            int at = -1;
            int colon = -1;
            while (j < s.length() && j - from < 512) {
                char c = s.charAt(j);
                if (c == '/' || c == '?' || c == '#' || Character.isWhitespace(c) || c == '"' || c == '\''
                        || c == '<' || c == '>' || c == '`') {
                    break;
                }
                if (c == '@') {
                    at = j;
                } else if (c == ':' && colon < 0 && at < 0) {
                    colon = j;
                }
                j++;
            }
            if (at > 0 && colon > 0 && colon < at - 1) {
                int start = colon + 1;
                if (!placeholder(s, start, at)) {
                    out.add(new PiiMatch(EntityType.PASSWORD, start, at, 0.95));
                }
            }
            i = s.indexOf("://", Math.max(i + 3, j));
        }
    }

    // ---- key = value --------------------------------------------------------------------------------------------

    private static boolean keyChar(char c) {
        return Chars.word(c) || c == '-' || c == '.';
    }

    /** Judges the key around a needle hit; returns where the search may resume. */
    private static int assignment(String s, int hit, String needle, List<PiiMatch> out) {
        int keyStart = hit;
        while (keyStart > 0 && keyChar(s.charAt(keyStart - 1)) && hit - keyStart < 64) {
            keyStart--;
        }
        int keyEnd = hit + needle.length();
        // "mot de passe" has spaces: only the needle itself may contain them.
        while (keyEnd < s.length() && keyChar(s.charAt(keyEnd)) && keyEnd - hit < 64) {
            keyEnd++;
        }
        while (keyEnd > hit + needle.length() && s.charAt(keyEnd - 1) == '.') {
            keyEnd--;
        }
        String key = s.substring(keyStart, keyEnd).toLowerCase(Locale.ROOT);
        String last = lastSegment(key);
        EntityType type;
        if (needle.equals("mot de passe") || endsWithAny(last, PASSWORD_KEYS)) {
            type = EntityType.PASSWORD;
        } else if (endsWithAny(last, SECRET_KEYS)) {
            boolean aws = key.contains("aws") && key.contains("secret") || key.contains("secret_access_key")
                    || key.contains("secretaccesskey") || key.contains("secret-access-key");
            type = aws ? EntityType.AWS_SECRET_KEY : EntityType.SECRET;
        } else {
            return keyEnd;
        }
        int v = valueStart(s, keyEnd, type == EntityType.PASSWORD);
        if (v < 0) {
            return keyEnd;
        }
        int valueStart = v;
        if (key.endsWith("authorization")) {
            // Authorization: Bearer <token> / Basic <base64>: the credential follows the scheme word.
            for (String scheme : new String[] {"bearer ", "basic ", "token ", "apikey "}) {
                if (s.regionMatches(true, valueStart, scheme, 0, scheme.length())) {
                    valueStart = skipBlanks(s, valueStart + scheme.length());
                    break;
                }
            }
        }
        int valueEnd;
        char q = valueStart < s.length() ? s.charAt(valueStart) : 0;
        boolean quoted = q == '"' || q == '\'' || q == '`';
        if (quoted) {
            valueStart++;
            valueEnd = valueStart;
            while (valueEnd < s.length() && s.charAt(valueEnd) != q && s.charAt(valueEnd) != '\n'
                    && valueEnd - valueStart < 256) {
                if (s.charAt(valueEnd) == '\\') {
                    valueEnd++;
                }
                valueEnd++;
            }
            valueEnd = Math.min(valueEnd, s.length());
            if (valueEnd >= s.length() || s.charAt(valueEnd) != q) {
                return keyEnd;
            }
        } else {
            valueEnd = valueStart;
            while (valueEnd < s.length() && valueEnd - valueStart < 256) {
                char c = s.charAt(valueEnd);
                if (Character.isWhitespace(c) || c == ',' || c == ';' || c == '&' || c == '"' || c == '\''
                        || c == '<' || c == '>' || c == ')' || c == ']' || c == '}' || c == '`' || c == '('
                        || c == '[') {
                    break;
                }
                valueEnd++;
            }
            // Sentence punctuation after an unquoted value is not part of it.
            while (valueEnd > valueStart && ".:".indexOf(s.charAt(valueEnd - 1)) >= 0) {
                valueEnd--;
            }
            if (valueEnd < s.length() && (s.charAt(valueEnd) == '(' || s.charAt(valueEnd) == '[')) {
                return keyEnd;
            }
            if (codeReference(s, valueStart, valueEnd)) {
                return keyEnd;
            }
        }
        if (valueEnd <= valueStart || placeholder(s, valueStart, valueEnd)) {
            return keyEnd;
        }
        if (type == EntityType.PASSWORD) {
            out.add(new PiiMatch(EntityType.PASSWORD, valueStart, valueEnd, quoted ? 0.9 : 0.85));
            return valueEnd;
        }
        if (type == EntityType.AWS_SECRET_KEY && valueEnd - valueStart == 40 && awsSecret(s, valueStart)) {
            out.add(new PiiMatch(EntityType.AWS_SECRET_KEY, valueStart, valueEnd, 0.95));
            return valueEnd;
        }
        int len = valueEnd - valueStart;
        if (len >= 12 && Chars.mixed(s, valueStart, valueEnd, 2) && Chars.entropy(s, valueStart, valueEnd) >= 3.0
                && s.indexOf(' ', valueStart) != valueStart + 1) {
            out.add(new PiiMatch(EntityType.SECRET, valueStart, valueEnd, 0.8));
            return valueEnd;
        }
        return keyEnd;
    }

    /** {@code spring.datasource.password} is judged by {@code password}. */
    private static String lastSegment(String key) {
        return key.substring(key.lastIndexOf('.') + 1);
    }

    private static boolean endsWithAny(String key, String[] words) {
        for (String w : words) {
            if (key.equals(w) || key.endsWith("_" + w) || key.endsWith("-" + w)
                    || (w.length() >= 5 && key.endsWith(w))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Where the value starts after the key: past a closing quote of the key, spaces and one of {@code =}, {@code :},
     * {@code :=}, {@code =>}, or, for passwords in prose, "is", "ist", "est", "es", "lautet".
     */
    private static int valueStart(String s, int keyEnd, boolean prose) {
        int j = keyEnd;
        if (j < s.length() && (s.charAt(j) == '"' || s.charAt(j) == '\'')) {
            j++;
        }
        j = skipBlanks(s, j);
        if (j >= s.length()) {
            return -1;
        }
        char c = s.charAt(j);
        if (c == '=' || c == ':') {
            j++;
            if (j < s.length() && (s.charAt(j) == '=' || s.charAt(j) == '>')) {
                if (c == '=' && s.charAt(j) == '=') {
                    return -1; // a comparison, password == x
                }
                j++;
            }
            j = skipBlanks(s, j);
            return j < s.length() ? j : -1;
        }
        if (prose) {
            for (String verb : new String[] {"is ", "ist ", "est ", "es ", "lautet ", "was "}) {
                if (s.regionMatches(true, j, verb, 0, verb.length())) {
                    int v = skipBlanks(s, j + verb.length());
                    // "is required", "is too short": a lower-case dictionary word after the verb is prose, not a value.
                    int w = v;
                    while (w < s.length() && Chars.letter(s.charAt(w)) && Character.isLowerCase(s.charAt(w))) {
                        w++;
                    }
                    boolean plainWord = w > v && (w >= s.length() || Character.isWhitespace(s.charAt(w))
                            || ".,;!?".indexOf(s.charAt(w)) >= 0);
                    return plainWord ? -1 : v;
                }
            }
        }
        return -1;
    }

    private static int skipBlanks(String s, int j) {
        while (j < s.length() && (s.charAt(j) == ' ' || s.charAt(j) == '\t')) {
            j++;
        }
        return j;
    }

    private static boolean placeholder(String s, int start, int end) {
        String v = s.substring(start, end).toLowerCase(Locale.ROOT);
        if (v.isEmpty() || v.startsWith("$") || v.startsWith("{{") || v.startsWith("<") || v.startsWith("%")
                || v.startsWith("{") || v.startsWith("[") || v.startsWith("@") || v.startsWith("#{")) {
            return true;
        }
        boolean allMask = true;
        for (int k = 0; k < v.length(); k++) {
            char c = v.charAt(k);
            if (c != '*' && c != 'x' && c != '.' && c != '•' && c != '-' && c != '_') {
                allMask = false;
                break;
            }
        }
        if (allMask) {
            return true;
        }
        for (String p : PLACEHOLDERS) {
            if (v.equals(p)) {
                return true;
            }
        }
        return false;
    }

    /** {@code config.password}, {@code os.environ}, {@code self.pw}: an unquoted dotted identifier is code. */
    private static boolean codeReference(String s, int start, int end) {
        if (end - start < 3) {
            return false;
        }
        int dots = 0;
        for (int k = start; k < end; k++) {
            char c = s.charAt(k);
            if (c == '.') {
                dots++;
            } else if (!(Chars.word(c))) {
                return false;
            }
        }
        return dots > 0 && Character.isLetter(s.charAt(start)) && Character.isLowerCase(s.charAt(start))
                && !Chars.digit(s.charAt(end - 1));
    }

    // ---- AWS secret access keys next to their key id -------------------------------------------------------------

    private static boolean awsSecretChar(char c) {
        return Chars.alnum(c) || c == '/' || c == '+';
    }

    /** Whether the 40 chars at {@code i} look like an AWS secret key: base64 alphabet and all three char classes. */
    private static boolean awsSecret(String s, int i) {
        for (int k = i; k < i + 40; k++) {
            if (!awsSecretChar(s.charAt(k))) {
                return false;
            }
        }
        return Chars.mixed(s, i, i + 40, 3) || (Chars.mixed(s, i, i + 40, 2) && Chars.entropy(s, i, i + 40) > 4.0);
    }

    private static void scanAwsSecretsNearKeyIds(String s, List<PiiMatch> out) {
        for (String prefix : new String[] {"AKIA", "ASIA"}) {
            int i = s.indexOf(prefix);
            while (i >= 0) {
                int limit = Math.min(s.length(), i + 20 + 200);
                int j = i + 20;
                while (j < limit) {
                    if (awsSecretChar(s.charAt(j)) && (j == 0 || !awsSecretChar(s.charAt(j - 1)))) {
                        int k = j;
                        while (k < s.length() && awsSecretChar(s.charAt(k))) {
                            k++;
                        }
                        if (k - j == 40 && awsSecret(s, j)) {
                            out.add(new PiiMatch(EntityType.AWS_SECRET_KEY, j, k, 0.9));
                            break;
                        }
                        j = k;
                    } else {
                        j++;
                    }
                }
                i = s.indexOf(prefix, i + 1);
            }
        }
    }
}
