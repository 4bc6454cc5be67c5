package dev.warden.gateway.governance;

import dev.warden.gateway.config.WardenProperties;
import dev.warden.gateway.pipeline.Usage;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Prices per model, in US dollars per million tokens (input, cached input, output). Shipped defaults cover common
 * models; {@code warden.governance.prices} overrides or adds. The longest matching name prefix wins, so dated
 * versions ({@code gpt-4o-2024-08-06}) take their family's price. A model with no price is charged
 * {@code unknown-model-price} (conservatively high by default) so a missing entry never makes spend look free.
 */
@Component
public class PriceTable {
    /** Fixed demo price: $10 per million input tokens, $30 per million output tokens. */
    public static final Rate DEMO = Rate.perMillion("10", "10", "30");
    static final Rate UNKNOWN_DEFAULT = Rate.perMillion("15", "15", "75");

    private static final List<Entry> DEFAULTS = List.of(
            entry("demo", DEMO),
            entry("gpt-4o", Rate.perMillion("2.50", "1.25", "10.00")),
            entry("gpt-4o-mini", Rate.perMillion("0.15", "0.075", "0.60")),
            entry("gpt-4.1", Rate.perMillion("2.00", "0.50", "8.00")),
            entry("gpt-4.1-mini", Rate.perMillion("0.40", "0.10", "1.60")),
            entry("gpt-4.1-nano", Rate.perMillion("0.10", "0.025", "0.40")),
            entry("gpt-5", Rate.perMillion("1.25", "0.125", "10.00")),
            entry("gpt-5-mini", Rate.perMillion("0.25", "0.025", "2.00")),
            entry("gpt-5-nano", Rate.perMillion("0.05", "0.005", "0.40")),
            entry("o3", Rate.perMillion("2.00", "0.50", "8.00")),
            entry("o4-mini", Rate.perMillion("1.10", "0.275", "4.40")),
            entry("text-embedding-3-small", Rate.perMillion("0.02", "0.02", "0")),
            entry("text-embedding-3-large", Rate.perMillion("0.13", "0.13", "0")),
            entry("claude-opus-4", Rate.perMillion("15.00", "1.50", "75.00")),
            entry("claude-sonnet-4", Rate.perMillion("3.00", "0.30", "15.00")),
            entry("claude-haiku-4", Rate.perMillion("1.00", "0.10", "5.00")),
            entry("claude-3-5-haiku", Rate.perMillion("0.80", "0.08", "4.00")),
            entry("gemini-2.5-pro", Rate.perMillion("1.25", "0.31", "10.00")),
            entry("gemini-2.5-flash", Rate.perMillion("0.30", "0.075", "2.50")),
            entry("mistral-large", Rate.perMillion("2.00", "2.00", "6.00")),
            entry("mistral-small", Rate.perMillion("0.20", "0.20", "0.60")),
            entry("llama-3.3-70b", Rate.perMillion("0.59", "0.59", "0.79")));

    /** Nano-dollars per token. */
    public record Rate(long input, long cachedInput, long output) {
        static Rate perMillion(String input, String cachedInput, String output) {
            return new Rate(Money.perTokenFromPerMillion(new BigDecimal(input)),
                    Money.perTokenFromPerMillion(new BigDecimal(cachedInput)),
                    Money.perTokenFromPerMillion(new BigDecimal(output)));
        }

        /** The cost of a usage, in nano-dollars; cached input tokens are part of the input count. */
        public long cost(Usage usage) {
            long cached = Math.min(usage.cachedInputTokens(), usage.inputTokens());
            return Math.addExact(Math.addExact(Money.times(usage.inputTokens() - cached, input),
                    Money.times(cached, cachedInput)), Money.times(usage.outputTokens(), output));
        }
    }

    private record Entry(String prefix, Rate rate) {
    }

    private final List<Entry> entries;
    private final Rate unknown;

    public PriceTable(WardenProperties properties) {
        List<Entry> all = new ArrayList<>();
        for (WardenProperties.Price price : properties.governance().prices()) {
            all.add(new Entry(price.model(), rate(price)));
        }
        for (Entry entry : DEFAULTS) {
            if (all.stream().noneMatch(e -> e.prefix().equals(entry.prefix()))) {
                all.add(entry);
            }
        }
        all.sort(Comparator.comparingInt((Entry e) -> e.prefix().length()).reversed());
        this.entries = List.copyOf(all);
        WardenProperties.Price unknownPrice = properties.governance().unknownModelPrice();
        this.unknown = unknownPrice == null ? UNKNOWN_DEFAULT : rate(unknownPrice);
    }

    public Rate rateFor(String model) {
        for (Entry entry : entries) {
            if (model.startsWith(entry.prefix())) {
                return entry.rate();
            }
        }
        return unknown;
    }

    private static Rate rate(WardenProperties.Price price) {
        BigDecimal cached = price.cachedInput() == null ? price.input() : price.cachedInput();
        return new Rate(Money.perTokenFromPerMillion(price.input()), Money.perTokenFromPerMillion(cached),
                Money.perTokenFromPerMillion(price.output()));
    }

    private static Entry entry(String prefix, Rate rate) {
        return new Entry(prefix, rate);
    }
}
