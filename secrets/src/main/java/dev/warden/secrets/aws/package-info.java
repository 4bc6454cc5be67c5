/**
 * AWS Secrets Manager backend ({@code aws-sm://name-or-arn#json-field}) through AWS SDK v2.
 */
@NullMarked
package dev.warden.secrets.aws;

import org.jspecify.annotations.NullMarked;
