package dev.warden.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The Warden gateway application; started by {@code warden serve} (see {@code cli.WardenCli}). */
@SpringBootApplication
public class WardenApplication {
    public static void main(String[] args) {
        SpringApplication.run(WardenApplication.class, args);
    }
}
