/**
 * Azure Key Vault backend ({@code azure-kv://vault-name/secret[/version]}) through the Azure SDK.
 */
@NullMarked
package dev.warden.secrets.azure;

import org.jspecify.annotations.NullMarked;
