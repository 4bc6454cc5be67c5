package dev.warden.gateway.audit;

import dev.warden.gateway.admin.AdminAudit;
import dev.warden.gateway.config.ConfigurationError;
import dev.warden.gateway.config.WardenProperties;
import dev.warden.gateway.credentials.CredentialResolver;
import dev.warden.ledger.Actor;
import dev.warden.ledger.Durability;
import dev.warden.ledger.EntryDraft;
import dev.warden.ledger.EntryKind;
import dev.warden.ledger.Ledger;
import dev.warden.ledger.LedgerOptions;
import dev.warden.ledger.SyncObserver;
import dev.warden.ledger.checkpoint.SigningKey;
import dev.warden.ledger.kafka.KafkaLedgerStore;
import dev.warden.ledger.store.LedgerStore;
import dev.warden.ledger.store.SegmentFileStore;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Opens the audit ledger (closing it writes the final checkpoint), records admin changes in it, and reports its
 * health and checkpoint age. The ledger fails closed: once an fsync fails nothing more is acknowledged, the health
 * turns DOWN and requests are refused with 503 before they reach a provider.
 */
@Configuration(proxyBeanMethods = false)
public class LedgerConfiguration {
    private static final Logger log = LoggerFactory.getLogger(LedgerConfiguration.class);

    /** Where entries are stored: segment files in the ledger dir (a test may wrap it to inject I/O failures). */
    @Bean(destroyMethod = "")
    LedgerStore ledgerStore(WardenProperties properties) {
        return new SegmentFileStore(ledgerDir(properties), SegmentFileStore.DEFAULT_MAX_SEGMENT_BYTES,
                properties.ledger().journal(), SegmentFileStore.DEFAULT_JOURNAL_BYTES);
    }

    static Path ledgerDir(WardenProperties properties) {
        Path dir = properties.ledger().dir() != null ? properties.ledger().dir()
                : properties.dataDir().resolve("ledger");
        return dir.toAbsolutePath().normalize();
    }

    /**
     * Each group commit's fsync as metrics: its duration (the disk's share of every durable append, the floor of the
     * latency Warden adds) and how many entries it made durable (how well group commit batches under the load).
     */
    static SyncObserver syncMeters(MeterRegistry meters) {
        Timer sync = Timer.builder("warden.ledger.sync")
                .description("fsync of one ledger group commit (the local store's; a Kafka replica's is not included)")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(20_000))
                .maximumExpectedValue(Duration.ofSeconds(2)).register(meters);
        DistributionSummary entries = DistributionSummary.builder("warden.ledger.sync.entries")
                .description("Entries made durable by one ledger fsync").baseUnit("entries").register(meters);
        return (count, nanos) -> {
            sync.record(nanos, TimeUnit.NANOSECONDS);
            entries.record(count);
        };
    }

    @Bean(destroyMethod = "close")
    Ledger ledger(WardenProperties properties, CredentialResolver credentials, Clock clock, MeterRegistry meters,
                  LedgerStore store) {
        WardenProperties.Ledger config = properties.ledger();
        LedgerOptions.Builder options = LedgerOptions.builder()
                .dir(ledgerDir(properties))
                .store(store)
                .chainId(config.chainId() != null ? config.chainId() : defaultChainId())
                .durability("relaxed".equals(config.durability()) ? Durability.RELAXED : Durability.FSYNC)
                .checkpointInterval(config.checkpointInterval())
                .checkpointEvery(config.checkpointEvery())
                .lazySyncDelay(config.lazySyncDelay())
                .commitDelay(config.commitDelay())
                .bodyRetention(config.bodies().retention().isZero() ? null : config.bodies().retention())
                .clock(clock)
                .syncObserver(syncMeters(meters));
        String signingKey = reveal(credentials, "warden.ledger.signing-key", config.signingKey());
        if (signingKey != null) {
            try {
                options.signingKey(SigningKey.fromPkcs8(config.signingKeyId(), signingKey, null));
            } catch (RuntimeException e) {
                throw new ConfigurationError("warden.ledger.signing-key", "(secret)", "an Ed25519 PKCS#8 key, "
                        + "base64 or PEM");
            }
        }
        String digestKey = reveal(credentials, "warden.ledger.digest-key", config.digestKey());
        if (digestKey != null) {
            try {
                options.digestKey(Base64.getDecoder().decode(digestKey.strip()));
            } catch (RuntimeException e) {
                throw new ConfigurationError("warden.ledger.digest-key", "(secret)", "at least 32 bytes in base64");
            }
        }
        if (config.kafka() != null) {
            options.replica(KafkaLedgerStore.create(config.kafka().bootstrapServers(), config.kafka().topic()));
        }
        Ledger ledger = Ledger.open(options.build());
        Gauge.builder("warden.ledger.checkpoint.age", ledger, l -> {
            var checkpoint = l.lastCheckpoint();
            return checkpoint == null ? Double.NaN
                    : Duration.between(checkpoint.time(), clock.instant()).toMillis() / 1000.0;
        }).baseUnit("seconds").description("Age of the newest signed checkpoint").register(meters);
        Gauge.builder("warden.ledger.entries", ledger, l -> l.head().size())
                .description("Entries in this replica's chain").register(meters);
        log.info("audit ledger open: chain {} in {}, {} entries ({})", ledger.chainId(), ledger.dir(),
                ledger.head().size(), ledger.resumedAtOnOpen() > 0
                        ? "went on from entry " + ledger.resumedAtOnOpen() + " saved in resume.json, read "
                                + ledger.entriesReadOnOpen() + " after it"
                        : "read and checked all " + ledger.entriesReadOnOpen());
        return ledger;
    }

    @Bean
    LedgerRecorder ledgerRecorder(Ledger ledger, MeterRegistry meters) {
        return new LedgerRecorder(ledger, meters);
    }

    @Bean
    BodyCapture bodyCapture(WardenProperties properties, Ledger ledger) {
        return BodyCapture.from(properties.ledger().bodies(), ledger);
    }

    @Bean
    HealthIndicator ledgerHealthIndicator(Ledger ledger) {
        return () -> ledger.healthy()
                ? Health.up().withDetail("chain", ledger.chainId()).withDetail("entries", ledger.head().size()).build()
                : Health.down().withDetail("chain", ledger.chainId())
                        .withDetail("reason", "the ledger failed closed after an I/O error; requests are refused")
                        .build();
    }

    /** Admin changes and refused admin attempts go into the ledger, secret-free. */
    @Bean
    AdminAudit ledgerAdminAudit(LedgerRecorder recorder, Clock clock) {
        return (actor, source, action, target, details) -> {
            {
                EntryDraft.Builder draft = EntryDraft.builder().kind(EntryKind.ADMIN_CHANGE)
                        .actor(Actor.ofUser(actor)).source(source).decision(action)
                        .attr("target", target);
                details.forEach((k, v) -> draft.attr(k, v.length() > 500 ? v.substring(0, 500) : v));
                recorder.appendOrThrow(draft.build());
            }

        };
    }

    private static @Nullable String reveal(CredentialResolver credentials, String option, @Nullable String reference) {
        try {
            return credentials.reveal(reference);
        } catch (CredentialResolver.CredentialUnavailableException e) {
            throw new ConfigurationError(option, "(secret reference)", "a resolvable secret: " + e.getMessage());
        }
    }

    private static String defaultChainId() {
        try {
            String host = InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "-");
            return host.isEmpty() ? LedgerOptions.DEFAULT_CHAIN : host.substring(0, Math.min(64, host.length()));
        } catch (Exception e) {
            return LedgerOptions.DEFAULT_CHAIN;
        }
    }

}
