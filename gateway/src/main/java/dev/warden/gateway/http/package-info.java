@NullMarked
package dev.warden.gateway.http;

import org.jspecify.annotations.NullMarked;
