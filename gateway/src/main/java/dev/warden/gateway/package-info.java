@NullMarked
package dev.warden.gateway;

import org.jspecify.annotations.NullMarked;
