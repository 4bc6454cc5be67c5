package dev.warden.gateway.config;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;

import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Binds {@code warden.*} to {@link WardenProperties}, refusing unknown keys; the records check their own values.
 * Bound here rather than through {@code @ConfigurationProperties} scanning because a {@code @Validated} record would
 * be wrapped in a method-validation proxy that is no longer the record type.
 */
@Configuration(proxyBeanMethods = false)
public class WardenConfiguration {

    @Bean
    public WardenProperties wardenProperties(Environment environment) {
        {
            // Constraints live in the records' constructors (Bean Validation does not cascade into records here).
            // Unknown keys are errors in configuration files and command-line arguments. Environment variables and JVM
            // system properties are not checked: any WARDEN_* variable (WARDEN_JAVA_OPTS, WARDEN_API_KEY) or
            // -Dwarden.* flag meant for another tool would otherwise stop the start.
            BindHandler handler = new NoUnboundElementsBindHandler(BindHandler.DEFAULT, source -> {
                Object underlying = source.getUnderlyingSource();
                String name = underlying instanceof org.springframework.core.env.PropertySource<?> p ? p.getName()
                        : String.valueOf(underlying);
                return !(underlying instanceof org.springframework.core.env.SystemEnvironmentPropertySource)
                        && !"systemEnvironment".equals(name) && !"systemProperties".equals(name);
            });
            // warden.sso.* belongs to the sso module's own properties (WardenSsoProperties, bound by it): hidden here
            // so that it is neither bound twice nor refused as unknown.
            ConfigurationPropertyName sso = ConfigurationPropertyName.of("warden.sso");
            List<ConfigurationPropertySource> sources = new ArrayList<>();
            for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
                sources.add(source.filter(name -> !sso.isAncestorOf(name) && !sso.equals(name)));
            }
            Binder binder = new Binder(sources,
                    new PropertySourcesPlaceholdersResolver(environment), ApplicationConversionService.getSharedInstance());
            return binder.bindOrCreate("warden", Bindable.of(WardenProperties.class), handler);
        }
    }
}
