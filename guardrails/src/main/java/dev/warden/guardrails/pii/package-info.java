/** Local, offline PII and secret detection, redaction (placeholders, reversible tokens, keyed hashes) and streaming redaction. Pure Java. */
@NullMarked
package dev.warden.guardrails.pii;

import org.jspecify.annotations.NullMarked;
