@NullMarked
package dev.warden.gateway.store;

import org.jspecify.annotations.NullMarked;
