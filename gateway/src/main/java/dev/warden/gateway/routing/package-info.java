@NullMarked
package dev.warden.gateway.routing;

import org.jspecify.annotations.NullMarked;
