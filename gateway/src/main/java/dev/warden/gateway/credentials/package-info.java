@NullMarked
package dev.warden.gateway.credentials;

import org.jspecify.annotations.NullMarked;
