package dev.warden.guardrails.pii;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The local PII and secret scanner: runs hand-written detectors over a text and resolves their overlaps.
 *
 * <p>Each detector is one linear pass keyed on a cheap trigger ({@code @} for e-mail, a digit for numbers, a
 * published prefix for tokens), so the cost grows with the text, not with the number of entity types times a
 * regex. Overlaps are resolved by score, then length: a Stripe key inside a {@code api_key=} assignment stays a
 * Stripe key.
 *
 * <p>Immutable and thread-safe; build one and share it.
 */
public final class PiiEngine {

    /** Below this score a finding is dropped; detectors use about 0.55 for their weakest accepted shapes. */
    public static final double DEFAULT_MIN_SCORE = 0.5;

    private static final Comparator<PiiMatch> BY_POSITION =
            Comparator.comparingInt(PiiMatch::start).thenComparing(Comparator.comparingInt(PiiMatch::end).reversed());

    private final Set<EntityType> types;
    private final double minScore;
    private final List<Detector> detectors;

    private PiiEngine(Set<EntityType> types, double minScore) {
        this.types = Collections.unmodifiableSet(EnumSet.copyOf(types));
        this.minScore = minScore;
        List<Detector> list = new ArrayList<>();
        // Order does not matter for the result (overlaps are resolved by score); it only groups related passes.
        if (types.contains(EntityType.PRIVATE_KEY)) {
            list.add(new PemDetector());
        }
        if (types.contains(EntityType.JWT)) {
            list.add(new JwtDetector());
        }
        if (anyOf(types, EntityType.AWS_ACCESS_KEY, EntityType.OPENAI_API_KEY, EntityType.ANTHROPIC_API_KEY,
                EntityType.GOOGLE_API_KEY, EntityType.STRIPE_KEY, EntityType.SLACK_TOKEN, EntityType.GITHUB_TOKEN)) {
            list.add(new TokenDetector());
        }
        if (anyOf(types, EntityType.PASSWORD, EntityType.SECRET, EntityType.AWS_SECRET_KEY)) {
            list.add(new CredentialDetector());
        }
        if (types.contains(EntityType.EMAIL)) {
            list.add(new EmailDetector());
        }
        if (types.contains(EntityType.CREDIT_CARD)) {
            list.add(new CreditCardDetector());
        }
        if (types.contains(EntityType.IBAN)) {
            list.add(new IbanDetector());
        }
        if (types.contains(EntityType.US_SSN)) {
            list.add(new SsnDetector());
        }
        if (types.contains(EntityType.PHONE)) {
            list.add(new PhoneDetector());
        }
        if (types.contains(EntityType.IP_ADDRESS)) {
            list.add(new IpAddressDetector());
        }
        if (types.contains(EntityType.PERSON_NAME)) {
            list.add(new PersonNameDetector());
        }
        if (types.contains(EntityType.STREET_ADDRESS)) {
            list.add(new StreetAddressDetector());
        }
        this.detectors = List.copyOf(list);
    }

    /** Every entity type, default minimum score. */
    public static PiiEngine defaults() {
        return new PiiEngine(EnumSet.allOf(EntityType.class), DEFAULT_MIN_SCORE);
    }

    /**
     * An engine for some entity types.
     *
     * @param minScore findings scoring below are dropped, 0..1
     */
    public static PiiEngine of(Set<EntityType> types, double minScore) {
        requireNonNull(types, "types");
        if (types.isEmpty()) {
            throw new IllegalArgumentException("types: [] (expected: at least one entity type)");
        }
        if (!(minScore >= 0.0 && minScore <= 1.0)) {
            throw new IllegalArgumentException("minScore: " + minScore + " (expected: 0.0..1.0)");
        }
        return new PiiEngine(types, minScore);
    }

    public Set<EntityType> types() {
        return types;
    }

    public double minScore() {
        return minScore;
    }

    /** The longest single finding any enabled detector can produce, in chars. */
    public int maxMatchLength() {
        int max = 0;
        for (Detector d : detectors) {
            max = Math.max(max, d.maxLength());
        }
        return max;
    }

    /** Findings in position order, without overlaps. */
    public List<PiiMatch> scan(String text) {
        requireNonNull(text, "text");
        List<PiiMatch> raw = new ArrayList<>();
        for (Detector d : detectors) {
            d.scan(text, raw);
        }
        if (raw.isEmpty()) {
            return List.of();
        }
        raw.removeIf(m -> m.score() < minScore || !types.contains(m.type()));
        raw.sort(BY_POSITION);
        List<PiiMatch> kept = new ArrayList<>(raw.size());
        for (PiiMatch m : raw) {
            if (kept.isEmpty()) {
                kept.add(m);
                continue;
            }
            PiiMatch last = kept.get(kept.size() - 1);
            if (m.start() >= last.end()) {
                kept.add(m);
            } else if (better(m, last)) {
                kept.set(kept.size() - 1, m);
                // The winner may now overlap earlier keepers too; drop those it beats, or yield to them.
                while (kept.size() >= 2 && kept.get(kept.size() - 2).end() > m.start()) {
                    PiiMatch before = kept.get(kept.size() - 2);
                    if (better(m, before)) {
                        kept.remove(kept.size() - 2);
                    } else {
                        kept.remove(kept.size() - 1);
                        break;
                    }
                }
            }
        }
        return kept;
    }

    private static boolean better(PiiMatch a, PiiMatch b) {
        if (a.score() != b.score()) {
            return a.score() > b.score();
        }
        return a.length() > b.length();
    }

    private static boolean anyOf(Set<EntityType> set, EntityType... candidates) {
        for (EntityType t : candidates) {
            if (set.contains(t)) {
                return true;
            }
        }
        return false;
    }
}
