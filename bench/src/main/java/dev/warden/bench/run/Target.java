package dev.warden.bench.run;

import java.net.InetSocketAddress;
import java.util.Map;

/**
 * Something to send chat completions to: the upstream itself ({@code direct}) or a gateway in front of it.
 *
 * @param pid the process whose memory is reported (the gateway; for {@code direct}, the upstream)
 */
public record Target(String name, InetSocketAddress address, String path, Map<String, String> headers, long pid) {
}
