/** Guardrail stages: policies from configuration, text extraction per surface, input and output guarding. */
@NullMarked
package dev.warden.gateway.guard;

import org.jspecify.annotations.NullMarked;
