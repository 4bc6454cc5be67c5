/** Patronus AI through its REST API ({@code /v1/evaluate}). */
@NullMarked
package dev.warden.guardrails.patronus;

import org.jspecify.annotations.NullMarked;
