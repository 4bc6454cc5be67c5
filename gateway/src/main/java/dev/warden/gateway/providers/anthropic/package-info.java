@NullMarked
package dev.warden.gateway.providers.anthropic;

import org.jspecify.annotations.NullMarked;
