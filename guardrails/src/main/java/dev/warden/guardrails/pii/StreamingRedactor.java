package dev.warden.guardrails.pii;

import static java.util.Objects.requireNonNull;

import dev.warden.guardrails.RedactionVault;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Redacts a streamed answer chunk by chunk with a sliding window, producing exactly what {@link PiiRedactor#redact}
 * produces on the whole text, so PII split across chunks is still caught.
 *
 * <p><b>Window.</b> The redactor holds back the last {@value #WINDOW} chars of raw text, enough for every finding
 * that may contain spaces (grouped cards and IBANs, phone numbers, addresses, quoted passwords up to 256 chars)
 * plus the right-hand context detectors look at. Two holds go further, both bounded by {@value #MAX_HOLD} chars:
 * a word still being written (a run of non-space chars touching the end: tokens, JWTs, e-mail addresses) is held
 * until it ends, and an unterminated {@code -----BEGIN ... PRIVATE KEY-----} block is held until its END line. A
 * finding is never split: if the cut would fall inside one, the cut moves to its start. The last {@value #CONTEXT}
 * emitted chars stay in the buffer as left context (for "SSN:", "Tel.", "Dr." cues) but are never emitted twice.
 *
 * <p>Not thread-safe: one instance per stream. Uses the request's vault, so placeholders agree with the input.
 */
public final class StreamingRedactor {

    /** Raw chars held back in the steady state. */
    public static final int WINDOW = 320;
    /** Upper bound of any hold, in chars: the longest finding (a PEM block) the engine detects. */
    public static final int MAX_HOLD = PemDetector.MAX_BLOCK;
    /** Already emitted chars kept as left context for the detectors. */
    static final int CONTEXT = 256;
    /** Rescan only when this many chars are ready to go, so tiny token-sized chunks do not each cost a scan. */
    static final int MIN_EMIT = 32;

    private final PiiRedactor redactor;
    private final RedactionVault vault;
    private final StringBuilder buffer = new StringBuilder();
    private final List<Replacement> replacements = new ArrayList<>();
    private int contextLength;
    private long offset;
    private boolean finished;

    public StreamingRedactor(PiiRedactor redactor, RedactionVault vault) {
        this.redactor = requireNonNull(redactor, "redactor");
        this.vault = requireNonNull(vault, "vault");
    }

    /** Takes the next chunk and returns the redacted text that is safe to emit now (possibly empty). */
    public String accept(String chunk) {
        requireNonNull(chunk, "chunk");
        if (finished) {
            throw new IllegalStateException("accept() after finish() (expected: one stream per StreamingRedactor)");
        }
        buffer.append(chunk);
        if (buffer.length() - contextLength < WINDOW + MIN_EMIT) {
            return "";
        }
        return drain(false);
    }

    /** Flushes and redacts everything held back. The redactor cannot be used afterwards. */
    public String finish() {
        if (finished) {
            return "";
        }
        finished = true;
        return drain(true);
    }

    /** Labels and counts of everything redacted so far, for the audit ledger. */
    public Map<String, Integer> entityCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        for (Replacement r : replacements) {
            counts.merge(r.type().label(), 1, Integer::sum);
        }
        return counts;
    }

    /** Replacements so far; positions are offsets in the whole raw stream. */
    public List<Replacement> replacements() {
        return List.copyOf(replacements);
    }

    private String drain(boolean last) {
        String text = buffer.toString();
        int length = text.length();
        List<PiiMatch> matches = redactor.engine().scan(text);
        int cut = last ? length : holdPoint(text, matches);
        if (cut <= contextLength) {
            return "";
        }
        StringBuilder out = new StringBuilder(cut - contextLength + 32);
        List<Replacement> local = new ArrayList<>();
        List<PiiMatch> emitted = new ArrayList<>(matches.size());
        for (PiiMatch m : matches) {
            if (m.start() >= contextLength && m.end() <= cut) {
                emitted.add(m);
            }
        }
        redactor.rewrite(text, emitted, contextLength, cut, vault, out, local);
        long base = offset - contextLength;
        for (Replacement r : local) {
            replacements.add(new Replacement(r.type(), (int) (base + r.start()), (int) (base + r.end()),
                    r.replacement()));
        }
        int keepFrom = Math.max(0, cut - CONTEXT);
        buffer.delete(0, keepFrom);
        offset += cut - contextLength;
        contextLength = cut - keepFrom;
        return out.toString();
    }

    /** Where the emitted text may end: the window, pulled back by open words, open PEM blocks and findings. */
    private int holdPoint(String text, List<PiiMatch> matches) {
        int length = text.length();
        int cut = length - WINDOW;
        // A word still being written at the end (token, JWT, address): hold from its first char.
        int word = length;
        while (word > 0 && !Character.isWhitespace(text.charAt(word - 1)) && length - word < MAX_HOLD) {
            word--;
        }
        if (length - word < MAX_HOLD) {
            cut = Math.min(cut, word);
        }
        // An open private-key block: hold from its BEGIN line until the END line arrives.
        int begin = text.lastIndexOf("-----BEGIN");
        if (begin >= contextLength && text.indexOf("-----END", begin) < 0 && length - begin < MAX_HOLD) {
            cut = Math.min(cut, begin);
        }
        // Never split a finding.
        boolean moved = true;
        while (moved) {
            moved = false;
            for (PiiMatch m : matches) {
                if (m.start() < cut && cut < m.end()) {
                    cut = m.start();
                    moved = true;
                }
            }
        }
        // Never split a surrogate pair: the gateway encodes each emitted piece on its own.
        if (cut > 0 && cut < length && Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--;
        }
        return cut;
    }
}
