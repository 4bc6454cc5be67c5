/** Azure AI Content Safety through its REST API ({@code text:analyze}, {@code text:shieldPrompt}). */
@NullMarked
package dev.warden.guardrails.azure;

import org.jspecify.annotations.NullMarked;
