@NullMarked
package dev.warden.gateway.cli;

import org.jspecify.annotations.NullMarked;
