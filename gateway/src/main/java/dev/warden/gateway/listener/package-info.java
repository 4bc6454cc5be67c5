/**
 * The API listener: an optional second port that serves only the LLM API, on blocking sockets with one thread per
 * connection, so that a request is read, run through the pipeline and answered on one thread. See
 * docs/adr/0007-api-listener.md.
 */
@NullMarked
package dev.warden.gateway.listener;

import org.jspecify.annotations.NullMarked;
