@NullMarked
package dev.warden.gateway.providers.demo;

import org.jspecify.annotations.NullMarked;
