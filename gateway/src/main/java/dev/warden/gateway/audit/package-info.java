/** Recording the audit trail: request, response and rejection entries, admin changes, the ledger's health. */
@NullMarked
package dev.warden.gateway.audit;

import org.jspecify.annotations.NullMarked;
