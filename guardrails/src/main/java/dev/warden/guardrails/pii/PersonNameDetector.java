package dev.warden.guardrails.pii;

import java.util.List;
import java.util.Set;

/**
 * Personal names, only where the context says a name follows: a title or salutation ({@code Mr.}, {@code Dr.},
 * {@code Frau}, {@code Mme}, {@code Sra.}, {@code Dear}) or a naming phrase ({@code my name is}, {@code Name:},
 * {@code mein Name ist}, {@code je m'appelle}, {@code me llamo}, {@code patient:}). Then one to four capitalised
 * words in any script (accents, hyphens and apostrophes included: {@code José Álvarez-Núñez}, {@code O'Brien}), with
 * particles such as {@code van}, {@code de}, {@code von} between them. No dictionary and no model: a name without
 * such a cue is not found, which is the price of staying offline and precise.
 */
final class PersonNameDetector implements Detector {

    /** Cues matched with case (titles are capitalised); each must be followed by a space or be the phrase's end. */
    private static final String[] TITLES = {"Mr. ", "Mr ", "Mrs. ", "Mrs ", "Ms. ", "Ms ", "Miss ", "Dr. ",
        "Prof. ", "Herr ", "Frau ", "Mme ", "Mme. ", "Madame ", "Monsieur ", "Mlle ", "Sr. ", "Sra. ", "Srta. ",
        "Señor ", "Señora ", "Dear ", "Sehr geehrte Frau ", "Sehr geehrter Herr ", "Liebe ", "Lieber ",
        "Estimado ", "Estimada ", "Cher ", "Chère "};
    /** Cues matched without case. */
    private static final String[] PHRASES = {"my name is ", "name: ", "name is ", "full name: ", "nombre: ",
        "mein name ist ", "ich heiße ", "ich heisse ", "je m'appelle ", "je m’appelle ", "me llamo ",
        "mi nombre es ", "nom: ", "nom : ", "patient: ", "patient name: ", "customer: ", "employee: ",
        "contact person: ", "ansprechpartner: ", "signed by ", "signed: ", "cc: ", "attn: ", "attn. ", "z. hd. ",
        // Sign-offs: the name usually follows on the next line.
        "signed,", "regards,", "sincerely,", "cheers,", "cordialement,", "grüße,", "grüßen,", "gruss,", "saludos,",
        "atentamente,", "un saludo,", "bien à vous,"};
    private static final String[][] TITLES_BY_FIRST = Chars.byFirstLetter(TITLES);
    private static final String[][] PHRASES_BY_FIRST = Chars.byFirstLetter(PHRASES);
    private static final Set<String> PARTICLES = Set.of("van", "von", "der", "den", "de", "del", "della", "da",
        "di", "du", "la", "le", "y", "bin", "al", "dos", "das", "ter", "zu");
    private static final Set<String> NOT_NAMES = Set.of("Sir", "Madam", "Madame", "Sirs", "Team", "All", "Customer",
        "Customers", "Colleagues", "Friends", "Everyone", "User", "Users", "World", "Reader", "Member", "Members",
        "Client", "Kunde", "Kundin", "Damen", "Herren", "The", "A", "An", "This", "That", "Our", "Your", "My",
        "Hiring", "Manager", "Support", "Admin", "Administrator", "Sales", "Team,", "Doe", "Null", "None", "N",
        "Unknown", "Required", "Optional", "String", "Value", "Name", "Tous", "Todos", "Alle", "Mr", "Mrs", "Ms",
        "Dr", "Prof", "Herr", "Frau", "Mme", "Sr", "Sra");

    @Override
    public int maxLength() {
        return 128;
    }

    @Override
    public void scan(String s, List<PiiMatch> out) {
        // One pass over word starts; a cue is tried only where its first letter matches, so the cost does not grow
        // with the number of cues times the text length.
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (!Chars.letter(c) || (i > 0 && Chars.word(s.charAt(i - 1)))) {
                continue;
            }
            if (Chars.upper(c)) { // titles are written capitalised
                for (String title : Chars.bucket(TITLES_BY_FIRST, c)) {
                    if (s.startsWith(title, i)) {
                        names(s, i + title.length(), out);
                    }
                }
            }
            for (String phrase : Chars.bucket(PHRASES_BY_FIRST, c)) {
                if (Chars.startsWithIgnoreCase(s, i, phrase)) {
                    names(s, skipSpaces(s, i + phrase.length()), out);
                }
            }
        }
    }

    /** Spaces, and for sign-offs ending in a comma also one line break. */
    private static int skipSpaces(String s, int i) {
        boolean afterComma = i > 0 && s.charAt(i - 1) == ',';
        while (i < s.length() && (s.charAt(i) == ' ' || (afterComma && (s.charAt(i) == '\n' || s.charAt(i) == '\r')))) {
            i++;
        }
        return i;
    }

    private static void names(String s, int from, List<PiiMatch> out) {
        int j = from;
        int end = -1;
        int words = 0;
        while (j < s.length() && words < 4) {
            int w = nameWord(s, j);
            if (w > j) {
                if (words == 0 && NOT_NAMES.contains(s.substring(j, w))) {
                    return;
                }
                words++;
                end = w;
                j = w;
            } else {
                int p = particle(s, j);
                if (p > j && words > 0 && p < s.length() && s.charAt(p) == ' ' && nameWord(s, p + 1) > p + 1) {
                    j = p;
                } else {
                    break;
                }
            }
            if (j < s.length() && s.charAt(j) == ' ') {
                j++;
            } else {
                break;
            }
        }
        if (end > from) {
            out.add(new PiiMatch(EntityType.PERSON_NAME, from, end, 0.7));
        }
    }

    /** End of a capitalised name word at {@code i} ({@code Álvarez-Núñez}, {@code O'Brien}, {@code McDonald}), or i. */
    private static int nameWord(String s, int i) {
        if (i >= s.length() || !Character.isUpperCase(s.charAt(i))) {
            return i;
        }
        int j = i + 1;
        int lowers = 0;
        while (j < s.length()) {
            char c = s.charAt(j);
            if (Character.isLetter(c)) {
                lowers += Character.isLowerCase(c) ? 1 : 0;
                j++;
            } else if ((c == '-' || c == '\'' || c == '’') && j + 1 < s.length()
                    && Character.isUpperCase(s.charAt(j + 1))) {
                j++;
            } else {
                break;
            }
        }
        // An initial ("J." in "Dr. J. Smith") counts as a word; shouting (ALL CAPS words) does not.
        if (j - i == 1 && j < s.length() && s.charAt(j) == '.') {
            return j + 1;
        }
        return lowers > 0 && j - i >= 2 && !Chars.digitAt(s, j) ? j : i;
    }

    private static int particle(String s, int i) {
        int j = i;
        while (j < s.length() && Character.isLowerCase(s.charAt(j))) {
            j++;
        }
        return j > i && PARTICLES.contains(s.substring(i, j)) ? j : i;
    }
}
