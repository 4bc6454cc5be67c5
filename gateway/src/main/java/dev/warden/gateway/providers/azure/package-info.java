@NullMarked
package dev.warden.gateway.providers.azure;

import org.jspecify.annotations.NullMarked;
