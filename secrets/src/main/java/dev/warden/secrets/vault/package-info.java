/**
 * HashiCorp Vault backend ({@code vault://mount/path#field}) through Spring Vault: KV v1 and v2,
 * token, AppRole and Kubernetes auth, Vault Enterprise namespaces.
 */
@NullMarked
package dev.warden.secrets.vault;

import org.jspecify.annotations.NullMarked;
