@NullMarked
package dev.warden.gateway.pipeline;

import org.jspecify.annotations.NullMarked;
