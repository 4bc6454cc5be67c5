/** AWS Bedrock Guardrails through the AWS SDK v2 {@code ApplyGuardrail} call. */
@NullMarked
package dev.warden.guardrails.bedrock;

import org.jspecify.annotations.NullMarked;
