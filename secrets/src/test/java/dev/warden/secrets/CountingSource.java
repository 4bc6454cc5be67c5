package dev.warden.secrets;

import java.util.concurrent.atomic.AtomicInteger;

/** Delegates to a real source and counts its fetches, for backends whose "server" cannot count reads itself. */
public final class CountingSource implements SecretSource {

    private final SecretSource delegate;
    private final AtomicInteger fetches = new AtomicInteger();

    public CountingSource(SecretSource delegate) {
        this.delegate = delegate;
    }

    public int fetches() {
        return fetches.get();
    }

    @Override
    public String scheme() {
        return delegate.scheme();
    }

    @Override
    public void validate(SecretReference reference) {
        delegate.validate(reference);
    }

    @Override
    public SecretValue fetch(SecretReference reference) {
        fetches.incrementAndGet();
        return delegate.fetch(reference);
    }

    @Override
    public SecretSourceHealth probe() {
        return delegate.probe();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
