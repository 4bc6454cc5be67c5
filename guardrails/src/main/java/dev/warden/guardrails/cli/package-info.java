/** Command-line entry points: {@code warden redact} and the PII benchmark. */
@NullMarked
package dev.warden.guardrails.cli;

import org.jspecify.annotations.NullMarked;
