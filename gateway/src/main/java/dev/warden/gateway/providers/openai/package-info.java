@NullMarked
package dev.warden.gateway.providers.openai;

import org.jspecify.annotations.NullMarked;
