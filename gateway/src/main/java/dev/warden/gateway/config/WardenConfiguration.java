package dev.warden.gateway.config;

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
            // Unknown keys are errors in files and arguments; environment variables are not checked, because any
            // variable starting with WARDEN_ (WARDEN_JAVA_OPTS, WARDEN_API_KEY) would otherwise stop the start.
            BindHandler handler = new NoUnboundElementsBindHandler(BindHandler.DEFAULT,
                    source -> !(source.getUnderlyingSource() instanceof org.springframework.core.env.SystemEnvironmentPropertySource)
                            && !"systemEnvironment".equals(String.valueOf(source.getUnderlyingSource())));
            Binder binder = new Binder(ConfigurationPropertySources.get(environment),
                    new PropertySourcesPlaceholdersResolver(environment), ApplicationConversionService.getSharedInstance());
            return binder.bindOrCreate("warden", Bindable.of(WardenProperties.class), handler);
        }
    }
}
