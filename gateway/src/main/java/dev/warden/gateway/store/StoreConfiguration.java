package dev.warden.gateway.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.warden.gateway.config.ConfigurationError;
import dev.warden.gateway.config.WardenProperties;
import dev.warden.gateway.credentials.CredentialResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The relational store: embedded H2 (PostgreSQL mode) under the data dir by default, PostgreSQL when
 * {@code warden.store.url} says so. Flyway runs the same migrations on both.
 */
@Configuration(proxyBeanMethods = false)
public class StoreConfiguration {

    @Bean(destroyMethod = "close")
    DataSource dataSource(WardenProperties properties, CredentialResolver credentials) {
        WardenProperties.Store store = properties.store();
        HikariConfig config = new HikariConfig();
        config.setPoolName("warden-store");
        config.setMaximumPoolSize(store.maxPoolSize());
        if (store.url() == null || store.url().isBlank()) {
            Path dir = properties.dataDir().toAbsolutePath().normalize().resolve("db");
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new ConfigurationError("warden.data-dir", properties.dataDir().toString(),
                        "a writable directory (" + e.getClass().getSimpleName() + ")");
            }
            config.setJdbcUrl("jdbc:h2:file:" + dir.resolve("warden")
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
                    // The pool closes the database after the last flush of counters and usage, not H2's own hook.
                    + ";DB_CLOSE_ON_EXIT=FALSE");
            config.setUsername("warden");
            config.setPassword("");
        } else {
            if (!store.url().startsWith("jdbc:postgresql:") && !store.url().startsWith("jdbc:h2:")) {
                throw new ConfigurationError("warden.store.url", store.url(),
                        "a jdbc:postgresql:// URL (or jdbc:h2: for tests)");
            }
            config.setJdbcUrl(store.url());
            if (store.username() != null) {
                config.setUsername(store.username());
            }
            try {
                String password = credentials.reveal(store.password());
                if (password != null) {
                    config.setPassword(password);
                }
            } catch (CredentialResolver.CredentialUnavailableException e) {
                throw new ConfigurationError("warden.store.password", "(secret reference)", "a resolvable secret: "
                        + e.getMessage());
            }
        }
        return new HikariDataSource(config);
    }
}
