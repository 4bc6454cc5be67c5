@NullMarked
package dev.warden.gateway.surface;

import org.jspecify.annotations.NullMarked;
