package dev.warden.gateway.admin;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The admin audit used when no ledger is configured: secret-free log lines. */
@Configuration(proxyBeanMethods = false)
public class LoggingAdminAudit {
    private static final Logger log = LoggerFactory.getLogger("warden.admin.audit");

    @Bean
    @ConditionalOnMissingBean(AdminAudit.class)
    AdminAudit logOnlyAdminAudit() {
        return new AdminAudit() {
            @Override
            public void changed(String actor, String source, String action, String target, Map<String, String> details) {
                log.info("admin change: actor={} source={} action={} target={} details={}", actor, source, action,
                        target, details);
            }

            @Override
            public void denied(String source, String attempted) {
                log.warn("admin access denied: source={} attempted={}", source, attempted);
            }
        };
    }
}
