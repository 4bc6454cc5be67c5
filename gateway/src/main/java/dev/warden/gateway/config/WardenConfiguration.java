package dev.warden.gateway.config;

import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;

/**
 * Binds {@code warden.*} to {@link WardenProperties}, validating every constraint and refusing unknown keys.
 * Bound here rather than through {@code @ConfigurationProperties} scanning because a {@code @Validated} record would
 * be wrapped in a method-validation proxy that is no longer the record type.
 */
@Configuration(proxyBeanMethods = false)
public class WardenConfiguration {

    @Bean
    WardenProperties wardenProperties(Environment environment) {
        try (ValidatorFactory factory = Validation.buildDefaultValidatorFactory()) {
            BindHandler handler = new NoUnboundElementsBindHandler(
                    new ValidationBindHandler(new SpringValidatorAdapter(factory.getValidator())));
            Binder binder = new Binder(ConfigurationPropertySources.get(environment),
                    new PropertySourcesPlaceholdersResolver(environment), ApplicationConversionService.getSharedInstance());
            return binder.bindOrCreate("warden", Bindable.of(WardenProperties.class), handler);
        }
    }
}
