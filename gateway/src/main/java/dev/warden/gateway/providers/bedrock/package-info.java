@NullMarked
package dev.warden.gateway.providers.bedrock;

import org.jspecify.annotations.NullMarked;
