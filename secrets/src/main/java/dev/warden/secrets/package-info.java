/**
 * Secrets at run time: the {@link dev.warden.secrets.SecretSource} SPI, the one caching
 * {@link dev.warden.secrets.SecretResolver} that owns the shared rules, and the {@link dev.warden.secrets.SecretValue}
 * type that never prints itself.
 */
@NullMarked
package dev.warden.secrets;

import org.jspecify.annotations.NullMarked;
