@NullMarked
package dev.warden.gateway.providers;

import org.jspecify.annotations.NullMarked;
