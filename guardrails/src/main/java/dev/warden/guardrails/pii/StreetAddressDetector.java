package dev.warden.guardrails.pii;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Street addresses where the street-type word makes them clear, in the house-number-first style of English and
 * French ({@code 1600 Pennsylvania Avenue NW}, {@code 12 rue de la Paix}) and the street-first style of German,
 * Spanish and Italian ({@code Hauptstraße 5}, {@code Calle de Alcalá 23}, {@code Via Roma 10}), with an optional
 * postcode and town after a comma ({@code , 10115 Berlin}, {@code , Springfield, IL 62704}). A number and a
 * capitalised word alone are not enough: "3 Apples" and "Chapter 12" stay.
 */
final class StreetAddressDetector implements Detector {

    private static final String CAP = "\\p{Lu}[\\p{L}'’.-]*";
    private static final String TAIL = "(?:,? ?(?:\\d{4,5} " + CAP + "(?: " + CAP + ")?|" + CAP
            + "(?: " + CAP + ")?, [A-Z]{2} \\d{5}(?:-\\d{4})?))?";

    private static final Pattern NUMBER_FIRST_EN = Pattern.compile(
            "(?<![\\w.,/-])\\d{1,5}[A-Za-z]? (?:" + CAP + " ){0,4}"
                    + "(?:Street|St\\.?|Avenue|Ave\\.?|Road|Rd\\.?|Boulevard|Blvd\\.?|Lane|Ln\\.?|Drive|Dr\\.?|Court"
                    + "|Ct\\.?|Way|Place|Pl\\.?|Terrace|Parkway|Pkwy\\.?|Circle|Highway|Hwy\\.?|Square|Sq\\.?)"
                    + "(?: (?:N|S|E|W|NE|NW|SE|SW)\\b)?(?:,? (?:Apt|Suite|Unit|#) ?\\w+)?" + TAIL
                    + "(?![\\p{L}])");
    private static final Pattern NUMBER_FIRST_FR = Pattern.compile(
            "(?<![\\w.,/-])\\d{1,4}(?: ?(?:bis|ter))?,? (?:rue|avenue|av\\.|boulevard|bd|place|chemin|allée|impasse"
                    + "|quai|cours|route|square) (?:(?:de la|de l'|de l’|des|du|de|d'|d’|la|le|les) ?)?" + CAP
                    + "(?: (?:(?:de la|des|du|de|la|le) )?" + CAP + "){0,3}" + TAIL,
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final Pattern STREET_FIRST = Pattern.compile(
            "(?<![\\p{L}])(?:" + CAP + "(?:straße|strasse|str\\.|weg|allee|platz|gasse|ring|damm|ufer|chaussee)"
                    + "|(?:Calle|C/|Avenida|Avda\\.|Av\\.|Plaza|Paseo|Carrer|Camino|Via|Viale|Piazza|Corso|Rua)"
                    + " (?:(?:de la|del|de|dels|la|los|las) )?" + CAP + "(?: " + CAP + "){0,2}"
                    + ")[, ] ?(?:Nr\\. ?|nº ?|n\\. ?)?\\d{1,4}[a-zA-Z]?(?![\\w.,/-]\\d)" + TAIL);

    @Override
    public int maxLength() {
        return 160;
    }

    /** Street-type words (lower case) that follow the house number and street name: "12 Main Street". */
    private static final java.util.Set<String> NUMBER_FIRST_CUES = java.util.Set.of("street", "st", "avenue", "ave",
            "road", "rd", "boulevard", "blvd", "lane", "ln", "drive", "dr", "court", "ct", "way", "place", "pl",
            "terrace", "parkway", "pkwy", "circle", "highway", "hwy", "square", "sq", "rue", "av", "bd", "chemin",
            "allée", "impasse", "quai", "cours", "route");
    /** Words that lead a street-first address: "Calle Mayor 5", "Via Roma 10". */
    private static final java.util.Set<String> STREET_FIRST_CUES = java.util.Set.of("calle", "avenida", "avda",
            "av", "plaza", "paseo", "carrer", "camino", "via", "viale", "piazza", "corso", "rua", "c");
    private static final String[][] NUMBER_FIRST_BY_FIRST =
            Chars.byFirstLetter(NUMBER_FIRST_CUES.toArray(new String[0]));
    private static final String[][] STREET_FIRST_BY_FIRST =
            Chars.byFirstLetter(STREET_FIRST_CUES.toArray(new String[0]));
    private static final String[] GERMAN_SUFFIXES = {"straße", "strasse", "str", "weg", "allee", "platz", "gasse",
        "ring", "damm", "ufer", "chaussee"};

    @Override
    public void scan(String s, List<PiiMatch> out) {
        // Find cue words in one pass, then try the patterns anchored at the few places an address could start: the
        // patterns searched over a whole 8 KB message cost milliseconds, this costs microseconds.
        int n = s.length();
        int i = 0;
        int lastTried = -1;
        while (i < n) {
            if (!Chars.letter(s.charAt(i)) || (i > 0 && Chars.letter(s.charAt(i - 1)))) {
                i++;
                continue;
            }
            int j = i + 1;
            while (j < n && Chars.letter(s.charAt(j))) {
                j++;
            }
            int len = j - i;
            if (isCue(NUMBER_FIRST_BY_FIRST, s, i, j)) {
                // The house number starts at most a few words before the street type.
                for (int k = Math.max(Math.max(0, i - 80), lastTried + 1); k < i; k++) {
                    if (Chars.digit(s.charAt(k)) && (k == 0 || !Chars.word(s.charAt(k - 1)))) {
                        tryAt(NUMBER_FIRST_EN, s, k, out);
                        tryAt(NUMBER_FIRST_FR, s, k, out);
                        lastTried = k;
                    }
                }
            }
            if (Character.isUpperCase(s.charAt(i)) && isCue(STREET_FIRST_BY_FIRST, s, i, j)) {
                tryAt(STREET_FIRST, s, i, out);
            } else if (len >= 5 && Character.isUpperCase(s.charAt(i)) && germanStreet(s, j)) {
                tryAt(STREET_FIRST, s, i, out);
            }
            i = j;
        }
    }

    private static boolean isCue(String[][] buckets, String s, int from, int to) {
        for (String cue : Chars.bucket(buckets, s.charAt(from))) {
            if (Chars.equalsIgnoreCase(s, from, to, cue)) {
                return true;
            }
        }
        return false;
    }

    private static boolean germanStreet(String s, int wordEnd) {
        char last = s.charAt(wordEnd - 1);
        if ("egzmrEGZMR".indexOf(last) < 0) {
            return false; // no street suffix ends otherwise: a cheap test before the suffix comparisons
        }
        for (String suffix : GERMAN_SUFFIXES) {
            if (Chars.startsWithIgnoreCase(s, wordEnd - suffix.length(), suffix)) {
                return true;
            }
        }
        return false;
    }

    private static void tryAt(Pattern p, String s, int at, List<PiiMatch> out) {
        Matcher m = p.matcher(s);
        m.useTransparentBounds(true);
        m.useAnchoringBounds(false);
        m.region(at, Math.min(s.length(), at + 200));
        if (!m.lookingAt()) {
            return;
        }
        int end = m.end();
        while (end > m.start() && (s.charAt(end - 1) == '.' || s.charAt(end - 1) == ',')
                && !s.regionMatches(end - 3, "St.", 0, 3)) {
            end--;
        }
        for (PiiMatch existing : out) {
            if (existing.type() == EntityType.STREET_ADDRESS && existing.start() == at) {
                return;
            }
        }
        out.add(new PiiMatch(EntityType.STREET_ADDRESS, at, end, 0.75));
    }
}
