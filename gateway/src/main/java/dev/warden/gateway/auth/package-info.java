@NullMarked
package dev.warden.gateway.auth;

import org.jspecify.annotations.NullMarked;
