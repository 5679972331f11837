package io.sochdb.release.http;

import java.io.Closeable;
import java.io.IOException;
import java.util.function.Supplier;

import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;

/**
 * An HTTP client built on first use: an offline dry run never needs one, and its TLS set-up costs a quarter second
 * of start-up. Safe to share between the platform threads.
 */
public final class LazyHttpClient implements Closeable {

    private final Supplier<CloseableHttpClient> factory;
    private volatile CloseableHttpClient client;

    public LazyHttpClient(Supplier<CloseableHttpClient> factory) {
        this.factory = factory;
    }

    public CloseableHttpClient get() {
        CloseableHttpClient built = client;
        if (built == null) {
            synchronized (this) {
                built = client;
                if (built == null) {
                    built = factory.get();
                    client = built;
                }
            }
        }
        return built;
    }

    @Override
    public void close() throws IOException {
        CloseableHttpClient built = client;
        if (built != null) {
            built.close();
        }
    }
}
