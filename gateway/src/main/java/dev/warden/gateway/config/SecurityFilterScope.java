package dev.warden.gateway.config;

import java.util.List;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Registers Spring Security's filter only on the paths the SSO module secures. Its filter chain already leaves the
 * LLM API alone, but running the proxy (and its observation wrappers) on every model call costs CPU on the hot path
 * for nothing: the LLM API is authenticated by the pipeline with virtual keys.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityFilterScope {
    static final List<String> SECURED = List.of("/admin/*", "/console/*", "/console", "/login/*", "/login",
            "/oauth2/*", "/saml/*", "/logout", "/error");

    @Bean
    static BeanPostProcessor securityFilterPaths() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (bean instanceof DelegatingFilterProxyRegistrationBean registration
                        && "securityFilterChainRegistration".equals(name)) {
                    registration.setUrlPatterns(SECURED);
                }
                return bean;
            }
        };
    }

}
