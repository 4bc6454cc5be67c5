@NullMarked
package dev.warden.gateway.providers.gemini;

import org.jspecify.annotations.NullMarked;
