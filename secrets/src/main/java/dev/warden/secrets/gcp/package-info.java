/**
 * Google Secret Manager backend ({@code gcp-sm://projects/p/secrets/s/versions/v}) through its Java client.
 */
@NullMarked
package dev.warden.secrets.gcp;

import org.jspecify.annotations.NullMarked;
