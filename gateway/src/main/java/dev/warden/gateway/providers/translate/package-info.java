@NullMarked
package dev.warden.gateway.providers.translate;

import org.jspecify.annotations.NullMarked;
