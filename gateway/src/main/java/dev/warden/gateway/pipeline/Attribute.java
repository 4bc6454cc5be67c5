package dev.warden.gateway.pipeline;

import static java.util.Objects.requireNonNull;

/**
 * A typed key for state that one stage hands to the next, e.g. {@code Exchange.get(VirtualKey.ATTRIBUTE)}.
 * Identity matters: declare each attribute once as a constant beside the type it carries.
 */
public final class Attribute<T> {
    private final String name;
    private final Class<T> type;

    private Attribute(String name, Class<T> type) {
        this.name = requireNonNull(name, "name");
        this.type = requireNonNull(type, "type");
    }

    public static <T> Attribute<T> of(String name, Class<T> type) {
        return new Attribute<>(name, type);
    }

    public String name() {
        return name;
    }

    public Class<T> type() {
        return type;
    }

    @Override
    public String toString() {
        return name;
    }
}
