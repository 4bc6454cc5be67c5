/**
 * Authorisation and governance: model/provider allow-lists, rate limits, hierarchical budgets (key, team,
 * customer) reserved before a call and settled after it, prices, and usage records.
 */
@NullMarked
package dev.warden.gateway.governance;

import org.jspecify.annotations.NullMarked;
