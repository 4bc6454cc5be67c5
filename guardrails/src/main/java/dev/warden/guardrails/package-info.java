/** Guardrail SPI: inspections, sealed verdicts, policies and the chain that runs them. Pure Java. */
@NullMarked
package dev.warden.guardrails;

import org.jspecify.annotations.NullMarked;
