@NullMarked
package dev.warden.gateway.config;

import org.jspecify.annotations.NullMarked;
