@NullMarked
package dev.warden.gateway.metrics;

import org.jspecify.annotations.NullMarked;
